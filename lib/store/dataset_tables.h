// store/dataset_tables.h — what a published dataset's import keeps besides its annotations:
// each record as read (dataset_records) and the import itself (dataset_imports).
//
//   clear_dataset_records(store, "gold:open-llm-failures");    // the import writes them all again
//   save_dataset_record(store, {.source = source, .file = "DeepSeek/R1 /DeepSeek-R1.json", ...});
//   remove_stale_dataset_annotations(store, source, run_id);   // records the data no longer holds
//   save_dataset_import(store, {.source = source, .path = "/abs/dir", ...});
//
// `firstmile check` reads these tables back (store/checks.h). Text fields of DatasetRecordRow
// are views, read during the call only. Tables are documented in docs/schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace firstmile {

class Store;

struct DatasetRecordRow {
  std::string_view source;        // the annotation source the record became
  std::string_view file;          // relative to the dataset folder
  int64_t record_index = 0;       // 1-based position in the file
  std::optional<int64_t> number;  // the record's own "number"
  std::string_view link, status;
  std::string_view symptom_label, root_cause_label, stage_label;  // verbatim
  std::string_view model, architecture;
  int64_t annotation_id = 0;
};

struct DatasetImportRow {
  std::string source;
  std::string path;  // absolute
  int64_t files = 0, records = 0;
  std::optional<int64_t> stated_records;  // what the dataset's publication states
  int64_t run_id = 0;
  std::string imported_at;  // ISO 8601
};

void clear_dataset_records(Store& store, const std::string& source);
void save_dataset_record(Store& store, const DatasetRecordRow& record);
// Deletes the source's annotations written by runs other than `run_id`.
void remove_stale_dataset_annotations(Store& store, const std::string& source, int64_t run_id);
// Inserts the import, or replaces the earlier one of the same source.
void save_dataset_import(Store& store, const DatasetImportRow& import);

}  // namespace firstmile
