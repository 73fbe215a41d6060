// Mining against the loopback GitHub server: request counts, 304s, renames, faults, resume.
#include <doctest/doctest.h>

#include "base/error.h"
#include "dataset/preset.h"
#include "fake_github.h"
#include "mine/github_client.h"
#include "mine/miner.h"
#include "select/failure_filter.h"
#include "store/mining_state.h"
#include "store/store.h"
#include "support/files.h"

#include "miner_fixture.h"

using namespace firstmile;
using firstmile::testing::FakeFaults;
using firstmile::testing::FakeGithub;
using firstmile::testing::FakeRepository;
using firstmile::testing::Miner;
using firstmile::testing::count;
using firstmile::testing::make_repository;
using firstmile::testing::TempDir;

namespace {

// Every stored field of issues and comments but fetched_at (when a row was last written).
std::string rows(Store& store) {
  std::string out;
  Query s = store.db().query(
      "SELECT number, title, body, state, labels, comments_count, created_at, updated_at, reactions, "
      "(SELECT group_concat(github_id || '=' || coalesce(body, '') || '@' || created_at, '|') FROM comments c "
      "WHERE c.issue_id = i.id) FROM issues i ORDER BY repository_id, number");
  while (s.step()) {
    for (int c = 0; c < 10; ++c) out += s.column_text(c) + ";";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a full mine spends one request per 100 issues and per 100 comments, plus a small constant") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 420, 7));
  Miner m;
  MineSummary s = m.run(server, {"acme/model"});
  // The repository, 3 issue pages + 5 comment pages + 5 pages of events (a 'labeled' and a
  // 'closed' per issue), and for each listing one more walk from the time the first began, which
  // finds nothing (the fixture's issues are from 2024; the events listing answers 304).
  CHECK(server.stats().requests == 1 + (3 + 1) + (5 + 1) + (5 + 1));
  CHECK(s.counters.requests == server.stats().requests);
  // Every request asks for gzip (libcurl offers every encoding it decodes); one is a 304 (the
  // events listing's second walk), which has no body to compress.
  CHECK(server.stats().not_modified == 1);
  CHECK(server.stats().gzip_responses == server.stats().requests - 1);
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 250);
  CHECK(count(m.store, "SELECT count(*) FROM issues WHERE is_pull_request = 1") == 35);
  CHECK(count(m.store, "SELECT count(*) FROM comments") == 420);
  CHECK(count(m.store, "SELECT count(*) FROM issues WHERE body IS NULL") == 22);
  CHECK(count(m.store, "SELECT length(body) FROM issues WHERE number = 3") == 1200000 + 23);
  // Chinese bodies: every 5th issue, but for the four that every 11th (a null body) takes.
  CHECK(count(m.store, "SELECT count(*) FROM issues WHERE body LIKE '%显存%' OR body LIKE '%推理%'") == 50 - 4);
  CHECK(count(m.store, "SELECT sum(comments_count) FROM issues") == 420);
}

TEST_CASE("a mine stores the reactions of issues and comments, with no extra request") {
  FakeGithub server;
  FakeRepository repository = make_repository("acme", "model", 120, 150, 3);
  // What the server's objects say, summed: the stored columns must add up to it.
  int64_t issue_total = 0, comment_total = 0, issue_hearts = 0;
  for (const auto& i : repository.issues) {
    issue_total += i["reactions"]["total_count"].get<int64_t>();
    issue_hearts += i["reactions"]["heart"].get<int64_t>();
  }
  for (const auto& c : repository.comments) comment_total += c["reactions"]["total_count"].get<int64_t>();
  REQUIRE(issue_total > 0);
  REQUIRE(comment_total > 0);
  server.add(repository);
  Miner m;
  m.run(server, {"acme/model"});
  CHECK(server.stats().requests == 1 + (2 + 1) + (2 + 1) + (3 + 1));  // as without reactions
  CHECK(count(m.store, "SELECT count(*) FROM issues WHERE reactions IS NULL") == 0);
  CHECK(count(m.store, "SELECT sum(reactions_total) FROM issues") == issue_total);
  CHECK(count(m.store, "SELECT sum(json_extract(reactions, '$.heart')) FROM issues") == issue_hearts);
  CHECK(count(m.store, "SELECT sum(reactions_total) FROM comments") == comment_total);
}

TEST_CASE("a repeated mine with no changes is answered by 304s only") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 420, 7));
  Miner m;
  m.run(server, {"acme/model"}, TimelineMode::kFailureLike);
  server.reset_stats();
  MineSummary again = m.run(server, {"acme/model"}, TimelineMode::kFailureLike);
  CHECK(server.stats().requests <= 4);  // the repository and the three listings
  CHECK(server.stats().not_modified == server.stats().requests);
  CHECK(server.stats().timeline_requests == 0);
  CHECK(again.repositories.at(0).new_issues == 0);
}

TEST_CASE("an edited issue is fetched again with a few requests, and its timeline too") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 100, 7));
  Miner m;
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  server.edit_issue("acme/model", 17, "Segmentation fault after upgrading");
  server.reset_stats();
  MineSummary s = m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(s.repositories.at(0).updated_issues == 1);
  std::string targets;
  for (const std::string& t : server.stats().targets) targets += t + "\n";
  CAPTURE(targets);
  CHECK(server.stats().timeline_requests == 1);
  CHECK(server.stats().requests <= 6);
  Query q = m.store.db().query("SELECT title FROM issues WHERE number = 17");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "Segmentation fault after upgrading");
}

TEST_CASE("timelines are fetched for failure-like issues only, and kept in order") {
  FakeGithub server;
  FakeRepository repository = make_repository("acme", "model", 60, 0, 3);
  server.add(repository);
  Miner m;
  MineSummary s = m.run(server, {"acme/model"}, TimelineMode::kFailureLike);
  // The issues (not pull requests) the keyword filter takes, read off the fixture.
  int64_t failure_like = 0;
  for (const nlohmann::json& i : repository.issues) {
    std::vector<std::string> labels;
    for (const nlohmann::json& l : i["labels"]) labels.push_back(l["name"]);
    failure_like += !i.contains("pull_request") &&
                    m.filter.matches(i["title"], i["body"].is_null() ? "" : i["body"].get<std::string>(), labels);
  }
  CHECK(s.repositories.at(0).timelines == failure_like);
  CHECK(failure_like < count(m.store, "SELECT count(*) FROM issues WHERE is_pull_request = 0"));
  CHECK(server.stats().timeline_requests == s.repositories.at(0).timelines);
  CHECK(count(m.store,
              "SELECT count(*) FROM timeline_events WHERE position = 2 AND event = 'cross-referenced' "
              "AND source_url LIKE 'https://github.com/acme/model/pull/%'") == s.repositories.at(0).timelines);
  CHECK(count(m.store, "SELECT count(*) FROM timeline_events WHERE event = 'closed' AND commit_id IS NOT NULL") ==
        s.repositories.at(0).timelines);
  CHECK(count(m.store, "SELECT count(*) FROM timeline_events WHERE detail LIKE '%\"body\"%'") == 0);
}

TEST_CASE("a renamed repository is followed and its new name recorded as an alias") {
  FakeGithub server;
  auto repo = make_repository("QwenLM", "Qwen3", 30, 10, 5);
  repo.renamed_from = "QwenLM/Qwen2.5";
  server.add(repo);
  Miner m;
  MineSummary s = m.run(server, {"QwenLM/Qwen2.5"});
  CHECK(s.repositories.at(0).renamed_to == "QwenLM/Qwen3");
  CHECK(m.store.find_repository("QwenLM", "Qwen3") == m.store.find_repository("QwenLM", "Qwen2.5"));
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 30);
  CHECK(count(m.store, "SELECT count(*) FROM repositories") == 1);
  Query q = m.store.db().query("SELECT series, model FROM repositories");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "Qwen");  // from the preset, under the study's name
}

TEST_CASE("5xx bursts and secondary rate limits are retried until they pass") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 120, 30, 2));
  {
    FakeFaults f;
    f.fail_next = 3;
    f.secondary_next = 2;
    server.set_faults(f);
  }
  Miner m;
  MineSummary s = m.run(server, {"acme/model"});
  CHECK(s.counters.retries == 5);
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 120);
  bool said_secondary = false;
  for (const auto& n : m.notices)
    said_secondary = said_secondary || n.find("secondary rate limit") != std::string::npos;
  CHECK(said_secondary);
}

TEST_CASE("the primary rate limit is waited out until its reset, without using up retries") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 2));
  {
    FakeFaults f;
    f.quota = 2;
    server.set_faults(f);
  }
  Miner m;
  MineSummary s = m.run(server, {"acme/model"}, TimelineMode::kNone, 0);
  // Two answers use the quota up (the repository, issue page 1); page 2 is refused until the
  // reset a second later, which the client waits for once; the window then stays open.
  CHECK(s.counters.rate_limit_waits == 1);
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 250);
  bool said_waiting = false;
  for (const auto& n : m.notices) said_waiting = said_waiting || n.find("waiting until") != std::string::npos;
  CHECK(said_waiting);
}

TEST_CASE("retries give up with an error naming the URL") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 10, 0, 2));
  {
    FakeFaults f;
    f.fail_next = 100;
    f.fail_status = 503;
    server.set_faults(f);
  }
  Miner m;
  CHECK_THROWS_WITH_AS(m.run(server, {"acme/model"}, TimelineMode::kNone, 2),
                       doctest::Contains("/repos/acme/model: HTTP 503 (gave up after 2 retries)"), Error);
  CHECK(count(m.store, "SELECT status = 'failed' FROM runs ORDER BY id DESC LIMIT 1") == 1);
}

TEST_CASE(
    "a malformed page stops the mine naming URL and position, keeps the pages before it, and the next run "
    "resumes") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 7));
  {
    FakeFaults f;
    f.malformed_when = "page=2";
    server.set_faults(f);
  }
  Miner m;
  try {
    m.run(server, {"acme/model"});
    FAIL("expected an error");
  } catch (const Error& e) {
    std::string what = e.what();
    CHECK(what.find("/repos/acme/model/issues?") != std::string::npos);
    CHECK(what.find("page=2") != std::string::npos);
    CHECK(what.find("line") != std::string::npos);
  }
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 100);
  CHECK(count(m.store, "SELECT count(*) FROM sync_state WHERE next_url LIKE '%page=2'") == 1);
  server.set_faults({});
  server.reset_stats();
  m.run(server, {"acme/model"});
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 250);
  CHECK(server.stats().targets.at(1).find("page=2") != std::string::npos);  // resumed, not restarted
}

TEST_CASE("mine --until gives the same rows on a re-run after the server gained newer issues") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 120, 150, 5));  // created in January 2024
  Miner m;
  m.run(server, {"acme/model"}, TimelineMode::kNone, 6, "2024-12-31");
  const std::string as_of = rows(m.store);
  CHECK(count(m.store, "SELECT count(*) FROM issues") == 120);
  CHECK(count(m.store, "SELECT count(*) FROM comments") == 150);
  CHECK(count(m.store, "SELECT count(*) FROM runs WHERE json_extract(summary, '$.until') = '2024-12-31T23:59:59Z'") ==
        1);
  // The server gains issues, and a comment on one of them, all created now.
  int64_t late = 0;
  for (int k = 0; k < 3; ++k)
    late = server.add_issue("acme/model", "Crash after upgrading (late " + std::to_string(k) + ")");
  server.add_comment("acme/model", late, "me too");
  MineSummary again = m.run(server, {"acme/model"}, TimelineMode::kNone, 6, "2024-12-31");
  CHECK(rows(m.store) == as_of);
  CHECK(again.repositories[0].issues_after_until == 3);
  CHECK(again.repositories[0].comments_after_until == 1);
  // Left out, not skipped for good: a run without the bound gets them.
  m.run(server, {"acme/model"});
  CHECK(count(m.store, "SELECT count(*) FROM issues WHERE title LIKE '%(late %'") == 3);
  CHECK(count(m.store, "SELECT count(*) FROM comments WHERE body = 'me too'") == 1);
}

TEST_CASE("mine --until leaves out a comment made after it on an issue it keeps") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 30, 20, 6));
  Miner m;
  m.run(server, {"acme/model"}, TimelineMode::kNone, 6, "2024-12-31T23:59:59Z");
  server.add_comment("acme/model", 2, "a year later");
  m.run(server, {"acme/model"}, TimelineMode::kNone, 6, "2024-12-31T23:59:59Z");
  CHECK(count(m.store, "SELECT count(*) FROM comments") == 20);
  CHECK(count(m.store, "SELECT count(*) FROM comments WHERE body = 'a year later'") == 0);
}

TEST_CASE("a bad --until, or one before --since, is refused before any request, naming the option") {
  FakeGithub server;
  Miner m;
  GithubClientOptions o;
  o.api_url = server.url();
  GithubClient client(o);
  MineOptions options;
  options.repositories = {"acme/model"};
  for (const char* bad : {"2024-13-01", "tomorrow", "2024-05-01T12:00:00+08:00"}) {
    options.until = bad;
    CHECK_THROWS_WITH_AS(mine_repositories(m.store, m.preset, client, options),
                         ("--until '" + std::string(bad) +
                          "': expected a date (2024-05-01) or a UTC timestamp (2024-05-01T12:00:00Z)")
                             .c_str(),
                         Error);
  }
  options.until = "2024-01-01";
  options.since = "2024-06-01";
  CHECK_THROWS_WITH_AS(mine_repositories(m.store, m.preset, client, options),
                       "--until '2024-01-01' is before --since '2024-06-01'", Error);
  CHECK(server.stats().requests == 0);
}

TEST_CASE("a bad --since is refused before any request") {
  FakeGithub server;
  Miner m;
  GithubClientOptions o;
  o.api_url = server.url();
  GithubClient client(o);
  MineOptions options;
  options.repositories = {"acme/model"};
  options.since = "last tuesday";
  CHECK_THROWS_WITH_AS(mine_repositories(m.store, m.preset, client, options),
                       doctest::Contains("--since 'last tuesday'"), Error);
  CHECK(server.stats().requests == 0);
}

TEST_CASE("the progress line names the repository, the phase, how far it is, the requests and the time left") {
  GithubCounters counters;
  counters.requests = 17;
  counters.remaining = 4983;
  MineProgress p;
  p.repository = "QwenLM/Qwen";
  p.phase = "issues";
  p.done = 3;
  p.total = 12;
  p.items = 300;
  p.eta_seconds = 69.4;
  p.counters = &counters;
  CHECK(mine_progress_text(p) == "QwenLM/Qwen  issues page 3/12, 300 issues, 17 requests, 4983 left ETA 1:09");
  p.phase = "comments";
  p.total.reset();
  p.eta_seconds = -1;
  p.counters = nullptr;
  CHECK(mine_progress_text(p) == "QwenLM/Qwen  comments page 3, 300 comments");
  p.phase = "timelines";
  p.total = 40;
  CHECK(mine_progress_text(p) == "QwenLM/Qwen  timelines 3/40");
  p.phase = "repository";
  p.counters = &counters;
  CHECK(mine_progress_text(p) == "QwenLM/Qwen  repository, 17 requests, 4983 left");  // no space before the comma
}
