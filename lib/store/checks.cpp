// store/checks.cpp — the lint's queries; the order of each is the order its findings list.
#include "store/checks.h"

#include "store/store.h"

namespace firstmile {

std::vector<DuplicateRecord> duplicate_dataset_records(Store& store) {
  Query s = store.db().query(
      "SELECT source, link, group_concat(file || ' record ' || record_index, '; ') "
      "FROM (SELECT source, link, file, record_index, "
      "      symptom_label || '|' || root_cause_label || '|' || stage_label AS labels "
      "      FROM dataset_records ORDER BY file, record_index) "
      "GROUP BY source, link, labels HAVING count(*) > 1 ORDER BY source, link");
  std::vector<DuplicateRecord> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), s.column_text(2)});
  return out;
}

std::vector<SeveralFailures> issues_with_several_failures(Store& store) {
  Query s = store.db().query(
      "SELECT a.source, r.owner || '/' || r.name || '#' || i.number, count(*) FROM annotations a "
      "JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id "
      "GROUP BY a.source, a.issue_id HAVING count(*) > 1 ORDER BY a.source, r.owner, r.name, i.number");
  std::vector<SeveralFailures> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), s.column_int(2)});
  return out;
}

std::vector<RecordLabels> dataset_record_labels(Store& store) {
  Query s = store.db().query(
      "SELECT source, file, record_index, symptom_label, root_cause_label, stage_label FROM dataset_records "
      "ORDER BY source, file, record_index");
  std::vector<RecordLabels> out;
  while (s.step()) {
    out.push_back(
        {s.column_text(0), s.column_text(1), s.column_int(2), s.column_text(3), s.column_text(4), s.column_text(5)});
  }
  return out;
}

std::vector<MisnumberedRecord> misnumbered_dataset_records(Store& store) {
  Query s = store.db().query(
      "SELECT source, file, record_index, number FROM dataset_records "
      "WHERE number IS NOT NULL AND number != record_index ORDER BY source, file, record_index");
  std::vector<MisnumberedRecord> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), s.column_int(2), s.column_int(3)});
  return out;
}

std::vector<DatasetImportCount> dataset_import_counts(Store& store) {
  Query s = store.db().query("SELECT source, records, stated_records, path FROM dataset_imports ORDER BY source");
  std::vector<DatasetImportCount> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_int(1), s.column_optional_int(2), s.column_text(3)});
  return out;
}

std::vector<UnmappedAnnotation> unmapped_annotations(Store& store) {
  Query s = store.db().query(
      "SELECT a.source, r.owner || '/' || r.name || '#' || i.number, a.symptom, coalesce(a.symptom_label, ''), "
      "a.root_cause, coalesce(a.root_cause_label, ''), a.stage, coalesce(a.stage_label, '') FROM annotations a "
      "JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id "
      "WHERE a.mapped = 0 ORDER BY a.source, a.issue_id, a.failure_index");
  std::vector<UnmappedAnnotation> out;
  while (s.step()) {
    out.push_back({s.column_text(0), s.column_text(1), s.column_optional_text(2), s.column_optional_text(4),
                   s.column_optional_text(6), s.column_text(3), s.column_text(5), s.column_text(7)});
  }
  return out;
}

std::vector<NodeUse> node_uses(Store& store, const std::string& taxonomy_id) {
  Query s = store.db().query(
      "SELECT source, node, count(*) FROM ("
      " SELECT source, symptom AS node FROM annotations WHERE taxonomy = ?1 AND symptom IS NOT NULL"
      " UNION ALL SELECT source, root_cause FROM annotations WHERE taxonomy = ?1 AND root_cause IS NOT NULL"
      " UNION ALL SELECT source, stage FROM annotations WHERE taxonomy = ?1 AND stage IS NOT NULL) "
      "GROUP BY source, node ORDER BY source, node");
  s.bind(1, taxonomy_id);
  std::vector<NodeUse> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), s.column_int(2)});
  return out;
}

std::vector<std::string> issues_without_text(Store& store) {
  Query s = store.db().query(
      "SELECT r.owner || '/' || r.name || '#' || i.number FROM issues i "
      "JOIN repositories r ON r.id = i.repository_id WHERE i.title IS NULL "
      "ORDER BY r.owner, r.name, i.number");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

}  // namespace firstmile
