// Cross-references through GitHub's GraphQL API against the loopback server: a query per 100
// issues, the same rows as the REST timelines, follow-ups past 100 items, duplicate marks with
// their original, errors and limits, and the token kept out of the database.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "base/error.h"
#include "fake_github.h"
#include "mine/github_client.h"
#include "mine/graphql_cross_references.h"
#include "mine/miner.h"
#include "store/selections.h"
#include "store/store.h"

#include "miner_fixture.h"

using namespace firstmile;
using firstmile::testing::add_cross_references;
using firstmile::testing::count;
using firstmile::testing::FakeFaults;
using firstmile::testing::FakeGithub;
using firstmile::testing::make_repository;
using firstmile::testing::mark_duplicate;
using firstmile::testing::Miner;

namespace {

constexpr const char* kToken = "ghp_GraphqlSecretToken0123456789abcdefABC";

// The cross-reference rows of a database, one line each, in a stable order (not their positions:
// a REST timeline has the other events between them).
std::vector<std::string> cross_references(Store& store) {
  Query q = store.db().query(
      "SELECT i.number, t.actor, t.created_at, t.source_url, json_extract(t.detail, '$.source_number'), "
      "json_extract(t.detail, '$.source_is_pull_request'), json_extract(t.detail, '$.source_title') "
      "FROM timeline_events t JOIN issues i ON i.id = t.issue_id WHERE t.event = 'cross-referenced' "
      "ORDER BY i.number, t.position");
  std::vector<std::string> out;
  while (q.step()) {
    std::string line;
    for (int c = 0; c < 7; ++c) line += q.column_text(c) + "|";
    out.push_back(line);
  }
  return out;
}

// Every table's rows but the runs', as text: what "the database did not change" compares.
std::string data_of(Store& store) {
  std::string out;
  for (const char* table : {"issues", "comments", "issue_events", "timeline_events", "issue_timelines", "sync_state"}) {
    Query q = store.db().query(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
    while (q.step()) {
      for (int c = 0; c < 12; ++c) out += q.column_text(c) + "|";
      out += "\n";
    }
  }
  return out;
}

GithubClient client_of(const FakeGithub& server, const std::string& token = kToken) {
  GithubClientOptions o;
  o.api_url = server.url();
  o.token = token;
  o.retry_wait = std::chrono::milliseconds(1);
  return GithubClient(o);
}

}  // namespace

TEST_CASE("with a token, cross-references cost one GraphQL query per 100 issues and give the REST timeline's rows") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 7));  // 215 issues, 35 pull requests
  Miner rest;
  rest.run(server, {"acme/model"}, TimelineMode::kAll);
  REQUIRE(server.stats().timeline_requests == 215);

  server.reset_stats();
  Miner m;
  m.token = kToken;
  std::vector<std::string> notices;
  int64_t queries_then = -1;
  m.mine_notice = [&](const std::string& line) {
    notices.push_back(line);
    queries_then = server.stats().graphql_requests;
  };
  MineSummary s = m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 3);  // ceil(215 / 100)
  CHECK(server.stats().graphql_issues == 215);
  CHECK(server.stats().timeline_requests == 0);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].rfind("acme/model  cross-references: 3 GraphQL queries (100 issues a query, for 215 issues", 0) ==
        0);
  CHECK(queries_then == 0);  // said before the first query
  CHECK(s.repositories.at(0).timelines == 215);
  CHECK(s.repositories.at(0).cross_references_via == "graphql");
  CHECK(s.repositories.at(0).timeline_requests == 3);
  CHECK(server.stats().authorizations.back() == std::string("Bearer ") + kToken);

  const std::vector<std::string> by_graphql = cross_references(m.store);
  CHECK(by_graphql.size() == 215);
  CHECK(by_graphql == cross_references(rest.store));
  // Only what GraphQL was asked for: the closings and labels are in issue_events.
  CHECK(count(m.store, "SELECT count(*) FROM timeline_events WHERE event <> 'cross-referenced'") == 0);
  CHECK(count(m.store, "SELECT count(*) FROM issue_timelines") == 215);

  server.reset_stats();
  MineSummary again = m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 0);  // no issue changed
  CHECK(again.repositories.at(0).timelines == 0);
}

TEST_CASE("an issue with over 100 cross-references is followed up, a query per further 100, in order") {
  FakeGithub server;
  auto repository = make_repository("acme", "model", 30, 0, 2);
  add_cross_references(repository, 5, 250);  // 251 with the one every issue has
  server.add(repository);
  Miner m;
  m.token = kToken;
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 1 + 2);
  const std::string issue5 = " FROM timeline_events t JOIN issues i ON i.id = t.issue_id WHERE i.number = 5";
  CHECK(count(m.store, "SELECT count(*)" + issue5) == 251);
  CHECK(count(m.store, "SELECT count(DISTINCT t.source_url)" + issue5) == 251);
  CHECK(count(m.store, "SELECT max(t.position)" + issue5) == 251);
  // GitHub's order kept across the pages: positions follow the times.
  CHECK(count(m.store,
              "SELECT count(*) FROM timeline_events a JOIN timeline_events b ON b.issue_id = a.issue_id AND "
              "b.position = a.position + 1 WHERE b.created_at < a.created_at") == 0);
  CHECK(count(m.store, "SELECT events FROM issue_timelines t JOIN issues i ON i.id = t.issue_id WHERE i.number = 5") ==
        251);
}

TEST_CASE("a duplicate mark names its original, on the duplicate only, and select still drops the duplicate") {
  FakeGithub server;
  auto repository = make_repository("acme", "model", 20, 0, 3);
  mark_duplicate(repository, 9, 3);
  server.add(repository);
  Miner m;
  m.token = kToken;
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  const std::string marks =
      " FROM timeline_events t JOIN issues i ON i.id = t.issue_id WHERE t.event = 'marked_as_duplicate'";
  CHECK(count(m.store, "SELECT count(*)" + marks) == 1);
  CHECK(count(m.store, "SELECT i.number" + marks) == 9);
  CHECK(count(m.store, "SELECT json_extract(t.detail, '$.canonical_number')" + marks) == 3);
  CHECK(count(m.store,
              "SELECT count(*)" + marks +
                  " AND json_extract(t.detail, '$.canonical_repository') = "
                  "'acme/model' AND json_extract(t.detail, '$.duplicate_number') = 9 AND t.actor = 'maintainer'") == 1);
  std::set<int64_t> dropped = issues_marked_duplicate_in_timeline(m.store);
  CHECK(dropped == std::set<int64_t>{*m.store.find_issue("acme", "model", 9)});
}

TEST_CASE("a batch asks for up to 100 issues, one GitHub has not is reported missing, the others read") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 20, 0, 3));
  GithubClient client = client_of(server);
  CrossReferenceBatch b = fetch_cross_references(client, "acme", "model", {1, 7, 2});  // 7: a pull request
  CHECK(b.queries == 1);
  CHECK(b.missing == std::vector<int64_t>{7});
  CHECK(b.events.size() == 2);
  REQUIRE(b.events.count(2) == 1);
  REQUIRE(b.events[2].size() == 1);
  CHECK(b.events[2][0].event == "cross-referenced");
  CHECK(b.events[2][0].source_url == "https://github.com/acme/model/pull/1002");
  std::vector<int64_t> too_many(101, 1);
  CHECK_THROWS_AS(fetch_cross_references(client, "acme", "model", too_many), Error);
}

TEST_CASE("GraphQL errors and answers of the wrong shape stop the mine, named, with the database as it was") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 60, 30, 4));
  Miner m;
  m.token = kToken;
  m.run(server, {"acme/model"});  // issues, comments, events
  const std::string before = data_of(m.store);
  const std::string graphql = server.url() + "/graphql: ";
  struct Case {
    std::string answer, says;
  };
  const Case cases[] = {
      {R"({"data":null,"errors":[{"type":"FORBIDDEN","message":"Resource not accessible by integration",)"
       R"("path":["repository"]}]})",
       graphql + "GraphQL error: FORBIDDEN: Resource not accessible by integration (at repository)"},
      {R"({"errors":[{"message":"Field 'timelineItems' doesn't exist on type 'Issue'"}]})",
       graphql + "GraphQL error: Field 'timelineItems' doesn't exist on type 'Issue'"},
      {R"({"data":{"repository":{"i1":{"number":1,"timelineItems":{"nodes":"oops"}}}}})",
       graphql + "data.repository.i1.timelineItems.nodes: expected an array, got string"},
      {R"({"data":{"repository":{"i1":{"number":1,"timelineItems":{"nodes":[{"createdAt":"x"}],)"
       R"("pageInfo":{"hasNextPage":false}}}}}})",
       graphql + "data.repository.i1.timelineItems.nodes[0]: missing field '__typename'"},
      {R"({"data":{"repository":{}}})", graphql + "data.repository.i1: expected an issue object, got null"},
      {R"([1,2])", graphql + "expected a GraphQL answer object, got array"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.answer);
    FakeFaults f;
    f.graphql_answer = c.answer;
    server.set_faults(f);
    CHECK_THROWS_WITH_AS(m.run(server, {"acme/model"}, TimelineMode::kAll), doctest::Contains(c.says.c_str()), Error);
    CHECK(data_of(m.store) == before);
  }
  FakeFaults broken;
  broken.malformed_when = "/graphql";
  server.set_faults(broken);
  CHECK_THROWS_WITH_AS(m.run(server, {"acme/model"}, TimelineMode::kAll),
                       doctest::Contains((server.url() + "/graphql").c_str()), Error);
  CHECK(data_of(m.store) == before);
  CHECK(count(m.store, "SELECT count(*) FROM runs WHERE status = 'failed'") == 7);

  server.set_faults({});
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(count(m.store, "SELECT count(*) FROM issue_timelines") > 0);
}

TEST_CASE("a used-up GraphQL limit is waited out, whether an error says so or the last answer's rateLimit") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 250, 0, 7));
  FakeFaults f;
  f.graphql_rate_limited = 1;
  server.set_faults(f);
  Miner m;
  m.token = kToken;
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 3 + 1);
  CHECK(count(m.store, "SELECT count(*) FROM issue_timelines") == 215);
  REQUIRE(!m.notices.empty());
  CHECK(m.notices.back().find("rate limit used up; waiting until") != std::string::npos);

  Miner n;
  n.token = kToken;
  f = {};
  f.graphql_points = 1;  // the first query leaves 0: the second waits for the reset
  server.set_faults(f);
  server.reset_stats();
  auto started = std::chrono::steady_clock::now();
  n.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 3);
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(900));
  CHECK(std::any_of(n.notices.begin(), n.notices.end(),
                    [](const std::string& s) { return s.find("rate limit used up") != std::string::npos; }));
  CHECK(count(n.store, "SELECT count(*) FROM issue_timelines") == 215);
}

TEST_CASE("GraphQL without a token is refused before any request, --cross-references-via rest takes the timelines") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 20, 0, 3));
  Miner m;
  m.api = CrossReferenceApi::kGraphql;
  CHECK_THROWS_WITH_AS(m.run(server, {"acme/model"}, TimelineMode::kAll), doctest::Contains("need a token"), Error);
  CHECK(server.stats().requests == 0);
  Miner r;
  r.token = kToken;
  r.api = CrossReferenceApi::kRest;
  MineSummary s = r.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 0);
  CHECK(server.stats().timeline_requests == s.repositories.at(0).timelines);
  CHECK(s.repositories.at(0).cross_references_via == "rest");
  GithubClient anonymous = client_of(server, "");
  CHECK_THROWS_WITH_AS(fetch_cross_references(anonymous, "acme", "model", {1}), doctest::Contains("needs a token"),
                       Error);
}

TEST_CASE("cross-references after --until are left out, and asked for again by a run without it") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 20, 0, 3));  // issue K created 2024-01-01 + K hours
  Miner m;
  m.token = kToken;
  // Issue 5 is created at 05:00; its cross-reference comes two minutes later.
  m.run(server, {"acme/model"}, TimelineMode::kAll, 6, "2024-01-01T05:01:00Z");
  CHECK(count(m.store, "SELECT count(*) FROM issues WHERE title IS NOT NULL") == 5);
  CHECK(count(m.store, "SELECT count(*) FROM timeline_events") == 4);  // issues 1 to 4
  CHECK(count(m.store, "SELECT count(*) FROM issue_timelines WHERE for_updated_at IS NULL") == 1);
  server.reset_stats();
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(count(m.store, "SELECT count(*) FROM timeline_events") == 18);  // 20 issues, 2 pull requests
  CHECK(server.stats().graphql_issues == 1 + 13);                       // issue 5 again, and the new ones
}

TEST_CASE("the token goes to the GraphQL endpoint but not into the database") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 40, 10, 4));
  FakeFaults f;
  f.required_token = kToken;
  server.set_faults(f);
  Miner m;
  m.token = kToken;
  m.run(server, {"acme/model"}, TimelineMode::kAll);
  CHECK(server.stats().graphql_requests == 1);
  for (const std::string& a : server.stats().authorizations) CHECK(a == std::string("Bearer ") + kToken);
  std::string all;
  for (const char* table : {"issues", "comments", "issue_events", "timeline_events", "issue_timelines", "sync_state",
                            "http_cache", "runs"}) {
    Query q = m.store.db().query(std::string("SELECT * FROM ") + table);
    while (q.step()) {
      for (int c = 0; c < 16; ++c) all += q.column_text(c);
    }
  }
  CHECK(all.find("GraphqlSecret") == std::string::npos);
  CHECK(all.find("graphql") != std::string::npos);  // the run's summary says the route
}

TEST_CASE("a duplicate mark is named from the side of the timeline it is on, other item types are refused") {
  auto subject = [](int64_t n) {
    return nlohmann::json{{"__typename", "Issue"},
                          {"number", n},
                          {"title", "t"},
                          {"url", "https://github.com/acme/model/issues/" + std::to_string(n)},
                          {"repository", {{"nameWithOwner", "acme/model"}}}};
  };
  nlohmann::json mark = {{"__typename", "MarkedAsDuplicateEvent"},
                         {"createdAt", "2024-03-01T00:00:00Z"},
                         {"actor", {{"login", "maintainer"}}},
                         {"isCrossRepository", false},
                         {"canonical", subject(3)},
                         {"duplicate", subject(9)}};
  CHECK(graphql_timeline_item(mark, 9, "here").event == "marked_as_duplicate");
  TimelineEvent on_original = graphql_timeline_item(mark, 3, "here");
  CHECK(on_original.event == "marked_as_canonical");
  CHECK(on_original.actor == "maintainer");
  CHECK(
      on_original.detail ==
      R"({"canonical_is_pull_request":false,"canonical_number":3,"canonical_repository":"acme/model",)"
      R"("canonical_title":"t","canonical_url":"https://github.com/acme/model/issues/3",)"
      R"("duplicate_is_pull_request":false,"duplicate_number":9,"duplicate_repository":"acme/model",)"
      R"("duplicate_title":"t","duplicate_url":"https://github.com/acme/model/issues/9","is_cross_repository":false})");
  mark["__typename"] = "UnmarkedAsDuplicateEvent";
  CHECK(graphql_timeline_item(mark, 9, "here").event == "unmarked_as_duplicate");
  CHECK(graphql_timeline_item(mark, 3, "here").event == "unmarked_as_canonical");
  mark["canonical"] = nullptr;  // an original the token cannot see
  CHECK(graphql_timeline_item(mark, 9, "here").event == "unmarked_as_duplicate");
  mark["__typename"] = "LabeledEvent";
  CHECK_THROWS_WITH_AS(graphql_timeline_item(mark, 9, "here"),
                       doctest::Contains("here: unexpected timeline item 'LabeledEvent'"), Error);
  mark["__typename"] = "CrossReferencedEvent";
  mark["willCloseTarget"] = "yes";
  CHECK_THROWS_WITH_AS(graphql_timeline_item(mark, 9, "here"),
                       "here.willCloseTarget: expected true or false, got string", Error);
}
