// store/dataset_tables.cpp — the writes of `firstmile import-dataset` besides its annotations.
#include "store/dataset_tables.h"

#include "store/store.h"

namespace firstmile {

void clear_dataset_records(Store& store, const std::string& source) {
  store.db().query("DELETE FROM dataset_records WHERE source = ?").bind(1, source).run();
}

void save_dataset_record(Store& store, const DatasetRecordRow& r) {
  store.db()
      .query(
          "INSERT INTO dataset_records (source, file, record_index, number, link, status, symptom_label, "
          "root_cause_label, stage_label, model, architecture, annotation_id) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(r.source, r.file, r.record_index, r.number, r.link, r.status, r.symptom_label, r.root_cause_label,
                r.stage_label, r.model, r.architecture, r.annotation_id)
      .run();
}

void remove_stale_dataset_annotations(Store& store, const std::string& source, int64_t run_id) {
  store.db()
      .query("DELETE FROM annotations WHERE source = ? AND run_id IS NOT ?")
      .bind(1, source)
      .bind(2, run_id)
      .run();
}

void save_dataset_import(Store& store, const DatasetImportRow& i) {
  store.db()
      .query(
          "INSERT INTO dataset_imports (source, path, files, records, stated_records, run_id, imported_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET path = excluded.path, "
          "files = excluded.files, records = excluded.records, stated_records = excluded.stated_records, "
          "run_id = excluded.run_id, imported_at = excluded.imported_at")
      .bind_all(i.source, i.path, i.files, i.records, i.stated_records, i.run_id, i.imported_at)
      .run();
}

}  // namespace firstmile
