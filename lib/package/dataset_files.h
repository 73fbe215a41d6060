// package/dataset_files.h — one source's labels in the layout of the published Open-LLM-Failures
// repository, so that `firstmile import-dataset` reads them back.
//
//   DatasetFiles d = write_dataset_files(store, "gold:open-llm-failures", "pkg/dataset");
//   d.files == 14; d.records == 706; d.verbatim   // written from the records as imported
//
// A source imported from a published dataset is written from its records as they were read
// (dataset_records: same files, same order, labels verbatim), so a re-import gives the same
// annotations. Any other source (rules, llm:MODEL, manual:NAME) is written from its
// annotations, one file per repository (<owner>/<model>/<name>.json), labels as taxonomy paths
// ("Crash - CUDA Error - Out of Memory"); failures without all three labels are left out and
// counted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace firstmile {

class Store;

struct DatasetFiles {
  std::string source;
  std::string name;  // what import-dataset names it: "open-llm-failures" for gold:open-llm-failures
  int64_t files = 0, records = 0;
  int64_t left_out = 0;   // annotations without the three labels (not from dataset_records)
  bool verbatim = false;  // written from dataset_records
};

DatasetFiles write_dataset_files(Store& store, const std::string& source, const std::filesystem::path& dir);

}  // namespace firstmile
