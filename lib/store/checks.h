// store/checks.h — the questions `firstmile check` asks of the database, one function each.
// What makes a finding, and how it reads, is the lint's (dataset/check.h); these only fetch.
//
//   for (const SeveralFailures& s : issues_with_several_failures(store)) ...s.issue, s.failures...
//
// Rows come for every source, in a stable order (given with each function); the lint selects.
// An issue is named "OWNER/NAME#N".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

// The same link with the same three labels more than once in a source's records; by source, link.
struct DuplicateRecord {
  std::string source, link;
  std::string places;  // "FILE record N; FILE record M", in file order
};
std::vector<DuplicateRecord> duplicate_dataset_records(Store& store);

// Issues with more than one annotation of a source; by source, repository, number.
struct SeveralFailures {
  std::string source, issue;
  int64_t failures = 0;
};
std::vector<SeveralFailures> issues_with_several_failures(Store& store);

// Every dataset record's labels as published; by source, file, record.
struct RecordLabels {
  std::string source, file;
  int64_t record_index = 0;
  std::string symptom, root_cause, stage;
};
std::vector<RecordLabels> dataset_record_labels(Store& store);

// Records whose own "number" differs from their position in the file; by source, file, record.
struct MisnumberedRecord {
  std::string source, file;
  int64_t record_index = 0, number = 0;
};
std::vector<MisnumberedRecord> misnumbered_dataset_records(Store& store);

// Each dataset import's record count, and the count its publication states; by source.
struct DatasetImportCount {
  std::string source;
  int64_t records = 0;
  std::optional<int64_t> stated_records;
  std::string path;
};
std::vector<DatasetImportCount> dataset_import_counts(Store& store);

// Annotations with a label outside the taxonomy (node ids unset); by source, issue, failure.
struct UnmappedAnnotation {
  std::string source, issue;
  std::optional<std::string> symptom, root_cause, stage;  // node ids
  std::string symptom_label, root_cause_label, stage_label;
};
std::vector<UnmappedAnnotation> unmapped_annotations(Store& store);

// How many annotations of each source use each node id under the taxonomy id; by source, node.
struct NodeUse {
  std::string source, node;
  int64_t annotations = 0;
};
std::vector<NodeUse> node_uses(Store& store, const std::string& taxonomy_id);

// Issues stored only as placeholders (no text yet); by repository, number.
std::vector<std::string> issues_without_text(Store& store);

}  // namespace firstmile
