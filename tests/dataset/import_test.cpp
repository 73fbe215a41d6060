// Tests of dataset/import.h on the fixture dataset, the shipped taxonomy and preset.
#include <doctest/doctest.h>

#include <filesystem>

#include "base/error.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

Preset shipped_preset() { return load_preset(source_file("data/presets/open-llm-failures.json").string()); }

DatasetImportOptions options(const std::string& name = "small") {
  DatasetImportOptions o;
  o.name = name;
  return o;
}

// Every row of the tables an import writes, without run bookkeeping, as one string.
std::string content_of(Store& store) {
  std::string out;
  const char* queries[] = {
      "SELECT id, owner, name, series, model, architecture FROM repositories ORDER BY id",
      "SELECT owner, name, repository_id, reason FROM repository_aliases ORDER BY owner, name",
      "SELECT id, repository_id, number, state, url FROM issues ORDER BY id",
      "SELECT id, issue_id, failure_index, source, symptom, root_cause, stage, symptom_label, mapped, evidence "
      "FROM annotations ORDER BY id",
      "SELECT source, file, record_index, number, link, annotation_id FROM dataset_records ORDER BY 1, 2, 3",
      "SELECT taxonomy, id, path FROM taxonomy_nodes ORDER BY 1, 2"};
  for (const char* q : queries) {
    Query s = store.db().query(q);
    while (s.step()) {
      for (int c = 0; c < 10; ++c) out += s.column_text(c) + "|";
      out += "\n";
    }
  }
  return out;
}

// Copies the fixture dataset to a scratch folder so a test can break one file.
fs::path copy_fixture(const TempDir& dir) {
  fs::path target = dir / "ds";
  fs::copy(test_data("dataset-small"), target, fs::copy_options::recursive);
  return target;
}

}  // namespace

TEST_CASE("importing the fixture dataset creates issues, repositories and gold annotations") {
  Store store = Store::open_memory();
  Taxonomy taxonomy = shipped_taxonomy();
  DatasetImportSummary s = import_dataset(store, taxonomy, shipped_preset(), test_data("dataset-small"), options());
  CHECK(s.source == "gold:small");
  CHECK(s.files == 2);
  CHECK(s.records == 6);
  CHECK(s.issues == 5);
  CHECK(s.new_issues == 5);
  CHECK(s.repositories == 3);
  CHECK(s.normalised_labels == 2);
  CHECK(s.unmapped_labels == 0);
  REQUIRE(s.per_series.size() == 3);
  CHECK(s.per_series[0].series == "DeepSeek");
  CHECK(s.per_series[0].records == 3);
  CHECK(s.per_series[0].issues == 2);

  // The issue with two failures has failure indexes 1 and 2, in file order.
  Query q = store.db().query(
      "SELECT a.failure_index, a.symptom FROM annotations a JOIN issues i ON i.id = a.issue_id "
      "WHERE i.number = 12 ORDER BY a.failure_index");
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 1);
  CHECK(q.column_text(1) == taxonomy.match_label("symptom", "Hang - Generation Process Stuck").node->id);
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 2);
}

TEST_CASE("imported repositories take series from the owner and aliases from the preset") {
  Store store = Store::open_memory();
  import_dataset(store, shipped_taxonomy(), shipped_preset(), test_data("dataset-small"), options());
  auto qwen = store.find_repository("QwenLM", "Qwen3");
  REQUIRE(qwen);
  CHECK(store.find_repository("QwenLM", "Qwen2.5") == qwen);
  Query s = store.db().query("SELECT series, model, architecture FROM repositories WHERE id = ?");
  s.bind(1, *qwen);
  REQUIRE(s.step());
  CHECK(s.column_text(0) == "Qwen");
  CHECK(s.column_text(1) == "Qwen2.5");
  CHECK(s.column_text(2) == "Mixed");
}

TEST_CASE("importing the same dataset twice changes nothing but the run") {
  TempDir dir;
  Taxonomy taxonomy = shipped_taxonomy();
  Preset preset = shipped_preset();
  Store store = Store::open(dir / "t.db");
  import_dataset(store, taxonomy, preset, test_data("dataset-small"), options());
  std::string first = content_of(store);
  DatasetImportSummary again = import_dataset(store, taxonomy, preset, test_data("dataset-small"), options());
  CHECK(again.new_issues == 0);
  CHECK(content_of(store) == first);
  CHECK(store.db().query_int("SELECT count(*) FROM annotations") == 6);
  CHECK(store.db().query_int("SELECT count(*) FROM runs WHERE status = 'ok'") == 2);
}

TEST_CASE("records dropped from the dataset disappear from its annotations on re-import") {
  TempDir dir;
  fs::path ds = copy_fixture(dir);
  Store store = Store::open_memory();
  Taxonomy taxonomy = shipped_taxonomy();
  import_dataset(store, taxonomy, shipped_preset(), ds, options());
  fs::remove(ds / "OwnerB" / "m2" / "m2.json");
  DatasetImportSummary s = import_dataset(store, taxonomy, shipped_preset(), ds, options());
  CHECK(s.records == 3);
  CHECK(store.db().query_int("SELECT count(*) FROM annotations") == 3);
  CHECK(store.db().query_int("SELECT count(*) FROM dataset_records") == 3);
}

TEST_CASE("an unknown label refuses the whole import, names file and record, and changes nothing") {
  TempDir dir;
  fs::path ds = copy_fixture(dir);
  Taxonomy taxonomy = shipped_taxonomy();
  fs::path db_path = dir / "t.db";
  {
    Store store = Store::open(db_path);
    import_dataset(store, taxonomy, shipped_preset(), test_data("dataset-small"), options("before"));
  }
  std::string before;
  {
    Store store = Store::open(db_path);
    before = content_of(store);
  }
  write_file(ds / "OwnerB" / "m2" / "m2.json",
             R"([{"number": 1, "link": "https://github.com/QwenLM/Qwen2.5/issues/70", "status": "open",
                  "SYMPTOM": "Hang - Generation Process Stuck", "ROOT CAUSE": "Cosmic Rays - Bit Flip",
                  "STAGE": "Inference"}])");
  Store store = Store::open(db_path);
  try {
    import_dataset(store, taxonomy, shipped_preset(), ds, options());
    FAIL("the import should have been refused");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(message.find("m2.json: record 1: field 'ROOT CAUSE': label 'Cosmic Rays - Bit Flip'") != std::string::npos);
    CHECK(message.find("nothing imported") != std::string::npos);
  }
  CHECK(content_of(store) == before);
  CHECK(store.db().query_int("SELECT count(*) FROM runs") == 1);
}

TEST_CASE("with lenient, an unknown label is imported unmapped and counted") {
  TempDir dir;
  fs::path ds = copy_fixture(dir);
  write_file(ds / "OwnerB" / "m2" / "m2.json",
             R"([{"number": 1, "link": "https://github.com/QwenLM/Qwen2.5/issues/70", "status": "open",
                  "SYMPTOM": "Hang - Generation Process Stuck", "ROOT CAUSE": "Cosmic Rays - Bit Flip",
                  "STAGE": "Inference"}])");
  Store store = Store::open_memory();
  DatasetImportOptions o = options();
  o.lenient = true;
  DatasetImportSummary s = import_dataset(store, shipped_taxonomy(), shipped_preset(), ds, o);
  CHECK(s.unmapped_labels == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM annotations WHERE mapped = 0 AND root_cause IS NULL AND "
                             "root_cause_label = 'Cosmic Rays - Bit Flip' AND symptom IS NOT NULL") == 1);
}

TEST_CASE("a link that is not a GitHub issue refuses the import naming the record") {
  TempDir dir;
  fs::path ds = copy_fixture(dir);
  write_file(ds / "OwnerB" / "m2" / "m2.json",
             R"([{"link": "https://example.org/x", "SYMPTOM": "Hang - Generation Process Stuck",
                  "ROOT CAUSE": "Model Corruption Issues - Checkpoint Corruption", "STAGE": "Inference"}])");
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import_dataset(store, shipped_taxonomy(), shipped_preset(), ds, options()),
                       doctest::Contains("m2.json: record 1: field 'link' is not a GitHub issue URL"), Error);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 0);
}
