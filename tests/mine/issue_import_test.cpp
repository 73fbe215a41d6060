// Tests of mine/issue_import.h on small GitHub-shaped files.
#include <doctest/doctest.h>

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
