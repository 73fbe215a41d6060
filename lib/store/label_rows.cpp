// store/label_rows.cpp — the annotation reads of labels, classify and select.
#include "store/label_rows.h"

#include "store/store.h"

namespace firstmile {

namespace {

// The columns read_label_row reads, from annotations a, issues i and repositories r.
constexpr const char* kLabelColumns =
    "SELECT a.issue_id, a.failure_index, a.source, r.owner || '/' || r.name, i.number, i.url, a.is_failure, "
    "a.taxonomy, coalesce(a.stage, ''), coalesce(a.symptom, ''), coalesce(a.root_cause, ''), a.confidence, "
    "a.needs_review, coalesce(a.evidence, '{}') "
    "FROM annotations a JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id ";

LabelRow read_label_row(const Query& q) {
  LabelRow row;
  row.issue_id = q.column_int(0);
  row.failure_index = static_cast<int>(q.column_int(1));
  row.source = q.column_text(2);
  row.repository = q.column_text(3);
  row.number = q.column_int(4);
  row.url = q.column_text(5);
  if (!q.column_is_null(6)) row.is_failure = static_cast<int>(q.column_int(6));
  row.taxonomy = q.column_text(7);
  row.stage = q.column_text(8);
  row.symptom = q.column_text(9);
  row.root_cause = q.column_text(10);
  row.confidence = q.column_is_null(11) ? std::nullopt : std::optional<double>(q.column_double(11));
  row.needs_review = q.column_int(12) != 0;
  row.evidence = q.column_text(13);
  return row;
}

}  // namespace

void for_each_label_of_source(Store& store, const std::string& source,
                              const std::function<void(const LabelRow&)>& visit) {
  Query q = store.db().query(std::string(kLabelColumns) + "WHERE a.source = ?");
  q.bind(1, source);
  while (q.step()) visit(read_label_row(q));
}

std::vector<LabelRow> labels_of_issue(Store& store, int64_t issue_id) {
  Query q = store.db().query(std::string(kLabelColumns) + "WHERE a.issue_id = ? ORDER BY a.source, a.failure_index");
  q.bind(1, issue_id);
  std::vector<LabelRow> rows;
  while (q.step()) rows.push_back(read_label_row(q));
  return rows;
}

std::map<int64_t, bool> issues_labelled_by(Store& store, const std::vector<std::string>& selectors) {
  std::map<int64_t, bool> out;
  Query q = store.db().query("SELECT issue_id, source, is_failure FROM annotations ORDER BY issue_id");
  while (q.step()) {
    std::string source = q.column_text(1);
    bool matched = false;
    for (const std::string& selector : selectors) matched = matched || source_matches(selector, source);
    if (!matched) continue;
    bool failure = q.column_is_null(2) || q.column_int(2) != 0;
    bool& any = out[q.column_int(0)];
    any = any || failure;
  }
  return out;
}

std::vector<LabelRow> first_failure_labels(Store& store, const std::string& taxonomy) {
  Query q =
      store.db().query(std::string(kLabelColumns) +
                       "WHERE a.failure_index = 1 AND a.taxonomy = ? AND a.is_failure IS NOT 0 AND i.title IS NOT NULL "
                       "ORDER BY a.issue_id");
  q.bind(1, taxonomy);
  std::vector<LabelRow> rows;
  while (q.step()) rows.push_back(read_label_row(q));
  return rows;
}

}  // namespace firstmile
