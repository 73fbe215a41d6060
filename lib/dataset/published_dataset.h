// dataset/published_dataset.h — reading a labelled dataset in the layout of Open-LLM-Failures.
//
//   std::vector<DatasetFile> files = read_published_dataset("../shared/datasets/open-llm-failures");
//   for (const DatasetFile& f : files)
//     for (const DatasetRecord& r : f.records) ... r.link, r.symptom, r.root_cause, r.stage
//
// The layout is <owner folder>/<model folder>/<file>.json, each file a JSON array of records
// {number, link, status, SYMPTOM, ROOT CAUSE, STAGE, model, architecture}. Folder names may end
// in a space, as in the published repository. Reading only parses and type-checks: a
// truncated file, a wrong type or a missing field throws Error naming the file and the record.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

struct DatasetRecord {
  int record_index = 0;           // 1-based position in its file
  std::optional<int64_t> number;  // the record's own "number"
  std::string link;
  std::string status;
  std::string symptom;  // labels verbatim, white space and all
  std::string root_cause;
  std::string stage;
  std::string model;
  std::string architecture;
};

struct DatasetFile {
  std::string relative_path;  // "DeepSeek/R1 /DeepSeek-R1.json"
  std::vector<DatasetRecord> records;
};

// All *.json files below `dir` (any depth), in byte order of their relative paths.
std::vector<DatasetFile> read_published_dataset(const std::filesystem::path& dir);

// A replication package (`firstmile package`) keeps its labelled dataset in the folder
// kPackageDatasetFolder beside kPackageManifest, whose "dataset": {"name": ...} names it. Given
// a package's folder, where its dataset is and its name; given any other folder, the folder
// itself and an empty name.
inline constexpr const char* kPackageManifest = "MANIFEST.json";
inline constexpr const char* kPackageDatasetFolder = "dataset";
struct DatasetLocation {
  std::filesystem::path dir;
  std::string name;  // from a package's manifest; empty otherwise
};
DatasetLocation locate_dataset(const std::filesystem::path& dir);

// The name a dataset gets when the user gives none: a package's recorded name, else the
// folder's name.
std::string default_dataset_name(const std::filesystem::path& dir);

// One file; `relative_path` names it in messages.
DatasetFile parse_dataset_file(const std::string& content, const std::string& relative_path,
                               const std::string& display_path);

}  // namespace firstmile
