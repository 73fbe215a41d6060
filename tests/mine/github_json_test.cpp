// Tests of mine/github_json.h: GitHub's REST objects as store records.
#include <doctest/doctest.h>

#include "base/error.h"
#include "mine/github_json.h"

using namespace firstmile;
using nlohmann::json;

TEST_CASE("an issue object converts with null body, labels, author and the pull request flag") {
  json issue = json::parse(R"({"html_url": "https://github.com/QwenLM/Qwen2.5/issues/5", "id": 1005, "number": 5,
      "title": "OOM", "body": null, "state": "open", "user": {"login": "alice"}, "labels": [{"name": "bug"}, "gpu"],
      "comments": 1, "updated_at": "2024-05-02T10:00:00Z"})");
  GithubIssue i = issue_from_json(issue, "x");
  CHECK(i.link.repository() == "QwenLM/Qwen2.5");
  CHECK(i.data.number == 5);
  CHECK_FALSE(i.data.body.has_value());
  CHECK(i.data.author == "alice");
  CHECK(i.data.labels == std::vector<std::string>{"bug", "gpu"});
  CHECK(i.data.comments_count == 1);
  CHECK_FALSE(i.data.is_pull_request);
  json pull = json::parse(R"({"html_url": "https://github.com/QwenLM/Qwen2.5/pull/6", "number": 6, "title": "Fix",
      "user": null, "pull_request": {"url": "u"}})");
  GithubIssue pr = issue_from_json(pull, "x");
  CHECK(pr.data.is_pull_request);
  CHECK_FALSE(pr.data.author.has_value());
}

TEST_CASE("a field of the wrong type names the field") {
  auto bad = json::parse(R"({"html_url": "https://github.com/o/r/issues/1", "number": 1, "title": 5})");
  CHECK_THROWS_WITH_AS(issue_from_json(bad, "f.json: element 3"),
                       "f.json: element 3: field 'title' must be a string, got number", Error);
}

TEST_CASE("an issue without html_url is placed by its repository_url, and embedded comments come with it") {
  json issue = json::parse(R"({"repository_url": "https://ghe.example/api/v3/repos/acme/demo", "number": 12,
      "title": "t", "comments": [{"id": 7, "body": "me too"}]})");
  GithubIssue i = issue_from_json(issue, "x");
  CHECK(i.data.url == "https://github.com/acme/demo/issues/12");
  REQUIRE(i.comments.size() == 1);
  CHECK(i.comments[0].issue.url() == "https://github.com/acme/demo/issues/12");
  CHECK(i.data.comments_count == 1);
  CHECK_THROWS_WITH_AS(issue_from_json(json::parse(R"({"number": 3, "title": "t"})"), "y"),
                       "y: issue 3: neither 'html_url' nor 'repository_url' names its repository", Error);
}

TEST_CASE("a comment names its issue by html_url or issue_url, and is told from an issue") {
  json by_html = json::parse(R"({"id": 1, "html_url": "https://github.com/o/r/issues/4#issuecomment-1"})");
  json by_api = json::parse(R"({"id": 2, "issue_url": "https://api.github.com/repos/o/r/issues/9", "body": null})");
  CHECK(comment_from_json(by_html, "x").issue.number == 4);
  CHECK(comment_from_json(by_api, "x").issue.url() == "https://github.com/o/r/issues/9");
  CHECK(is_comment_json(by_api));
  CHECK_FALSE(is_comment_json(json::parse(R"({"issue_url": "u", "title": "an issue"})")));
  CHECK_THROWS_WITH_AS(comment_from_json(json::parse(R"({"body": "x"})"), "c"), "c: missing field 'id'", Error);
}

TEST_CASE("a timeline event keeps who, when, the commit and a trimmed detail") {
  json closed = json::parse(R"({"id": 11, "event": "closed", "actor": {"login": "maintainer"},
      "created_at": "2024-05-01T10:00:00Z", "commit_id": "abc", "state_reason": "completed", "node_id": "n"})");
  TimelineEvent e = timeline_event_from_json(closed, "x");
  CHECK(e.event == "closed");
  CHECK(e.github_id == 11);
  CHECK(e.actor == "maintainer");
  CHECK(e.commit_id == "abc");
  CHECK(e.detail == R"({"state_reason":"completed"})");
  json cross = json::parse(R"({"event": "cross-referenced", "source": {"issue": {"number": 1006, "title": "Fix",
      "html_url": "https://github.com/o/r/pull/1006", "pull_request": {"url": "x"}, "body": "long"}}})");
  TimelineEvent c = timeline_event_from_json(cross, "x");
  CHECK(c.source_url == "https://github.com/o/r/pull/1006");
  CHECK(c.detail == R"({"source_is_pull_request":true,"source_number":1006,"source_title":"Fix"})");
}

TEST_CASE("dates and states are checked where they enter, naming the record and the field") {
  auto issue = [](const std::string& extra) {
    return json::parse(R"({"number": 3, "html_url": "https://github.com/o/r/issues/3", "title": "t")" + extra + "}");
  };
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"(, "created_at": "yesterday")"), "f.json: element 2"),
                       "f.json: element 2: field 'created_at' must be an ISO 8601 time such as 2024-05-01T10:00:00Z, "
                       "got 'yesterday'",
                       Error);
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"(, "closed_at": "2024-02-30T00:00:00Z")"), "f"),
                       doctest::Contains("field 'closed_at' must be an ISO 8601 time"), Error);
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"(, "state": "weird")"), "f"),
                       "f: field 'state' must be 'open' or 'closed', got 'weird'", Error);
  CHECK(issue_from_json(issue(R"(, "state": "CLOSED")"), "f").data.state == "closed");  // gh's spelling
  CHECK(issue_from_json(issue(R"(, "created_at": "2024-05-01T10:00:00.123+08:00")"), "f").data.created_at);
  CHECK_THROWS_WITH_AS(
      issue_from_json(json::parse(R"({"number": -3, "html_url": "https://github.com/o/r/issues/3"})"), "f"),
      "f: field 'number' must be a positive integer, got -3", Error);
}

TEST_CASE("reactions of an issue and a comment are read, the total summed when GitHub leaves it out") {
  json issue = json::parse(R"({"number": 4, "html_url": "https://github.com/o/r/issues/4", "title": "t",
      "reactions": {"url": "https://api.github.com/repos/o/r/issues/4/reactions", "total_count": 5, "+1": 3,
                    "-1": 0, "laugh": 0, "hooray": 0, "confused": 1, "heart": 0, "rocket": 0, "eyes": 1}})");
  GithubIssue i = issue_from_json(issue, "f");
  REQUIRE(i.data.reactions);
  CHECK(i.data.reactions->counts[0] == 3);  // +1
  CHECK(i.data.reactions->counts[4] == 1);  // confused
  CHECK(i.data.reactions->total == 5);
  CHECK(i.data.reactions->json() ==
        R"({"+1":3,"-1":0,"laugh":0,"hooray":0,"confused":1,"heart":0,"rocket":0,"eyes":1,"total_count":5})");
  json comment = json::parse(R"({"id": 9, "html_url": "https://github.com/o/r/issues/4#issuecomment-9",
      "reactions": {"heart": 2, "rocket": 1}})");
  GithubComment c = comment_from_json(comment, "f");
  REQUIRE(c.data.reactions);
  CHECK(c.data.reactions->total == 3);
  issue.erase("reactions");
  CHECK_FALSE(issue_from_json(issue, "f").data.reactions);  // unknown, not zero
}

TEST_CASE("a reaction count that is not a non-negative integer names the record and the field") {
  auto issue = [](const std::string& reactions) {
    return json::parse(R"({"number": 3, "html_url": "https://github.com/o/r/issues/3", "reactions": )" + reactions +
                       "}");
  };
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"({"+1": -1})"), "f.json: element 2"),
                       "f.json: element 2: field 'reactions.+1' must be a non-negative integer, got -1", Error);
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"({"total_count": "7"})"), "f"),
                       "f: field 'reactions.total_count' must be a non-negative integer, got string", Error);
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"({"eyes": 2.5})"), "f"),
                       "f: field 'reactions.eyes' must be a non-negative integer, got 2.5", Error);
  CHECK_THROWS_WITH_AS(issue_from_json(issue(R"([1, 2])"), "f"), "f: field 'reactions' must be an object, got array",
                       Error);
  CHECK_THROWS_WITH_AS(
      comment_from_json(json::parse(R"({"id": 1, "reactions": {"heart": null}})"), "c.json: element 1"),
      "c.json: element 1: field 'reactions.heart' must be a non-negative integer, got null", Error);
}

TEST_CASE("an event of the repository-wide listing gives its issue's number and keeps neither issue nor user") {
  json event = json::parse(R"({"id": 101, "node_id": "X", "event": "closed", "actor": {"login": "maint", "id": 4},
      "commit_id": "abc123", "commit_url": "https://api.github.com/repos/o/r/commits/abc123",
      "created_at": "2024-05-01T10:00:00Z", "state_reason": "completed",
      "issue": {"id": 9, "number": 4, "title": "Crash", "html_url": "https://github.com/o/r/issues/4",
                "user": {"login": "reporter"}}})");
  GithubIssueEvent e = issue_event_from_json(event, "events page 1: element 3");
  CHECK(e.number == 4);
  CHECK(e.html_url == "https://github.com/o/r/issues/4");
  CHECK(e.event.github_id == 101);
  CHECK(e.event.event == "closed");
  CHECK(e.event.actor == "maint");
  CHECK(e.event.commit_id == "abc123");
  CHECK(e.event.detail == R"({"state_reason":"completed"})");
  event.erase("issue");
  CHECK_THROWS_WITH_AS(issue_event_from_json(event, "events page 1: element 3"),
                       "events page 1: element 3: missing field 'issue'", Error);
  event["issue"] = json::object();
  CHECK_THROWS_WITH_AS(issue_event_from_json(event, "p"), "p: issue: missing field 'number'", Error);
  event.erase("id");
  CHECK_THROWS_WITH_AS(issue_event_from_json(event, "p"), "p: missing field 'id'", Error);
}
