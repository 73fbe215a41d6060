// Tests of package/manifest.h: the hashes of a package's files and their verification.
#include <doctest/doctest.h>

#include <filesystem>

#include "base/content_hash.h"
#include "base/error.h"
#include "package/manifest.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

void small_package(const TempDir& dir) {
  write_file(dir / "a.csv", "x\r\n1\r\n");
  fs::create_directories(dir / "sub");
  write_file(dir / "sub" / "b.json", "[]\n");
  write_manifest(dir.path(), {{"format", "test"}});
}

}  // namespace

TEST_CASE("the manifest lists the SHA-256 of every file but itself") {
  TempDir dir;
  small_package(dir);
  auto hashes = package_file_hashes(dir.path());
  REQUIRE(hashes.size() == 2);
  CHECK(hashes["a.csv"] == sha256_hex("x\r\n1\r\n"));
  CHECK(hashes["sub/b.json"] == sha256_hex("[]\n"));
  CHECK(verify_package(dir.path()).files == 2);
}

TEST_CASE("verify names a changed file") {
  TempDir dir;
  small_package(dir);
  write_file(dir / "sub" / "b.json", "[1]\n");
  CHECK_THROWS_WITH_AS(verify_package(dir.path()), doctest::Contains("file sub/b.json was changed"), Error);
}

TEST_CASE("verify names a missing file") {
  TempDir dir;
  small_package(dir);
  fs::remove(dir / "a.csv");
  CHECK_THROWS_WITH_AS(verify_package(dir.path()), doctest::Contains("file a.csv is listed in MANIFEST.json but missing"),
                       Error);
}

TEST_CASE("verify names a file added after packaging") {
  TempDir dir;
  small_package(dir);
  write_file(dir / "extra.txt", "x");
  CHECK_THROWS_WITH_AS(verify_package(dir.path()), doctest::Contains("file extra.txt is not listed"), Error);
}

TEST_CASE("verify of a folder without a manifest says it is not a package") {
  TempDir dir;
  write_file(dir / "a.csv", "x");
  CHECK_THROWS_WITH_AS(verify_package(dir.path()), doctest::Contains("MANIFEST.json: missing"), Error);
}

TEST_CASE("verify notices a manifest whose row counts were edited") {
  TempDir dir;
  fs::create_directories(dir / "tables");
  write_file(dir / "tables" / "issues.jsonl", "{}\n{}\n");
  write_manifest(dir.path(), {{"row_counts", {{"issues", 2}}}});
  CHECK(verify_package(dir.path()).files == 1);
  write_manifest(dir.path(), {{"row_counts", {{"issues", 3}}}});
  CHECK_THROWS_WITH_AS(verify_package(dir.path()),
                       doctest::Contains("MANIFEST.json was changed: row_counts.issues is 3 but tables/issues.jsonl holds 2"),
                       Error);
}
