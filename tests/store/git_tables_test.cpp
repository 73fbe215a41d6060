// Tests of store/git_tables.h.
#include <doctest/doctest.h>

#include "store/git_tables.h"
#include "store/store.h"

using namespace firstmile;

namespace {

std::string rows(Store& store, const std::string& sql, int columns) {
  std::string out;
  Query q = store.db().query(sql);
  while (q.step()) {
    for (int c = 0; c < columns; ++c) out += (q.column_is_null(c) ? "NULL" : q.column_text(c)) + "|";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a commit is written with its files and issue links, and its sha is then known") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"acme", "demo", "", "", ""});
  CHECK(stored_commit_shas(store, repo).empty());
  CommitWriter writer(store);
  int64_t id = writer.add_commit({.repository_id = repo,
                                  .sha = "abc123",
                                  .author_name = "Alice",
                                  .author_email = std::nullopt,
                                  .authored_at = "2024-05-01T12:00:00Z",
                                  .committer_name = "Bob",
                                  .committer_email = "bob@example.com",
                                  .committed_at = "2024-05-01T13:00:00Z",
                                  .message = "Fixes #12",
                                  .parents = 1,
                                  .files_changed = 2,
                                  .insertions = 3,
                                  .deletions = 1});
  writer.add_file(id, {"a.txt", "modified", std::nullopt, 3, 1});
  writer.add_file(id, {"img.png", "renamed", "old.png", std::nullopt, std::nullopt});  // binary: no line counts
  writer.add_issue_link(id, {"acme", "demo", 12, "closes"});
  CHECK(stored_commit_shas(store, repo) == std::unordered_set<std::string>{"abc123"});
  CHECK(rows(store,
             "SELECT sha, author_name, author_email, authored_at, committer_email, committed_at, message, parents, "
             "files_changed, insertions, deletions FROM commits",
             11) == "abc123|Alice|NULL|2024-05-01T12:00:00Z|bob@example.com|2024-05-01T13:00:00Z|Fixes #12|1|2|3|1|\n");
  CHECK(rows(store, "SELECT path, status, old_path, insertions, deletions FROM commit_files ORDER BY path", 5) ==
        "a.txt|modified|NULL|3|1|\nimg.png|renamed|old.png|NULL|NULL|\n");
  CHECK(rows(store, "SELECT owner, name, number, kind FROM commit_issue_links", 4) == "acme|demo|12|closes|\n");
}

TEST_CASE("a tag is inserted, read back by name, and updated in place") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"acme", "demo", "", "", ""});
  TagRow lightweight{"abc123", "2024-05-01T12:00:00Z", std::nullopt, std::nullopt};
  TagRow annotated{"def456", "2024-05-02T12:00:00Z", "Alice <alice@example.com>", "First release\n"};
  save_tag(store, repo, "v0.1", lightweight);
  save_tag(store, repo, "v1.0", lightweight);
  save_tag(store, repo, "v1.0", annotated);  // moved and annotated
  std::map<std::string, TagRow> tags = stored_tags(store, repo);
  REQUIRE(tags.size() == 2);
  CHECK(tags.at("v0.1") == lightweight);
  CHECK(tags.at("v1.0") == annotated);
}
