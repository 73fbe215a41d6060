// support/files.h — temporary folders, the reference data in ../shared, and the repository's
// own files, for every test area.
//
//   TempDir dir;                                              // removed with the object
//   write_file(dir / "a.json", "{}");
//   std::filesystem::path cards = require_shared("cards");    // skips the test when ../shared is missing
#pragma once

#include <filesystem>
#include <string>

namespace firstmile::testing {

// A fresh folder under the system's temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// ../shared beside the repository. When it is missing, prints why and ends the test process
// with code 77, which ctest reports as "skipped" (see tests/CMakeLists.txt).
std::filesystem::path require_shared(const std::string& relative);

std::filesystem::path test_data(const std::string& relative);    // tests/data/...
std::filesystem::path source_file(const std::string& relative);  // the repository's files

void write_file(const std::filesystem::path& path, const std::string& content);

// Bytes of a file, for "unchanged" checks.
std::string file_bytes(const std::filesystem::path& path);

}  // namespace firstmile::testing
