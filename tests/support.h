// support.h — what several test areas need: temporary folders, the reference data in
// ../shared, and running the firstmile binary as a user would.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

std::filesystem::path test_data(const std::string& relative);   // tests/data/...
std::filesystem::path source_file(const std::string& relative); // the repository's files

void write_file(const std::filesystem::path& path, const std::string& content);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the built firstmile binary with `args` (no shell), capturing both streams.
CommandResult run_firstmile(const std::vector<std::string>& args);

// Imports the embedded sample (issues and comments; with `gold`, also its labels as source
// gold:sample) into DIR/t.db through the CLI, as a user would; returns the database path.
// Fails the calling test if an import fails.
std::string import_sample(const TempDir& dir, bool gold = true);

// Starts the firstmile binary in the background (output discarded); returns its pid.
int start_firstmile(const std::vector<std::string>& args);
// Waits for it: its exit code, or minus the signal that ended it.
int wait_firstmile(int pid);

// Bytes of a file, for "unchanged" checks.
std::string file_bytes(const std::filesystem::path& path);

}  // namespace firstmile::testing
