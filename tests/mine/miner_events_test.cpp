// Mining the repository-wide issue events listing against the loopback GitHub server: what a
// full mine costs, 304s on a re-run, a new event, a killed run, and cross-references on request.
#include <doctest/doctest.h>

#include <algorithm>

#include "base/error.h"
#include "dataset/preset.h"
#include "fake_github.h"
#include "mine/github_client.h"
#include "mine/miner.h"
#include "select/failure_filter.h"
#include "store/selections.h"
#include "store/store.h"
#include "support/files.h"

#include "miner_fixture.h"

using namespace firstmile;
using firstmile::testing::FakeFaults;
using firstmile::testing::FakeGithub;
using firstmile::testing::make_repository;
using firstmile::testing::Miner;
using firstmile::testing::count;
using firstmile::testing::TempDir;

namespace {

int64_t pages(int64_t items) { return (items + 99) / 100; }

int64_t targets_containing(const FakeGithub& server, const std::string& part) {
  auto targets = server.stats().targets;
  return std::count_if(targets.begin(), targets.end(),
                       [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("a full mine costs ceil(N/100) + ceil(C/100) + ceil(E/100) requests and a few more, events included") {
  FakeGithub server;
  auto repository = make_repository("acme", "model", 250, 420, 7);
  const int64_t events = static_cast<int64_t>(repository.events.size());
  REQUIRE(events == 500);  // a 'labeled' and a 'closed' event per issue
  server.add(repository);
  Miner m;
  MineSummary s = m.run(server, {"acme/model"});
  // The repository, then per listing its pages and one more walk that finds nothing new (a
  // 304 for the events listing, whose first page is asked again).
  const int64_t requests = server.stats().requests;
  CHECK(requests == 1 + (pages(250) + 1) + (pages(420) + 1) + (pages(events) + 1));
  CHECK(requests <= pages(250) + pages(420) + pages(events) + 4);
  CHECK(s.counters.requests == requests);
  CHECK(targets_containing(server, "/issues/events") == pages(events) + 1);
  CHECK(server.stats().timeline_requests == 0);  // no request per issue
  CHECK(s.repositories.at(0).events == events);
  CHECK(s.repositories.at(0).event_requests == pages(events) + 1);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == events);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events WHERE event = 'closed' AND commit_id LIKE '0123%'") == 250);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events WHERE json_extract(detail, '$.label.name') = 'bug'") == 250);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events WHERE actor = 'maintainer'") == events);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events WHERE detail LIKE '%\"issue\"%'") == 0);
  // Each event belongs to its issue, not to a placeholder.
  CHECK(count(m.store,
              "SELECT count(*) FROM issue_events e JOIN issues i ON i.id = e.issue_id WHERE i.fetched_at IS NULL") ==
        0);
}

TEST_CASE("a re-run with no changes is answered by 304s, the events listing's included") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 420, 7));
  Miner m;
  m.run(server, {"acme/model"});
  server.reset_stats();
  MineSummary again = m.run(server, {"acme/model"});
  CHECK(server.stats().requests == 4);  // repository, issues, comments, events
  CHECK(server.stats().not_modified == server.stats().requests);
  CHECK(server.stats().event_requests == 1);
  CHECK(again.repositories.at(0).new_events == 0);
}

TEST_CASE("a new event costs a page and a 304, and 'marked as duplicate' reaches select") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 7));
  Miner m;
  m.run(server, {"acme/model"});
  REQUIRE(issues_marked_duplicate_in_timeline(m.store).empty());
  server.add_event("acme/model", 9, "marked_as_duplicate");
  server.reset_stats();
  MineSummary again = m.run(server, {"acme/model"});
  // The first page holds the new event and older ones stored before: the walk stops there,
  // and the walk after it is a 304.
  CHECK(server.stats().event_requests == 2);
  CHECK(again.repositories.at(0).new_events == 1);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == 501);
  std::set<int64_t> marked = issues_marked_duplicate_in_timeline(m.store);
  REQUIRE(marked.size() == 1);
  CHECK(*marked.begin() == *m.store.find_issue("acme", "model", 9));
}

TEST_CASE("a mine that fails in the events listing keeps its pages and the next run resumes there") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 7));
  {
    FakeFaults f;
    f.malformed_when = "events?page=3";
    server.set_faults(f);
  }
  Miner m;
  CHECK_THROWS_WITH_AS(m.run(server, {"acme/model"}), doctest::Contains("/repos/acme/model/issues/events?"), Error);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == 200);
  CHECK(count(m.store, "SELECT count(*) FROM sync_state WHERE resource = 'events' AND next_url LIKE '%page=3'") == 1);
  server.set_faults({});
  server.reset_stats();
  m.run(server, {"acme/model"});
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == 500);
  const auto targets = server.stats().targets;
  auto first_events = std::find_if(targets.begin(), targets.end(),
                                   [](const std::string& t) { return t.find("/issues/events") != std::string::npos; });
  REQUIRE(first_events != targets.end());
  CHECK(first_events->find("page=3") != std::string::npos);  // resumed, not restarted
  CHECK(server.stats().event_requests == 3 + 1);             // pages 3 to 5, then the 304
}

TEST_CASE("cross-references are asked for, and their cost is announced before the first timeline request") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 60, 0, 3));
  Miner m;
  std::vector<std::string> notices;
  int64_t timeline_requests_then = -1;
  m.mine_notice = [&](const std::string& line) {
    notices.push_back(line);
    timeline_requests_then = server.stats().timeline_requests;
  };
  MineSummary s = m.run(server, {"acme/model"}, TimelineMode::kFailureLike);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].rfind("acme/model  cross-references: " + std::to_string(s.repositories.at(0).timelines) +
                             " requests (one per failure-like issue",
                         0) == 0);
  CHECK(timeline_requests_then == 0);
  CHECK(server.stats().timeline_requests == s.repositories.at(0).timelines);
  CHECK(count(m.store, "SELECT count(*) FROM timeline_events WHERE event = 'cross-referenced'") ==
        s.repositories.at(0).timelines);
}

TEST_CASE("mine --until leaves out events after it, and a run without the bound gets them") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 120, 0, 5));  // events in 2024
  Miner m;
  const std::string until = "2024-12-31";
  m.run(server, {"acme/model"}, TimelineMode::kNone, 6, until);
  REQUIRE(count(m.store, "SELECT count(*) FROM issue_events") == 240);
  server.add_event("acme/model", 4, "marked_as_duplicate");  // now
  MineSummary again = m.run(server, {"acme/model"}, TimelineMode::kNone, 6, until);
  CHECK(again.repositories.at(0).events_after_until == 1);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == 240);
  m.run(server, {"acme/model"});
  CHECK(count(m.store, "SELECT count(*) FROM issue_events WHERE event = 'marked_as_duplicate'") == 1);
}

TEST_CASE("an events listing that comes oldest first is walked whole, saying so, and misses no new event") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 7));
  FakeFaults f;
  f.events_oldest_first = true;
  server.set_faults(f);
  Miner m;
  std::vector<std::string> said;
  m.mine_notice = [&](const std::string& line) { said.push_back(line); };
  m.run(server, {"acme/model"});
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == 500);
  REQUIRE(said.size() == 1);
  CHECK(said[0] ==
        "acme/model  issue events: the listing came oldest first, not newest first as GitHub lists it: walked whole, "
        "and will be on every run");
  // A new event lands on the last page: the first page is not trusted (no 304), the walk goes on.
  server.add_event("acme/model", 9, "marked_as_duplicate");
  server.reset_stats();
  MineSummary again = m.run(server, {"acme/model"});
  CHECK(again.repositories.at(0).new_events == 1);
  CHECK(count(m.store, "SELECT count(*) FROM issue_events") == 501);
  CHECK(server.stats().event_requests >= pages(501));
  // Newest first (as GitHub), the same new event costs a page: the stop at known events holds.
  FakeGithub newest;
  newest.add(make_repository("acme", "model", 250, 0, 7));
  Miner n;
  n.run(newest, {"acme/model"});
  newest.add_event("acme/model", 9, "marked_as_duplicate");
  newest.reset_stats();
  n.run(newest, {"acme/model"});
  CHECK(newest.stats().event_requests == 2);
}
