// package/manifest.h — MANIFEST.json: what a package holds, where it came from, and the SHA-256
// of every file, so a reviewer can check nothing was changed.
//
//   write_manifest("pkg", manifest);           // adds "files": {"tables/issues.csv": "<sha256>", ...}
//   PackageCheck c = verify_package("pkg");    // throws Error naming the first file that differs
//
// Files are listed by their path relative to the package (with '/'), in byte order; the
// manifest does not list itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace firstmile {

// The SHA-256 of every file below `dir` but the manifest, by relative path.
std::map<std::string, std::string> package_file_hashes(const std::filesystem::path& dir);

// Writes `manifest` with its "files" member set to the hashes of the files in `dir` now.
void write_manifest(const std::filesystem::path& dir, nlohmann::ordered_json manifest);

struct PackageCheck {
  int64_t files = 0;  // files whose hash matched
};

// Checks every file of the manifest against the folder, then the manifest's row counts against
// the JSON Lines files. Throws Error with one line naming the package and the first changed,
// missing or unlisted file (in that order of checking), or the row count that differs.
PackageCheck verify_package(const std::filesystem::path& dir);

}  // namespace firstmile
