// Tests of mine/gharchive_event.h: the pre-filter on raw lines, and the fast and reference
// parsers, which must read every event alike.
#include <doctest/doctest.h>

#include "base/error.h"
#include "gharchive_fixture.h"
#include "mine/gharchive_event.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

std::string text(const std::optional<std::string>& s) { return s ? "'" + *s + "'" : "null"; }
std::string text(const std::optional<int64_t>& n) { return n ? std::to_string(*n) : "null"; }
std::string text(const std::optional<Reactions>& r) { return r ? r->json() : "null"; }

// Every field an event carries to the store, spelled out.
std::string describe(const IssueEvent& e) {
  const IssueData& d = e.issue;
  std::string out = e.owner + "/" + e.name + " #" + std::to_string(d.number) + " id=" + text(d.github_id) +
                    " title=" + text(d.title) + " body=" + text(d.body) + " state=" + text(d.state) +
                    " reason=" + text(d.state_reason) + " author=" + text(d.author) +
                    " assoc=" + text(d.author_association) + " created=" + text(d.created_at) +
                    " updated=" + text(d.updated_at) + " closed=" + text(d.closed_at) +
                    " comments=" + text(d.comments_count) + " pr=" + std::to_string(d.is_pull_request) +
                    " url=" + d.url + " reactions=" + text(d.reactions) + " labels=";
  for (const std::string& l : d.labels) out += l + ",";
  if (!e.comment_event) return out;
  const CommentData& c = e.comment;
  return out + " | comment " + std::to_string(c.github_id) + " deleted=" + std::to_string(e.deleted) +
         " author=" + text(c.author) + " assoc=" + text(c.author_association) + " body=" + text(c.body) +
         " created=" + text(c.created_at) + " updated=" + text(c.updated_at) + " url=" + text(c.url) +
         " reactions=" + text(c.reactions);
}

const WantedRepositories kAll;

// What the reference parser makes of a line, described ("-" when it is not imported).
std::string reference(const std::string& line, const WantedRepositories& wanted = kAll) {
  IssueEvent e;
  return parse_issue_event_reference(line, "h.json", 1, wanted, e) ? describe(e) : "-";
}

std::string quickly(const std::string& line, QuickParse expected, const WantedRepositories& wanted = kAll) {
  IssueEvent e;
  QuickParse r = parse_issue_event_quickly(line, wanted, e);
  CHECK(r == expected);
  return r == QuickParse::kEvent ? describe(e) : "-";
}

}  // namespace

TEST_CASE("the pre-filter passes issue and comment events, by the first type that ends in Event") {
  CHECK(is_issue_event_line(issues_event("o/r", issue(1, "2024-05-01T10:00:00Z"))));
  CHECK(is_issue_event_line(comment_event("o/r", issue(1, "2024-05-01T10:00:00Z"), comment(7, "x"))));
  CHECK_FALSE(is_issue_event_line(kPush));
  CHECK_FALSE(is_issue_event_line(kWatch));
  // The issue's user carries "type": "User" before the event's own type: passed over.
  CHECK(is_issue_event_line(R"({"payload":{"issue":{"user":{"type":"User"}}},"type" : "IssuesEvent"})"));
  // Inside a string the quotes are escaped: not a type.
  CHECK_FALSE(is_issue_event_line(R"({"type":"PushEvent","payload":{"message":"\"type\":\"IssuesEvent\""}})"));
  CHECK_FALSE(is_issue_event_line(R"({"type":"PushEvent","payload":{"issue":{"type":"IssueCommentEvent"}}})"));
}

TEST_CASE("the pre-filter's repository check passes wanted repositories in any case, and lines it is unsure of") {
  const WantedRepositories wanted = {"qwenlm/qwen2.5"};
  CHECK(may_be_wanted_repository(issues_event("QwenLM/Qwen2.5", issue(1, "2024-05-01T10:00:00Z")), wanted));
  CHECK_FALSE(may_be_wanted_repository(issues_event("other/repo", issue(1, "2024-05-01T10:00:00Z")), wanted));
  CHECK(may_be_wanted_repository(R"({"repo":{"name":"QwenLM\/Qwen2.5"}})", wanted));  // escaped: unsure
  CHECK(may_be_wanted_repository(R"({"type":"IssuesEvent","payload":{}})", wanted));  // no repo: unsure
}

TEST_CASE("the fast parser reads an issue event and a comment event as the reference parser does") {
  json i = issue(5, "2024-05-01T11:00:00Z");
  i["state_reason"] = nullptr;
  i["pull_request"] = {{"url", "x"}};
  i["labels"] = json::array({{{"name", "bug"}, {"color", "d73a4a"}}, "question"});
  i["reactions"] = {{"url", "https://api.github.com/repos/QwenLM/Qwen2.5/issues/5/reactions"},
                    {"total_count", 4},
                    {"+1", 3},
                    {"-1", 0},
                    {"laugh", 0},
                    {"hooray", 0},
                    {"confused", 0},
                    {"heart", 0},
                    {"rocket", 0},
                    {"eyes", 1}};
  std::string opened = issues_event("QwenLM/Qwen2.5", i);
  CHECK(quickly(opened, QuickParse::kEvent) ==
        "QwenLM/Qwen2.5 #5 id=1005 title='Model fails to load' body='Traceback (most recent call last):\n  ...' "
        "state='open' reason=null author='alice' assoc=null created='2024-05-01T10:00:00Z' "
        "updated='2024-05-01T11:00:00Z' closed=null comments=0 pr=1 "
        "url=https://github.com/QwenLM/Qwen2.5/issues/5 reactions={\"+1\":3,\"-1\":0,\"laugh\":0,\"hooray\":0,"
        "\"confused\":0,\"heart\":0,\"rocket\":0,\"eyes\":1,\"total_count\":4} labels=bug,question,");
  CHECK(quickly(opened, QuickParse::kEvent) == reference(opened));
  std::string deleted = comment_event("QwenLM/Qwen2.5", i, comment(77, "spam \u00e9\n"), "deleted");
  CHECK(quickly(deleted, QuickParse::kEvent) == reference(deleted));
  CHECK(
      reference(deleted).ends_with(" | comment 77 deleted=1 author='bob' assoc=null body='spam \u00e9\n' "
                                   "created='2024-05-01T11:00:00Z' updated='2024-05-01T11:00:00Z' url=null "
                                   "reactions=null"));
}

TEST_CASE("the fast parser and the reference parser read every event of the storm alike") {
  int64_t events = 0, noise = 0;
  for (const std::string& line : storm_lines()) {
    noise += line == kPush || line == kWatch;
    if (!is_issue_event_line(line)) continue;
    ++events;
    CHECK(quickly(line, QuickParse::kEvent) == reference(line));
  }
  CHECK(events + noise == 4000);  // the pre-filter passed every issue event, and only those
}

TEST_CASE("the fast parser declines what it is unsure of, and the reference decides") {
  std::string line = issues_event("o/r", issue(1, "2024-05-01T10:00:00Z"));
  std::string commented = "/* a comment */ " + line;
  CHECK(quickly(commented, QuickParse::kDeclined) == "-");
  CHECK(reference(commented) == reference(line));
  // A repeated title: the reference keeps the last.
  std::string repeated = line;
  repeated.replace(repeated.find("\"title\""), 7, "\"title\":\"first\",\"title\"");
  CHECK(quickly(repeated, QuickParse::kDeclined) == "-");
  CHECK(reference(repeated) == reference(line));
  // An exponent.
  std::string exponent = line;
  exponent.replace(exponent.find("\"comments\":0"), 12, "\"comments\":0e0");
  CHECK(quickly(exponent, QuickParse::kDeclined) == "-");
  // A negative reaction count: the fast parser declines, the reference names the field.
  json negative = issue(1, "2024-05-01T10:00:00Z");
  negative["reactions"] = {{"+1", -2}, {"total_count", 0}};
  CHECK(quickly(issues_event("o/r", negative), QuickParse::kDeclined) == "-");
}

TEST_CASE("other events and repositories not wanted are not imported, by either parser") {
  const WantedRepositories wanted = {"qwenlm/qwen2.5"};
  std::string other = issues_event("other/repo", issue(1, "2024-05-01T10:00:00Z"));
  CHECK(quickly(other, QuickParse::kSkip, wanted) == "-");
  CHECK(reference(other, wanted) == "-");
  CHECK(quickly(kPush, QuickParse::kSkip) == "-");
  CHECK(reference(kPush) == "-");
  IssueEvent e;
  CHECK_FALSE(parse_issue_event(kWatch, "h.json", 1, kAll, e));
  CHECK(parse_issue_event(other, "h.json", 1, kAll, e));
  CHECK(e.owner == "other");
}

TEST_CASE("a trimmed payload without html_url takes the issue's URL from the event's repository") {
  std::string line = issues_event("QwenLM/Qwen2.5", issue(306, "2024-05-01T10:00:00Z"));
  IssueEvent e;
  REQUIRE(parse_issue_event(line, "h.json", 1, kAll, e));
  CHECK(e.issue.url == "https://github.com/QwenLM/Qwen2.5/issues/306");
  CHECK(reference(line) == describe(e));
}

TEST_CASE("a BigQuery row whose payload is a string of JSON is read like an event") {
  json payload = {
      {"action", "created"}, {"issue", issue(4, "2024-05-01T10:00:00Z")}, {"comment", comment(40, "same here")}};
  json row = {{"type", "IssueCommentEvent"},
              {"repo", {{"name", "QwenLM/Qwen2.5"}}},
              {"created_at", "2024-05-01 12:00:00 UTC"},
              {"payload", payload.dump()}};
  json plain = row;
  plain["payload"] = payload;
  CHECK(quickly(row.dump(), QuickParse::kEvent) == reference(plain.dump()));
  CHECK(reference(row.dump()) == reference(plain.dump()));
  CHECK(reference(row.dump()).find("body='same here'") != std::string::npos);
}

TEST_CASE("a reaction count that is not a non-negative integer names file, line and field") {
  json bad = issue(1, "2024-05-01T10:00:00Z");
  bad["reactions"] = {{"total_count", 2}, {"heart", 1.5}};
  IssueEvent e;
  CHECK_THROWS_WITH_AS(parse_issue_event(issues_event("o/r", bad), "bad.json.gz", 3, kAll, e),
                       "bad.json.gz: line 3: payload.issue: field 'reactions.heart' must be a non-negative integer, "
                       "got 1.5",
                       Error);
  json c = comment(9, "x");
  c["reactions"] = {{"+1", -1}};
  CHECK_THROWS_WITH_AS(
      parse_issue_event(comment_event("o/r", issue(1, "2024-05-01T10:00:00Z"), c), "bad.json.gz", 4, kAll, e),
      "bad.json.gz: line 4: payload.comment: field 'reactions.+1' must be a non-negative integer, got -1", Error);
}

TEST_CASE("an issue event with a field of the wrong type names file, line and field") {
  json bad = issue(1, "2024-05-01T10:00:00Z");
  bad["title"] = 5;
  IssueEvent e;
  CHECK_THROWS_WITH_AS(parse_issue_event(issues_event("o/r", bad), "bad.json.gz", 2, kAll, e),
                       "bad.json.gz: line 2: payload.issue: field 'title' must be a string, got number", Error);
  CHECK_THROWS_WITH_AS(
      parse_issue_event(issues_event("nobody", issue(1, "2024-05-01T10:00:00Z")), "h.json", 3, kAll, e),
      "h.json: line 3: repo.name 'nobody' is not OWNER/NAME", Error);
}

TEST_CASE("a time or state the store would refuse is declined by the fast parser and named by the reference") {
  IssueEvent e;
  json bad_time = issue(1, "2024-05-01T10:00:00Z");
  bad_time["created_at"] = "yesterday";
  std::string line = issues_event("o/r", bad_time);
  CHECK(quickly(line, QuickParse::kDeclined) == "-");
  CHECK_THROWS_WITH_AS(parse_issue_event(line, "h.json.gz", 4, kAll, e),
                       doctest::Contains("h.json.gz: line 4: payload.issue: field 'created_at' must be an ISO 8601 time"),
                       Error);
  json bad_state = issue(1, "2024-05-01T10:00:00Z");
  bad_state["state"] = "weird";
  line = issues_event("o/r", bad_state);
  CHECK(quickly(line, QuickParse::kDeclined) == "-");
  CHECK_THROWS_WITH_AS(parse_issue_event(line, "h.json.gz", 5, kAll, e),
                       doctest::Contains("field 'state' must be 'open' or 'closed', got 'weird'"), Error);
  json bad_comment = comment(7, "x");
  bad_comment["updated_at"] = "2099-13-45T00:00:00Z";
  line = comment_event("o/r", issue(1, "2024-05-01T10:00:00Z"), bad_comment);
  CHECK(quickly(line, QuickParse::kDeclined) == "-");
  CHECK_THROWS_WITH_AS(parse_issue_event(line, "h.json.gz", 6, kAll, e),
                       doctest::Contains("field 'updated_at' must be an ISO 8601 time"), Error);
  // GitHub's own spelling passes the fast parser.
  CHECK(quickly(issues_event("o/r", issue(1, "2024-05-01T10:00:00Z")), QuickParse::kEvent) != "-");
}

TEST_CASE("a malformed issue event is an error naming file, line and column") {
  std::string line = issues_event("o/r", issue(1, "2024-05-01T10:00:00Z"));
  line = line.substr(0, line.size() - 2);  // the closing brace cut off
  IssueEvent e;
  CHECK_THROWS_WITH_AS(parse_issue_event(line, "bad.json.gz", 7, kAll, e),
                       doctest::Contains("bad.json.gz: line 7, column"), Error);
}

TEST_CASE("a type written with \\u escapes is not lost by the pre-filter, and the parser reads it") {
  std::string line = issues_event("o/r", issue(1, "2024-05-01T10:00:00Z"));
  size_t at = line.find("\"IssuesEvent\"");
  REQUIRE(at != std::string::npos);
  line.replace(at, 13, "\"Issue\\u0073Event\"");
  CHECK(is_issue_event_line(line));
  // The fast parser hands the line to the reference one, which reads the escape.
  IssueEvent e;
  CHECK(parse_issue_event_quickly(line, kAll, e) == QuickParse::kDeclined);
  CHECK(reference(line) != "-");
  // A line of another type with escapes passes the pre-filter but parses to nothing.
  CHECK(is_issue_event_line(R"({"type":"Push\u0045vent","repo":{"name":"x/y"},"payload":{}})"));
}
