// Tests of mine/issue_import.h on small GitHub-shaped files.
#include <doctest/doctest.h>

#include <functional>

#include "base/error.h"
#include "dataset/preset.h"
#include "mine/issue_import.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

const char* kIssues = R"([
  {"url": "https://api.github.com/repos/QwenLM/Qwen2.5/issues/5", "html_url": "https://github.com/QwenLM/Qwen2.5/issues/5",
   "id": 1005, "number": 5, "title": "显存不足 when fine-tuning", "body": null, "state": "open",
   "user": {"login": "alice"}, "labels": [{"name": "bug"}], "comments": 1,
   "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-02T10:00:00Z", "closed_at": null,
   "author_association": "NONE"},
  {"html_url": "https://github.com/QwenLM/Qwen2.5/pull/6", "id": 1006, "number": 6, "title": "Fix docs",
   "body": "x", "state": "closed", "user": null, "labels": [], "comments": 0,
   "pull_request": {"url": "u"}, "created_at": "2024-05-03T10:00:00Z", "updated_at": "2024-05-03T10:00:00Z"}
])";

const char* kComments =
    R"({"id": 9001, "issue_url": "https://api.github.com/repos/QwenLM/Qwen2.5/issues/5", "user": {"login": "bob"}, "body": "try bf16", "created_at": "2024-05-01T11:00:00Z", "updated_at": "2024-05-01T11:00:00Z"}
{"id": 9002, "issue_url": "https://api.github.com/repos/meta-llama/llama3/issues/77", "user": {"login": "carol"}, "body": "same here", "created_at": "2024-05-01T12:00:00Z", "updated_at": "2024-05-01T12:00:00Z"}
)";

Preset preset() { return load_preset(source_file("data/presets/open-llm-failures.json").string()); }

std::string issues_content(Store& store) {
  std::string out;
  Query s = store.db().query(
      "SELECT i.number, i.title, i.body, i.state, i.author, i.labels, i.is_pull_request, i.updated_at, "
      "(SELECT group_concat(body, '|') FROM comments c WHERE c.issue_id = i.id) FROM issues i ORDER BY i.id");
  while (s.step()) {
    for (int c = 0; c < 9; ++c) out += s.column_text(c) + ";";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("importing issues and a JSON Lines comment file fills issues and comments") {
  TempDir dir;
  write_file(dir / "issues.json", kIssues);
  write_file(dir / "comments.jsonl", kComments);
  Store store = Store::open_memory();
  IssueImportSummary s = import_issue_files(store, preset(), {dir / "issues.json", dir / "comments.jsonl"}, {});
  CHECK(s.issues == 2);
  CHECK(s.pull_requests == 1);
  CHECK(s.comments == 2);
  CHECK(s.new_issues == 2);
  CHECK(s.new_comments == 2);
  CHECK(s.comments_without_issue_text == 1);  // llama3#77 is only known through its comment
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE title IS NULL") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories WHERE series = 'Qwen' AND model = 'Qwen2.5'") == 1);
}

TEST_CASE("re-importing the same files changes nothing") {
  TempDir dir;
  write_file(dir / "issues.json", kIssues);
  write_file(dir / "comments.jsonl", kComments);
  Store store = Store::open_memory();
  import_issue_files(store, preset(), {dir / "issues.json", dir / "comments.jsonl"}, {});
  std::string before = issues_content(store);
  IssueImportSummary again = import_issue_files(store, preset(), {dir / "issues.json", dir / "comments.jsonl"}, {});
  CHECK(again.new_issues == 0);
  CHECK(again.updated_issues == 0);
  CHECK(again.unchanged_issues == 2);
  CHECK(again.new_comments == 0);
  CHECK(issues_content(store) == before);
}

TEST_CASE("an older copy of an issue does not overwrite a newer one") {
  TempDir dir;
  write_file(dir / "new.json", R"([{"html_url": "https://github.com/o/r/issues/1", "number": 1, "title": "new",
                                    "updated_at": "2024-06-01T00:00:00Z"}])");
  write_file(dir / "old.json", R"([{"html_url": "https://github.com/o/r/issues/1", "number": 1, "title": "old",
                                    "updated_at": "2024-01-01T00:00:00Z"}])");
  Store store = Store::open_memory();
  import_issue_files(store, preset(), {dir / "new.json"}, {});
  IssueImportSummary s = import_issue_files(store, preset(), {dir / "old.json"}, {});
  CHECK(s.older_skipped == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE title = 'new'") == 1);
}

TEST_CASE("comments embedded in their issue are imported with it") {
  TempDir dir;
  write_file(dir / "embedded.json", R"([{"html_url": "https://github.com/o/r/issues/2", "number": 2, "title": "t",
     "comments": [{"id": 1, "body": "first"}, {"id": 2, "body": "second"}]}])");
  Store store = Store::open_memory();
  IssueImportSummary s = import_issue_files(store, preset(), {dir / "embedded.json"}, {});
  CHECK(s.comments == 2);
  CHECK(store.db().query_int("SELECT comments_count FROM issues") == 2);
  CHECK(store.db().query_int("SELECT count(*) FROM comments") == 2);
}

TEST_CASE("a bad file anywhere refuses the whole import and writes nothing") {
  TempDir dir;
  write_file(dir / "good.json", kIssues);
  write_file(dir / "bad.json", "[{\"html_url\": \"https://github.com/o/r/issues/1\", \"number\": 1,\n \"title\": ");
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import_issue_files(store, preset(), {dir / "good.json", dir / "bad.json"}, {}),
                       doctest::Contains("bad.json: line 1: JSON value never ends"), Error);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("invalid JSON inside a value is reported at its line in the file") {
  TempDir dir;
  write_file(
      dir / "bad.jsonl",
      "{\"html_url\": \"https://github.com/o/r/issues/1\", \"number\": 1}\n{\"number\": 2,, \"title\": \"x\"}\n");
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import_issue_files(store, preset(), {dir / "bad.jsonl"}, {}),
                       doctest::Contains("bad.jsonl: line 2, column"), Error);
}

namespace {

// `gh issue list --repo QwenLM/Qwen2.5 --state all --json number,title,body,author,createdAt,updatedAt,closedAt,
// state,stateReason,labels,comments,url,reactionGroups` as gh writes it into a pipe: one compact array, keys
// sorted, node ids for ids, comments nested.
const char* kGhList =
    R"([{"author":{"id":"MDQ6VXNlcjE=","is_bot":false,"login":"alice","name":"Alice"},"body":"OOM on load",)"
    R"("closedAt":"2024-05-04T09:00:00Z","comments":[{"id":"IC_kwDOKs5bTc5-AAAB","author":{"login":"bob"},)"
    R"("authorAssociation":"NONE","body":"try bf16","createdAt":"2024-05-01T11:00:00Z","includesCreatedEdit":false,)"
    R"("isMinimized":false,"minimizedReason":"","reactionGroups":[{"content":"HEART","users":{"totalCount":2}}],)"
    R"("url":"https://github.com/QwenLM/Qwen2.5/issues/5#issuecomment-9001","viewerDidAuthor":false}],)"
    R"("createdAt":"2024-05-01T10:00:00Z","labels":[{"id":"LA_kwDOKs5bTc8AAAABc","name":"bug",)"
    R"("description":"Something isn't working","color":"d73a4a"}],"number":5,"reactionGroups":[{"content":"THUMBS_UP",)"
    R"("users":{"totalCount":3}},{"content":"EYES","users":{"totalCount":1}}],"state":"CLOSED",)"
    R"("stateReason":"COMPLETED","title":"显存不足 when fine-tuning","updatedAt":"2024-05-04T09:00:00Z",)"
    R"("url":"https://github.com/QwenLM/Qwen2.5/issues/5"},)"
    R"({"author":null,"body":"","closedAt":null,"comments":[],"createdAt":"2024-05-02T10:00:00Z","labels":[],)"
    R"("number":6,"reactionGroups":[],"state":"OPEN","stateReason":"","title":"Hangs",)"
    R"("updatedAt":"2024-05-02T10:00:00Z","url":"https://github.com/QwenLM/Qwen2.5/issues/6"}])"
    "\n";

}  // namespace

TEST_CASE("gh issue list --json: camelCase issues, the repository from the url, comments nested, reactions") {
  TempDir dir;
  write_file(dir / "list.json", kGhList);
  Store store = Store::open_memory();
  IssueImportSummary s = import_issue_files(store, preset(), {dir / "list.json"}, {});
  CHECK(s.issues == 2);
  CHECK(s.comments == 1);
  CHECK(s.repositories == 1);
  Query q = store.db().query(
      "SELECT r.owner || '/' || r.name, i.title, i.state, i.state_reason, i.author, i.labels, i.created_at, "
      "i.closed_at, i.reactions_total, json_extract(i.reactions, '$.\"+1\"'), i.comments_count "
      "FROM issues i JOIN repositories r ON r.id = i.repository_id WHERE i.number = 5");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "QwenLM/Qwen2.5");
  CHECK(q.column_text(1) == "显存不足 when fine-tuning");
  CHECK(q.column_text(2) == "closed");
  CHECK(q.column_text(3) == "completed");
  CHECK(q.column_text(4) == "alice");
  CHECK(q.column_text(5) == R"(["bug"])");
  CHECK(q.column_text(6) == "2024-05-01T10:00:00Z");
  CHECK(q.column_text(7) == "2024-05-04T09:00:00Z");
  CHECK(q.column_int(8) == 4);
  CHECK(q.column_int(9) == 3);
  CHECK(q.column_int(10) == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE number = 6 AND state = 'open' AND "
                             "state_reason IS NULL AND author IS NULL AND reactions_total = 0") == 1);
  // The nested comment, under the id the REST API gives it (from its url).
  CHECK(store.db().query_int("SELECT count(*) FROM comments WHERE github_id = 9001 AND author = 'bob' AND "
                             "author_association = 'NONE' AND body = 'try bf16' AND reactions_total = 2") == 1);
}

TEST_CASE("gh issue view --json writes one object, its comment and the REST one are the same row") {
  TempDir dir;
  nlohmann::json list = nlohmann::json::parse(kGhList);
  write_file(dir / "view.json", list[0].dump(2) + "\n");  // a terminal gets it indented
  write_file(dir / "comments.jsonl", kComments);
  Store store = Store::open_memory();
  IssueImportSummary s = import_issue_files(store, preset(), {dir / "view.json", dir / "comments.jsonl"}, {});
  CHECK(s.issues == 1);
  CHECK(s.comments == 3);
  CHECK(s.new_comments == 2);  // 9001 came twice: once nested (gh), once from the REST comments file
  CHECK(store.db().query_int("SELECT count(*) FROM comments WHERE github_id = 9001") == 1);
}

TEST_CASE("gh api --paginate --slurp: an array of pages of issues") {
  TempDir dir;
  nlohmann::json issues = nlohmann::json::parse(kIssues);
  nlohmann::json slurped =
      nlohmann::json::array({nlohmann::json::array({issues[0]}), nlohmann::json::array({issues[1]})});
  write_file(dir / "slurp.json", slurped.dump() + "\n");
  write_file(dir / "plain.json", kIssues);
  Store store = Store::open_memory();
  IssueImportSummary s = import_issue_files(store, preset(), {dir / "slurp.json"}, {});
  CHECK(s.issues == 2);
  CHECK(s.pull_requests == 1);
  Store plain = Store::open_memory();
  import_issue_files(plain, preset(), {dir / "plain.json"}, {});
  CHECK(issues_content(store) == issues_content(plain));
  // A bad value is placed by page and element.
  slurped[1][0]["number"] = "six";
  write_file(dir / "bad.json", slurped.dump() + "\n");
  CHECK_THROWS_WITH_AS(import_issue_files(store, preset(), {dir / "bad.json"}, {}),
                       doctest::Contains("bad.json: line 1: page 2: element 1: field 'number' must be an integer"),
                       Error);
}

TEST_CASE("gh's shape with a missing url, a bad reaction count or a comment url without its id is refused") {
  TempDir dir;
  Store store = Store::open_memory();
  auto refused = [&](const std::function<void(nlohmann::json&)>& spoil, const std::string& message) {
    nlohmann::json list = nlohmann::json::parse(kGhList);
    spoil(list);
    write_file(dir / "list.json", list.dump());
    CHECK_THROWS_WITH_AS(import_issue_files(store, preset(), {dir / "list.json"}, {}),
                         doctest::Contains(message.c_str()), Error);
  };
  refused([](nlohmann::json& l) { l[1].erase("url"); },
          "list.json: line 1: element 2: issue 6: no field 'url' to tell its repository (add url to gh's --json");
  refused([](nlohmann::json& l) { l[0]["reactionGroups"][1]["users"]["totalCount"] = -1; },
          "list.json: line 1: element 1: reactionGroups[1]: field 'users.totalCount' must be a non-negative integer, "
          "got -1");
  refused([](nlohmann::json& l) { l[0]["comments"][0]["url"] = "https://github.com/QwenLM/Qwen2.5/issues/5"; },
          "list.json: line 1: element 1: comment 1: field 'url' must end in #issuecomment-ID");
  refused([](nlohmann::json& l) { l[0]["createdAt"] = "May 1"; },
          "element 1: field 'createdAt' must be an ISO 8601 time");
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 0);
}
