// package/manifest.cpp — hashing a package's files and checking them against its manifest.
#include "package/manifest.h"

#include <algorithm>

#include "base/atomic_file.h"
#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "dataset/published_dataset.h"

namespace firstmile {

namespace fs = std::filesystem;

std::map<std::string, std::string> package_file_hashes(const fs::path& dir) {
  std::map<std::string, std::string> hashes;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory()) continue;
    std::string relative = fs::relative(it->path(), dir).generic_string();
    if (relative == kPackageManifest) continue;
    hashes[relative] = sha256_hex(read_file(it->path()));
  }
  if (ec) throw Error(dir.string() + ": cannot list: " + ec.message());
  return hashes;
}

void write_manifest(const fs::path& dir, nlohmann::ordered_json manifest) {
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  for (const auto& [path, hash] : package_file_hashes(dir)) files[path] = hash;
  manifest["files"] = std::move(files);
  write_file_atomically(dir / kPackageManifest, json_text(manifest, 2) + "\n");
}

namespace {

// The manifest's row counts against the JSON Lines files (one row a line): a manifest edited
// by hand no longer matches the data it describes.
void check_row_counts(const fs::path& dir, const nlohmann::json& manifest) {
  if (!manifest.contains("row_counts") || !manifest["row_counts"].is_object()) return;
  for (const auto& [table, count] : manifest["row_counts"].items()) {
    for (const char* folder : {"tables", "llm"}) {
      const fs::path file = dir / folder / (table + ".jsonl");
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) continue;
      std::string text = read_file(file);
      auto rows = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
      if (!count.is_number_integer() || count.get<int64_t>() != rows) {
        throw Error(dir.string() + ": MANIFEST.json was changed: row_counts." + table + " is " + count.dump() + " but " +
                    folder + "/" + table + ".jsonl holds " + std::to_string(rows) + " rows");
      }
    }
  }
}

}  // namespace

PackageCheck verify_package(const fs::path& dir) {
  const fs::path manifest_path = dir / kPackageManifest;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir.string() + ": not a directory");
  if (!fs::is_regular_file(manifest_path, ec)) {
    throw Error(manifest_path.string() + ": missing; not a package of `firstmile package`");
  }
  nlohmann::json manifest = read_json_file(manifest_path);
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object()) {
    throw Error(manifest_path.string() + ": no \"files\" object listing the package's files");
  }
  const std::map<std::string, std::string> actual = package_file_hashes(dir);
  PackageCheck check;
  for (const auto& [path, expected] : manifest["files"].items()) {
    auto found = actual.find(path);
    if (found == actual.end()) throw Error(dir.string() + ": file " + path + " is listed in MANIFEST.json but missing");
    if (!expected.is_string() || found->second != expected.get<std::string>()) {
      throw Error(dir.string() + ": file " + path + " was changed (its SHA-256 differs from MANIFEST.json)");
    }
    ++check.files;
  }
  for (const auto& [path, hash] : actual) {
    if (!manifest["files"].contains(path)) {
      throw Error(dir.string() + ": file " + path + " is not listed in MANIFEST.json (added after packaging)");
    }
  }
  check_row_counts(dir, manifest);
  return check;
}

}  // namespace firstmile
