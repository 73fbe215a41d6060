// store/issue_rows.cpp — one statement each.
#include "store/issue_rows.h"

#include "store/store.h"

namespace firstmile {

bool issue_has_text(Store& store, int64_t repository_id, int64_t number) {
  Query q = store.db().query("SELECT title IS NOT NULL FROM issues WHERE repository_id = ? AND number = ?");
  q.bind(1, repository_id).bind(2, number);
  return q.step() && q.column_int(0) != 0;
}

int64_t delete_comment(Store& store, int64_t github_id) {
  store.db().query("DELETE FROM comments WHERE github_id = ?").bind(1, github_id).run();
  return store.db().changes();
}

int64_t issue_count(Store& store) { return store.db().query_int("SELECT count(*) FROM issues"); }

}  // namespace firstmile
