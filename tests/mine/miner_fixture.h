// miner_fixture.h — a database, the preset and the failure filter, and `mine` run against the
// loopback GitHub server, for the mining tests (miner_test.cpp, miner_events_test.cpp).
//
//   Miner m;
//   MineSummary s = m.run(server, {"acme/model"}, TimelineMode::kFailureLike);
//   count(m.store, "SELECT count(*) FROM issues")
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "dataset/preset.h"
#include "fake_github.h"
#include "mine/github_client.h"
#include "mine/miner.h"
#include "select/failure_filter.h"
#include "store/store.h"
#include "support/files.h"

namespace firstmile::testing {

inline int64_t count(Store& store, const std::string& sql) { return store.db().query_int(sql); }

struct Miner {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  Preset preset = load_preset("open-llm-failures");
  FailureFilter filter = FailureFilter::load();
  std::vector<std::string> notices;                     // the client's: waits and retries
  std::function<void(const std::string&)> mine_notice;  // mine's own (the cost of cross-references)
  std::string token;                                    // sent as the client's token: GraphQL's route
  CrossReferenceApi api = CrossReferenceApi::kAuto;

  MineSummary run(const FakeGithub& server, std::vector<std::string> repositories,
                  TimelineMode timelines = TimelineMode::kNone, int retries = 6, const std::string& until = "") {
    GithubClientOptions o;
    o.api_url = server.url();
    o.max_retries = retries;
    o.token = token;
    o.retry_wait = std::chrono::milliseconds(1);
    o.notice = [this](const std::string& line) { notices.push_back(line); };
    GithubClient client(o);
    MineOptions m;
    m.repositories = std::move(repositories);
    m.timelines = timelines;
    m.cross_reference_api = api;
    m.until = until;
    m.notice = mine_notice;
    m.failure_like = [this](const std::string& title, const std::string& body, const std::vector<std::string>& labels) {
      return filter.matches(title, body, labels);
    };
    return mine_repositories(store, preset, client, m);
  }
};

}  // namespace firstmile::testing
