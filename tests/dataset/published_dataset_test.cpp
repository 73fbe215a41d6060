// Tests of dataset/published_dataset.h: reading and type-checking dataset files.
#include <doctest/doctest.h>

#include "base/error.h"
#include "dataset/published_dataset.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {
std::string error_of(const std::string& content) {
  try {
    parse_dataset_file(content, "x.json", "ds/x.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the fixture dataset reads every file, including a folder whose name ends in a space") {
  std::vector<DatasetFile> files = read_published_dataset(test_data("dataset-small"));
  REQUIRE(files.size() == 2);
  CHECK(files[0].relative_path == "OwnerA/m1 /m1.json");
  CHECK(files[0].records.size() == 3);
  CHECK(files[1].records.size() == 3);
  CHECK(files[0].records[1].root_cause == "Environment Compatibility Issues -  Dependency Library Compatibility");
  CHECK(files[1].records[1].number == 5);
  CHECK(files[1].records[1].record_index == 2);
}

TEST_CASE("a truncated file is reported with its line and column") {
  std::string e = error_of("[\n  {\"link\": \"https://github.com/o/r/issues/1\",\n");
  CHECK(e.find("ds/x.json: line 3, column 1") != std::string::npos);
}

TEST_CASE("a field of the wrong type is reported with record and field") {
  std::string e = error_of(R"([{"link": "https://github.com/o/r/issues/1", "SYMPTOM": "Hang", "ROOT CAUSE": "x",
                              "STAGE": "Inference"},
                             {"link": "https://github.com/o/r/issues/2", "SYMPTOM": 3, "ROOT CAUSE": "x",
                              "STAGE": "Inference"}])");
  CHECK(e == "ds/x.json: record 2: field 'SYMPTOM' must be a string, got number");
}

TEST_CASE("a missing label is reported with record and field") {
  std::string e = error_of(R"([{"link": "https://github.com/o/r/issues/1", "SYMPTOM": "Hang", "STAGE": "Inference"}])");
  CHECK(e == "ds/x.json: record 1: missing field 'ROOT CAUSE'");
}

TEST_CASE("a file that is not an array of records is refused") {
  CHECK(error_of(R"({"link": "x"})") == "ds/x.json: expected a JSON array of records, got object");
  CHECK(error_of(R"([1])") == "ds/x.json: record 1: expected an object, got number");
  CHECK(error_of(R"([{"number": "1", "link": "u", "SYMPTOM": "a", "ROOT CAUSE": "b", "STAGE": "c"}])") ==
        "ds/x.json: record 1: field 'number' must be an integer, got string");
}

TEST_CASE("a folder without dataset files is refused") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(read_published_dataset(dir.path()), doctest::Contains("no .json files found"), Error);
  CHECK_THROWS_WITH_AS(read_published_dataset(dir / "missing"), doctest::Contains("not a directory"), Error);
}
