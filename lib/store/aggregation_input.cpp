// store/aggregation_input.cpp — the queries behind the aggregation's reading of reports.
#include "store/aggregation_input.h"

#include "store/store.h"

namespace firstmile {

void for_each_report(Store& store, const std::function<void(ReportRow&)>& each) {
  Query q = store.db().query(
      "SELECT i.id, r.owner || '/' || r.name, coalesce(r.series, ''), coalesce(r.model, ''), i.number, i.url, i.title, "
      "coalesce(i.body, ''), coalesce(i.created_at, '') FROM issues i JOIN repositories r ON r.id = i.repository_id "
      "WHERE i.title IS NOT NULL AND i.is_pull_request = 0 ORDER BY i.created_at, i.id");
  ReportRow row;
  while (q.step()) {
    row.issue_id = q.column_int(0);
    row.repository = q.column_text(1);
    row.series = q.column_text(2);
    row.model = q.column_text(3);
    row.number = q.column_int(4);
    row.url = q.column_text(5);
    row.title = q.column_text(6);
    row.body = q.column_text(7);
    row.created_at = q.column_text(8);
    each(row);
  }
}

std::vector<int64_t> report_ids(Store& store) {
  std::vector<int64_t> out;
  Query q = store.db().query("SELECT id FROM issues WHERE title IS NOT NULL AND is_pull_request = 0");
  while (q.step()) out.push_back(q.column_int(0));
  return out;
}

std::unordered_map<int64_t, std::string> comment_threads(Store& store, const std::vector<int64_t>& issue_ids) {
  std::unordered_map<int64_t, std::string> out;
  if (issue_ids.empty()) return out;
  // One query for the lot (the ids as a JSON array), so a chunk of 20,000 reports costs one
  // statement, not 20,000: each id is looked up through the (issue_id, created_at) index.
  std::string ids = "[";
  for (int64_t id : issue_ids) {
    if (ids.size() > 1) ids += ',';
    ids += std::to_string(id);
  }
  ids += "]";
  Query q = store.db().query(
      "SELECT issue_id, coalesce(body, '') FROM comments WHERE issue_id IN (SELECT value FROM json_each(?)) "
      "ORDER BY issue_id, created_at, id");
  q.bind(1, ids);
  while (q.step()) out[q.column_int(0)].append(q.column_view(1)).push_back('\n');
  return out;
}

bool has_annotations(Store& store, const std::string& source) {
  return store.db().query("SELECT count(*) FROM annotations WHERE source = ?").bind(1, source).first_int().value_or(0) >
         0;
}

std::unordered_map<int64_t, ReportLabel> first_failure_causes(Store& store, const std::string& source) {
  std::unordered_map<int64_t, ReportLabel> out;
  Query q = store.db().query(
      "SELECT issue_id, coalesce(stage, ''), coalesce(root_cause, '') FROM annotations WHERE source = ? AND "
      "failure_index = 1");
  q.bind(1, source);
  while (q.step()) out[q.column_int(0)] = {q.column_text(1), q.column_text(2)};
  return out;
}

std::vector<DuplicateComment> comments_mentioning_duplicate(Store& store) {
  std::vector<DuplicateComment> out;
  // LIKE ignores ASCII case: a cheap first sieve; the caller reads what the comment says.
  Query q = store.db().query(
      "SELECT c.issue_id, r.owner, r.name, c.body FROM comments c JOIN issues i ON i.id = c.issue_id "
      "JOIN repositories r ON r.id = i.repository_id WHERE c.body LIKE '%duplicate%'");
  while (q.step()) out.push_back({q.column_int(0), q.column_text(1), q.column_text(2), q.column_text(3)});
  return out;
}

std::vector<DuplicateMark> duplicate_marks(Store& store) {
  std::vector<DuplicateMark> out;
  // mine/graphql_cross_references.h: *_as_duplicate rows name the original (canonical_*),
  // *_as_canonical rows the duplicate (duplicate_*).
  Query q = store.db().query(
      "SELECT issue_id, event LIKE 'marked%', CASE WHEN event LIKE '%duplicate' THEN "
      "json_extract(detail, '$.canonical_repository') ELSE json_extract(detail, '$.duplicate_repository') END, "
      "CASE WHEN event LIKE '%duplicate' THEN json_extract(detail, '$.canonical_number') ELSE "
      "json_extract(detail, '$.duplicate_number') END AS other, coalesce(created_at, '') FROM timeline_events "
      "WHERE event IN ('marked_as_duplicate', 'unmarked_as_duplicate', 'marked_as_canonical', "
      "'unmarked_as_canonical') AND json_valid(detail) AND other IS NOT NULL ORDER BY created_at, issue_id, position");
  while (q.step()) {
    if (q.column_is_null(2)) continue;
    out.push_back({q.column_int(0), q.column_int(1) != 0, q.column_text(2), q.column_int(3), q.column_text(4)});
  }
  return out;
}

}  // namespace firstmile
