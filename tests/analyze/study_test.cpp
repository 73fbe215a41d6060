// Tests of analyze/study.h on the embedded sample: filters, levels and findings.
#include <doctest/doctest.h>

#include "analyze/label_view.h"
#include "analyze/study.h"
#include "base/error.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "mine/issue_import.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {
struct Sample {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = Store::open_memory();
  Sample() {
    Preset preset = load_preset("open-llm-failures");
    import_issue_files(store, preset, {source_file("data/sample/issues.json")}, {});
    DatasetImportOptions o;
    o.name = "sample";
    import_dataset(store, taxonomy, preset, source_file("data/sample/dataset"), o);
  }
  StudyReport analyze(StudyOptions o = {}) {
    LabelView view(store, taxonomy, {});
    return analyze_study(store, view, o);
  }
};

// Options with one field set, without designated initializers (-Wmissing-field-initializers).
template <typename Set>
StudyOptions options(Set set) {
  StudyOptions o;
  set(o);
  return o;
}

int64_t total(const Distribution& d) {
  int64_t n = 0;
  for (const auto& c : d.rows) n += c.count;
  return n;
}
}  // namespace

TEST_CASE("every failure is counted once in each distribution, at every level") {
  Sample s;
  for (int level = 1; level <= 3; ++level) {
    StudyReport r = s.analyze(options([&](StudyOptions& o) { o.level = level; }));
    CHECK(r.annotations == 45);
    CHECK(total(r.symptoms) == 45);
    CHECK(total(r.root_causes) == 45);
    CHECK(total(r.stages) == 45);
    CHECK(r.symptom_by_root_cause.table.total() == 45);
  }
  CHECK(s.analyze(options([](StudyOptions& o) { o.level = 1; })).symptoms.rows.size() == 5);
  CHECK(s.analyze(options([](StudyOptions& o) { o.level = 2; })).root_causes.rows.size() == 27);
}

TEST_CASE("stage, series and date filters select the failures they name") {
  Sample s;
  StudyReport fine_tuning = s.analyze(options([](StudyOptions& o) { o.stages = {"Fine-tuning"}; }));
  CHECK(fine_tuning.annotations == 8);
  CHECK(fine_tuning.issues == 8);
  CHECK(s.analyze({}).issues == 44);  // QwenLM/Qwen#9044 carries two failures
  CHECK(s.analyze(options([](StudyOptions& o) { o.stages = {"stage.inference"}; })).annotations == 37);
  CHECK(s.analyze(options([](StudyOptions& o) { o.series = {"Llama"}; })).annotations == 12);
  // Reports created in 2025: DeepSeek-V3 #9019, #9020, #9040 and DeepSeek-R1 #9024, #9029, #9030.
  StudyReport recent = s.analyze(options([](StudyOptions& o) { o.since = "2025-01-01"; }));
  CHECK(recent.annotations == 6);
  CHECK(s.analyze(options([](StudyOptions& o) {
           o.since = "2024-01-01";
           o.until = "2024-12-31";
         })).annotations +
            s.analyze(options([](StudyOptions& o) { o.until = "2023-12-31"; })).annotations + recent.annotations ==
        45);
  CHECK(s.analyze(options([](StudyOptions& o) { o.stages = {"Fine-tuning"}; })).filters == "stage Fine-tuning");
}

TEST_CASE("a version pair compares the two models' failures") {
  Sample s;
  StudyReport r = s.analyze(options([](StudyOptions& o) { o.evolution = {{"llama", "llama3"}}; }));
  REQUIRE(r.evolution.size() == 1);
  CHECK(r.evolution[0].symptom.table.row_labels() == std::vector<std::string>{"llama", "llama3"});
  CHECK(r.evolution[0].symptom.table.total() == 10);
}

TEST_CASE("a level outside 1 to 3 is refused") {
  Sample s;
  CHECK_THROWS_AS(s.analyze(options([](StudyOptions& o) { o.level = 4; })), Error);
}
