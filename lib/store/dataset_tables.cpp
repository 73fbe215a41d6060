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
      .bind(1, r.source)
      .bind(2, r.file)
      .bind(3, r.record_index)
      .bind(4, r.number)
      .bind(5, r.link)
      .bind(6, r.status)
      .bind(7, r.symptom_label)
      .bind(8, r.root_cause_label)
      .bind(9, r.stage_label)
      .bind(10, r.model)
      .bind(11, r.architecture)
      .bind(12, r.annotation_id)
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
      .bind(1, i.source)
      .bind(2, i.path)
      .bind(3, i.files)
      .bind(4, i.records)
      .bind(5, i.stated_records)
      .bind(6, i.run_id)
      .bind(7, i.imported_at)
      .run();
}

}  // namespace firstmile
