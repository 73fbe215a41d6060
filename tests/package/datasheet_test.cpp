// Tests of package/datasheet.h through `firstmile package`: what the database fills in, and the
// blanks left for the authors.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

TEST_CASE("the datasheet counts what the database holds and leaves marked blanks for the authors") {
  TempDir dir;
  std::string db = import_sample(dir);
  REQUIRE(run_firstmile({"select", "--db", db}).exit_code == 0);
  REQUIRE(run_firstmile({"package", (dir / "pkg").string(), "--keep-logins", "--db", db}).exit_code == 0);
  std::string sheet = file_bytes(dir / "pkg" / "DATASHEET.md");
  CHECK(sheet.find("source `gold:sample`, 45 records in 9 files") != std::string::npos);
  CHECK(sheet.find("issues and pull requests: 55; comments: 44") != std::string::npos);
  CHECK(sheet.find("Selection funnel `default`") != std::string::npos);
  CHECK(sheet.find("1. mined: 55") != std::string::npos);
  CHECK(sheet.find("[TO BE WRITTEN: purpose, research questions]") != std::string::npos);
  CHECK(sheet.find("Only one human source") != std::string::npos);
  CHECK(sheet.find("| deepseek-ai/DeepSeek-Coder | - | - | 20") != std::string::npos);  // when its text came in
  auto manifest = nlohmann::json::parse(file_bytes(dir / "pkg" / "MANIFEST.json"));
  CHECK(manifest["repositories"][0]["text_fetched_at"].is_string());
  CHECK(manifest["repositories"][0]["issues_as_of"].is_null());  // imported offline, never mined
  std::string citation = file_bytes(dir / "pkg" / "CITATION.cff");
  CHECK(citation.find("cff-version: 1.2.0") != std::string::npos);
  CHECK(citation.find("title: \"[TO BE WRITTEN: title of the dataset]\"") != std::string::npos);
  CHECK(citation.find("45 labelled failures") != std::string::npos);
}

TEST_CASE("with two human sources the datasheet gives their agreement") {
  TempDir dir;
  std::string db = import_sample(dir);
  REQUIRE(run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--name", "second", "--db", db})
              .exit_code == 0);
  REQUIRE(run_firstmile({"package", (dir / "pkg").string(), "--keep-logins", "--db", db}).exit_code == 0);
  std::string sheet = file_bytes(dir / "pkg" / "DATASHEET.md");
  CHECK(sheet.find("Agreement between the human sources (44 issues labelled by all)") != std::string::npos);
  CHECK(sheet.find("| symptom | 1 | 45 | 1.000 | 1.000 |") != std::string::npos);
}
