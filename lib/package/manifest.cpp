// package/manifest.cpp — hashing a package's files and checking them against its manifest.
#include "package/manifest.h"

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
  return check;
}

}  // namespace firstmile
