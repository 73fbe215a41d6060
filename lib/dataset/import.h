// dataset/import.h — `firstmile import-dataset`: a published labelled dataset as gold annotations.
//
//   DatasetImportOptions o;  o.name = "open-llm-failures";
//   DatasetImportSummary s = import_dataset(store, taxonomy, preset, "../shared/datasets/open-llm-failures", o);
//   s.records == 706; s.issues == 703;
//   print_dataset_import_summary(s, "firstmile.db", std::cout);
//
// Every label is mapped to a taxonomy node before anything is written. A label outside the
// taxonomy refuses the whole import (naming file and record) unless `lenient`, which imports
// it as unmapped and counts it. The import is one transaction, so a failure leaves the
// database as it was; importing the same data again changes nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;
class Taxonomy;
struct Preset;

struct DatasetImportOptions {
  std::string name;                       // dataset name; annotations get source "gold:<name>"
  bool lenient = false;                   // import unknown labels as unmapped instead of refusing
  std::optional<int64_t> stated_records;  // overrides the preset's stated count
  std::vector<std::string> argv;          // recorded in the run
};

struct SeriesCount {
  std::string series;
  int64_t records = 0;
  int64_t issues = 0;
};

struct DatasetImportSummary {
  std::string source;
  int64_t run_id = 0;
  int64_t files = 0;
  int64_t records = 0;
  int64_t issues = 0;      // distinct issue links
  int64_t new_issues = 0;  // issues not in the database before
  int64_t repositories = 0;
  int64_t unmapped_labels = 0;  // only with lenient
  int64_t normalised_labels = 0;
  std::optional<int64_t> stated_records;
  std::vector<SeriesCount> per_series;
};

DatasetImportSummary import_dataset(Store& store, const Taxonomy& taxonomy, const Preset& preset,
                                    const std::filesystem::path& dir, const DatasetImportOptions& options);

// What `firstmile import-dataset` prints when done: counts, label notes, and a table by series.
void print_dataset_import_summary(const DatasetImportSummary& summary, const std::string& db, std::ostream& out);

}  // namespace firstmile
