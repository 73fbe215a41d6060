// dataset/published_dataset.cpp — parsing and type-checking dataset files.
#include "dataset/published_dataset.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"

namespace firstmile {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string string_field(const json& record, const char* key, const std::string& where, bool required) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) {
    if (required) throw Error(where + ": missing field '" + key + "'");
    return {};
  }
  if (!it->is_string()) {
    throw Error(where + ": field '" + key + "' must be a string, got " + json_type_name(*it));
  }
  return it->get<std::string>();
}

}  // namespace

DatasetFile parse_dataset_file(const std::string& content, const std::string& relative_path,
                               const std::string& display_path) {
  json doc = parse_json(content, display_path);
  if (!doc.is_array()) throw Error(display_path + ": expected a JSON array of records, got " + json_type_name(doc));
  DatasetFile file{relative_path, {}};
  file.records.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    std::string where = display_path + ": record " + std::to_string(i + 1);
    const json& r = doc[i];
    if (!r.is_object()) throw Error(where + ": expected an object, got " + json_type_name(r));
    DatasetRecord rec;
    rec.record_index = static_cast<int>(i + 1);
    if (auto it = r.find("number"); it != r.end() && !it->is_null()) {
      if (!it->is_number_integer()) {
        throw Error(where + ": field 'number' must be an integer, got " + json_type_name(*it));
      }
      rec.number = it->get<int64_t>();
    }
    rec.link = string_field(r, "link", where, true);
    rec.status = string_field(r, "status", where, false);
    rec.symptom = string_field(r, "SYMPTOM", where, true);
    rec.root_cause = string_field(r, "ROOT CAUSE", where, true);
    rec.stage = string_field(r, "STAGE", where, true);
    rec.model = string_field(r, "model", where, false);
    rec.architecture = string_field(r, "architecture", where, false);
    file.records.push_back(std::move(rec));
  }
  return file;
}

std::vector<DatasetFile> read_published_dataset(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir.string() + ": not a directory");
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") paths.push_back(it->path());
  }
  if (ec) throw Error(dir.string() + ": cannot list: " + ec.message());
  if (paths.empty()) throw Error(dir.string() + ": no .json files found (expected <owner>/<model>/<file>.json)");
  std::vector<DatasetFile> files;
  for (const fs::path& p : paths) {
    std::string relative = fs::relative(p, dir).generic_string();
    files.push_back(parse_dataset_file(read_file(p), relative, p.string()));
  }
  std::sort(files.begin(), files.end(),
            [](const DatasetFile& a, const DatasetFile& b) { return a.relative_path < b.relative_path; });
  return files;
}

DatasetLocation locate_dataset(const fs::path& dir) {
  std::error_code ec;
  const fs::path manifest = dir / kPackageManifest;
  if (!fs::is_regular_file(manifest, ec) || !fs::is_directory(dir / kPackageDatasetFolder, ec)) return {dir, ""};
  json doc = read_json_file(manifest);
  std::string name;
  if (doc.is_object() && doc.contains("dataset") && doc["dataset"].is_object()) {
    const json& n = doc["dataset"].value("name", json());
    if (n.is_string()) name = n.get<std::string>();
  }
  return {dir / kPackageDatasetFolder, name};
}

std::string default_dataset_name(const fs::path& dir) {
  DatasetLocation located = locate_dataset(dir);
  if (!located.name.empty()) return located.name;
  std::string name = fs::path(dir).lexically_normal().filename().string();
  if (name.empty()) name = fs::absolute(dir).parent_path().filename().string();
  return name;
}

}  // namespace firstmile
