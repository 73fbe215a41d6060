// Tests of base/atomic_file.h: whole files or none, and no temporary left behind.
#include <doctest/doctest.h>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/json_file.h"
#include "support/files.h"

using namespace firstmile;
using firstmile::testing::TempDir;

namespace {

size_t entries(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("an atomic write replaces the file and leaves nothing else in the folder") {
  TempDir dir;
  write_file_atomically(dir / "a.txt", "old");
  write_file_atomically(dir / "a.txt", "new content");
  CHECK(read_file(dir / "a.txt") == "new content");
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("an atomic write into a missing folder fails naming the file, and leaves nothing") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(write_file_atomically(dir / "missing" / "a.txt", "x"),
                       doctest::Contains("missing/a.txt: cannot write"), Error);
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("an atomic write over a folder fails and the folder stays") {
  TempDir dir;
  std::filesystem::create_directory(dir / "taken");
  CHECK_THROWS_AS(write_file_atomically(dir / "taken", "x"), Error);
  CHECK(std::filesystem::is_directory(dir / "taken"));
  CHECK(entries(dir.path()) == 1);
}
