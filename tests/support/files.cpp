// support/files.cpp — temporary folders and the paths of test data.
#include "support/files.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace firstmile::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() / ("firstmile-test-" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path require_shared(const std::string& relative) {
  fs::path path = fs::path(FIRSTMILE_SHARED) / relative;
  if (!fs::exists(path)) {
    std::cerr << "SKIPPED: this test needs the reference data " << path.string()
              << " (../shared beside the repository), which is missing\n";
    std::exit(77);
  }
  return path;
}

fs::path test_data(const std::string& relative) { return fs::path(FIRSTMILE_TEST_DATA) / relative; }
fs::path source_file(const std::string& relative) { return fs::path(FIRSTMILE_SOURCE_DIR) / relative; }

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace firstmile::testing
