// store/timeline_candidates.cpp — issues left-joined with their timelines' bookkeeping.
#include "store/timeline_candidates.h"

#include "store/store.h"

namespace firstmile {

void for_each_issue_needing_timeline(Store& store, int64_t repository_id,
                                     const std::function<void(const TimelineCandidateRow&)>& visit) {
  Query q = store.db().query(
      "SELECT i.id, i.number, i.updated_at, i.title, i.body, i.labels, t.issue_id IS NOT NULL FROM issues i "
      "LEFT JOIN issue_timelines t ON t.issue_id = i.id WHERE i.repository_id = ? AND i.is_pull_request = 0 "
      "AND i.title IS NOT NULL AND (t.issue_id IS NULL OR t.for_updated_at IS NOT i.updated_at) ORDER BY i.number");
  q.bind(1, repository_id);
  TimelineCandidateRow row;
  while (q.step()) {
    row.issue_id = q.column_int(0);
    row.number = q.column_int(1);
    row.updated_at = q.column_optional_text(2);
    row.title = q.column_text(3);
    row.body = q.column_text(4);
    row.labels_json = q.column_text(5);
    row.known = q.column_int(6) != 0;
    visit(row);
  }
}

}  // namespace firstmile
