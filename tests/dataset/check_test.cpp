// Tests of dataset/check.h: each lint rule fires on the fixture's quirks.
#include <doctest/doctest.h>

#include <sstream>

#include "dataset/check.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

struct Loaded {
  Store store = Store::open_memory();
  const Taxonomy& taxonomy = shipped_taxonomy();
  Loaded(std::optional<int64_t> stated = std::nullopt) {
    DatasetImportOptions o;
    o.name = "small";
    o.stated_records = stated;
    import_dataset(store, taxonomy, load_preset(source_file("data/presets/open-llm-failures.json").string()),
                   test_data("dataset-small"), o);
  }
};

const Finding* find(const CheckReport& r, const std::string& code) {
  for (const Finding& f : r.findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("check lists the issue with several failures as a note") {
  Loaded l;
  CheckReport r = check_store(l.store, l.taxonomy, {});
  const Finding* f = find(r, "several-failures");
  REQUIRE(f);
  CHECK(f->severity == Severity::kNote);
  REQUIRE(f->details.size() == 1);
  CHECK(f->details[0] == "deepseek-ai/DeepSeek-V3#12 (2 failures)");
}

TEST_CASE("check lists labels that needed white-space normalisation with file and record") {
  Loaded l;
  CheckReport report = check_store(l.store, l.taxonomy, {});
  const Finding* f = find(report, "normalised-labels");
  REQUIRE(f);
  REQUIRE(f->details.size() == 2);
  CHECK(f->details[0] ==
        "OwnerA/m1 /m1.json: record 2: ROOT CAUSE 'Environment Compatibility Issues -  Dependency Library "
        "Compatibility'");
  CHECK(f->details[1].find("OwnerB/m2/m2.json: record 2: SYMPTOM") == 0);
}

TEST_CASE("check warns about a record whose number differs from its position") {
  Loaded l;
  CheckReport r = check_store(l.store, l.taxonomy, {});
  const Finding* f = find(r, "record-numbering");
  REQUIRE(f);
  CHECK(f->severity == Severity::kWarning);
  CHECK(f->details == std::vector<std::string>{"OwnerB/m2/m2.json: record 2 says number 5"});
  CHECK(r.exit_code() == 1);
}

TEST_CASE("check warns when the stated record count differs from the files, and only then") {
  Loaded differs(5);
  CheckReport report = check_store(differs.store, differs.taxonomy, {});
  const Finding* f = find(report, "stated-count");
  REQUIRE(f);
  CHECK(f->message == "gold:small: the publication states 5 records, the files hold 6");
  Loaded same(6);
  CheckReport same_report = check_store(same.store, same.taxonomy, {});
  CHECK(find(same_report, "stated-count") == nullptr);
}

TEST_CASE("check notes issues without text yet") {
  Loaded l;
  CheckReport report = check_store(l.store, l.taxonomy, {});
  const Finding* f = find(report, "issues-without-text");
  REQUIRE(f);
  CHECK(f->message.find("5 of 5 issues have no text yet") == 0);
}

TEST_CASE("check finds a record entered twice with the same labels") {
  Loaded l;
  l.store.db().exec(
      "INSERT INTO dataset_records (source, file, record_index, link, symptom_label, root_cause_label, stage_label) "
      "SELECT source, file, 99, link, symptom_label, root_cause_label, stage_label FROM dataset_records "
      "WHERE record_index = 1 AND file LIKE 'OwnerA%'");
  CheckReport report = check_store(l.store, l.taxonomy, {});
  const Finding* f = find(report, "duplicate-records");
  REQUIRE(f);
  CHECK(f->details.size() == 1);
  CHECK(f->details[0].find("record 1; OwnerA/m1 /m1.json record 99") != std::string::npos);
}

TEST_CASE("check reports node ids the taxonomy no longer defines as errors") {
  Loaded l;
  l.store.db().exec("UPDATE annotations SET symptom = 'sym.gone' WHERE id = 1");
  CheckReport report = check_store(l.store, l.taxonomy, {});
  const Finding* f = find(report, "unknown-nodes");
  REQUIRE(f);
  CHECK(f->severity == Severity::kError);
  CHECK(f->details[0] == "gold:small: 'sym.gone' (1 annotations)");
}

TEST_CASE("check limits detail lines and says how many more there are") {
  Loaded l;
  CheckReport report = check_store(l.store, l.taxonomy, {"", 2});
  const Finding* f = find(report, "issues-without-text");
  REQUIRE(f);
  REQUIRE(f->details.size() == 3);
  CHECK(f->details[2] == "... and 3 more");
}

TEST_CASE("the report prints a line per finding with its details indented, or as JSON with the database") {
  CheckReport r;
  r.findings.push_back({Severity::kWarning, "stated-count", "gold:x: the publication states 3 records", {"/data/x"}});
  r.findings.push_back({Severity::kNote, "issues-without-text", "1 of 2 issues have no text yet", {}});
  std::ostringstream text;
  print_check_report(r, "t.db", "text", text);
  CHECK(text.str() ==
        "check t.db: 2 findings\n"
        "warning: gold:x: the publication states 3 records [stated-count]\n"
        "    /data/x\n"
        "note: 1 of 2 issues have no text yet [issues-without-text]\n");
  std::ostringstream json;
  print_check_report(r, "t.db", "json", json);
  nlohmann::json parsed = nlohmann::json::parse(json.str());
  CHECK(parsed["database"] == "t.db");
  CHECK(parsed["findings"][0]["severity"] == "warning");
  CHECK(parsed["findings"][1]["details"].empty());
  CHECK(json.str().ends_with("}\n"));
}
