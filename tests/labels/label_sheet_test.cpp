// Tests of classify/label_sheet.h: the reproducible sample, the sheet and its import.
#include <doctest/doctest.h>

#include <set>

#include "base/csv.h"
#include "base/error.h"
#include "labels/label_sheet.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using firstmile::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  Store store = Store::open_memory();
  const Taxonomy& taxonomy = firstmile::testing::shipped_taxonomy();
  int64_t repository =
      store.upsert_repository({.owner = "o", .name = "r", .series = "S", .model = "m", .architecture = "Dense"});

  Fixture() {
    for (int64_t n = 1; n <= 20; ++n) {
      IssueData d;
      d.repository_id = repository;
      d.number = n;
      d.title = "Issue " + std::to_string(n);
      d.body = "body  of\n issue " + std::to_string(n);
      d.is_pull_request = n == 20;
      d.url = "https://github.com/o/r/issues/" + std::to_string(n);
      store.upsert_issue(d);
    }
    store.ensure_issue(repository, 21, "https://github.com/o/r/issues/21");  // no text yet
  }
  LabelImport import(const std::string& content) {
    firstmile::testing::write_file(dir / "sheet.csv", content);
    return import_label_sheet(store, taxonomy, dir / "sheet.csv", {.name = "ana", .argv = {"label", "import"}});
  }
  int64_t annotations() { return store.db().query_int("SELECT count(*) FROM annotations"); }
};

LabelSheetOptions sample_of(int64_t n, uint64_t seed) {
  LabelSheetOptions o;
  o.sample = n;
  o.seed = seed;
  return o;
}

const char* kHeader = "repository,number,is_failure,stage,symptom,root_cause,notes\r\n";

}  // namespace

TEST_CASE("the sample is drawn by mt19937_64 the same way on every platform") {
  // Checked against an independent Python implementation of mt19937_64 and the same rejection.
  CHECK(sample_indices(100, 5, 42) == std::vector<size_t>{6, 78, 98, 16, 57});
  std::mt19937_64 rng(7);
  CHECK(uniform_below(rng, 1000) == 15);
}

TEST_CASE("a sample larger than the population is the whole population, shuffled") {
  std::vector<size_t> all = sample_indices(10, 50, 3);
  CHECK(all.size() == 10);
  CHECK(std::set<size_t>(all.begin(), all.end()).size() == 10);
}

TEST_CASE("the exported sheet holds issues with text and no pull requests, and the same seed gives the same sheet") {
  Fixture f;
  LabelSheetExport x = export_label_sheet(f.store, f.taxonomy, sample_of(30, 9), f.dir / "a.csv");
  CHECK(x.candidates == 19);
  CHECK(x.rows == 19);
  auto records = read_csv_file(f.dir / "a.csv");
  REQUIRE(records.size() == 20);
  CHECK(records[0].fields == std::vector<std::string>{"repository", "number", "url", "title", "body", "is_failure",
                                                      "stage", "symptom", "root_cause", "notes"});
  for (size_t r = 1; r < records.size(); ++r) CHECK(records[r].fields[1] != "20");
  export_label_sheet(f.store, f.taxonomy, sample_of(30, 9), f.dir / "b.csv");
  CHECK(firstmile::testing::file_bytes(f.dir / "a.csv") == firstmile::testing::file_bytes(f.dir / "b.csv"));
  CHECK(records[1].fields[4].find("body of issue") == 0);  // white space collapsed
}

TEST_CASE("the legend lists every label by id and path") {
  Fixture f;
  LabelSheetExport x = export_label_sheet(f.store, f.taxonomy, sample_of(2, 1), f.dir / "s.csv");
  CHECK(x.legend == f.dir / "s.legend.csv");
  std::string legend = firstmile::testing::file_bytes(x.legend);
  CHECK(legend.find("symptom,sym.crash.cuda.oom,Crash - CUDA Error - Out of Memory,") != std::string::npos);
}

TEST_CASE("import reads labels by id, by dash path and by slash path, and skips blank rows") {
  Fixture f;
  LabelImport r = f.import(std::string(kHeader) +
                           "o/r,1,yes,stage.inference,Crash - CUDA Error - Out of Memory,,\r\n"
                           "o/r,2,1,Inference,sym.hang,,\r\n"
                           "o/r,3,true,,Crash / CUDA Error,,\"a note, with a comma\"\r\n"
                           "o/r,4,,,,,later\r\n"
                           "o/r,5,no,,,,\r\n");
  CHECK(r.source == "manual:ana");
  CHECK(r.rows == 5);
  CHECK(r.imported == 4);
  CHECK(r.skipped == 1);
  CHECK(f.store.db().query_int("SELECT count(*) FROM annotations WHERE symptom = 'sym.crash.cuda.oom'") == 1);
  CHECK(f.store.db().query_int("SELECT count(*) FROM annotations WHERE symptom = 'sym.crash.cuda'") == 1);
  CHECK(f.store.db().query_int("SELECT count(*) FROM annotations WHERE is_failure = 0") == 1);
  CHECK(f.store.db().query_int("SELECT count(*) FROM runs WHERE command = 'label import' AND status = 'ok'") == 1);
}

TEST_CASE("an unknown label is refused naming file, line and column, and nothing is written") {
  Fixture f;
  std::string sheet = std::string(kHeader) + "o/r,1,yes,Inference,Crash,,\r\no/r,2,yes,Inference,Gremlins,,\r\n";
  CHECK_THROWS_WITH_AS(f.import(sheet),
                       ((f.dir / "sheet.csv").string() +
                        ": line 3, column 5 (symptom): unknown symptom 'Gremlins' (the legend lists the labels); "
                        "nothing was imported")
                           .c_str(),
                       Error);
  CHECK(f.annotations() == 0);
}

TEST_CASE("a cell that is not UTF-8 is refused naming file, line and column, and nothing is written") {
  Fixture f;
  std::string sheet = std::string(kHeader) + "o/r,1,yes,Inference,Crash,,\r\no/r,2,yes,Infer\xffnce,Crash,,\r\n";
  CHECK_THROWS_WITH_AS(f.import(sheet),
                       ((f.dir / "sheet.csv").string() + ": line 3, column 4 (stage): not UTF-8 text; nothing was imported")
                           .c_str(),
                       Error);
  CHECK(f.annotations() == 0);
}

TEST_CASE("a duplicate row names the line it repeats") {
  Fixture f;
  std::string sheet = std::string(kHeader) + "o/r,1,yes,,,,\r\no/r,1,no,,,,\r\n";
  CHECK_THROWS_WITH_AS(
      f.import(sheet),
      ((f.dir / "sheet.csv").string() +
       ": line 3, column 2 (number): o/r#1 (failure 1) is already labelled on line 2; nothing was imported")
          .c_str(),
      Error);
}

TEST_CASE("unknown repositories and issues, bad is_failure values and labels on non-failures are refused") {
  Fixture f;
  auto error_of = [&](const std::string& row) {
    try {
      f.import(std::string(kHeader) + row);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of("x/y,1,yes,,,,\r\n").find("line 2, column 1 (repository): unknown repository 'x/y'") !=
        std::string::npos);
  CHECK(error_of("o/r,99,yes,,,,\r\n").find("line 2, column 2 (number): unknown issue o/r#99") != std::string::npos);
  CHECK(error_of("o/r,1,maybe,,,,\r\n").find("column 3 (is_failure): 'maybe' is not yes, no") != std::string::npos);
  CHECK(error_of("o/r,1,no,,Crash,,\r\n").find("column 5 (symptom): a symptom for an issue marked is_failure 'no'") !=
        std::string::npos);
  CHECK(error_of("o/r,1,yes,sym.crash,,,\r\n").find("column 4 (stage): 'sym.crash' is a symptom, not a stage") !=
        std::string::npos);
  CHECK(f.annotations() == 0);
}

TEST_CASE("a sheet without a label column is refused naming the column") {
  Fixture f;
  CHECK_THROWS_WITH_AS(f.import("repository,number,is_failure,stage,symptom\r\n"),
                       ((f.dir / "sheet.csv").string() +
                        ": line 1: no column 'root_cause' (the header needs repository, number, is_failure, stage, "
                        "symptom, root_cause)")
                           .c_str(),
                       Error);
}
