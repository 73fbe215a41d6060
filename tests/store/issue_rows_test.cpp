// Tests of store/issue_rows.h.
#include <doctest/doctest.h>

#include "store/issue_rows.h"
#include "store/store.h"

using namespace firstmile;

TEST_CASE("an issue has text once its title is stored, not as a placeholder nor when unknown") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  store.ensure_issue(repo, 1, "https://github.com/o/r/issues/1");
  IssueData two;
  two.repository_id = repo;
  two.number = 2;
  two.title = "OOM";
  two.url = "https://github.com/o/r/issues/2";
  store.upsert_issue(two);
  CHECK_FALSE(issue_has_text(store, repo, 1));
  CHECK(issue_has_text(store, repo, 2));
  CHECK_FALSE(issue_has_text(store, repo, 3));
  CHECK(issue_count(store) == 2);
}

TEST_CASE("deleting a comment by its GitHub id says how many rows went") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t issue = store.ensure_issue(repo, 1, "https://github.com/o/r/issues/1");
  CommentData c;
  c.github_id = 77;
  c.body = "spam";
  store.upsert_comment(issue, c);
  CHECK(delete_comment(store, 77) == 1);
  CHECK(delete_comment(store, 77) == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM comments") == 0);
}
