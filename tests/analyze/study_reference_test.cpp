// RQ1-RQ6 computed by analyze_study from the imported published dataset, against every count
// and statistic of ../shared/reference/open-llm-failures-stats.json (scipy 1.10): counts
// exactly, floating-point values to relative 1e-6. Skipped when ../shared is missing.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "analyze/label_view.h"
#include "analyze/study.h"
#include "base/json_file.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

struct Gold {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = Store::open_memory();
  json reference;
  Preset preset = load_preset("open-llm-failures");
  Gold() {
    reference = read_json_file(require_shared("reference/open-llm-failures-stats.json"));
    DatasetImportOptions o;
    o.name = "open-llm-failures";
    import_dataset(store, taxonomy, preset, require_shared("datasets/open-llm-failures"), o);
  }
  StudyReport analyze(int level) {
    LabelView view(store, taxonomy, {});
    StudyOptions o;
    o.level = level;
    o.evolution = preset.evolution;
    return analyze_study(store, view, o);
  }
};

std::map<std::string, int64_t> counts_by(const Distribution& d, bool by_path) {
  std::map<std::string, int64_t> out;
  for (const auto& c : d.rows) {
    if (c.count) out[by_path ? c.path : c.name] = c.count;
  }
  return out;
}

std::map<std::string, int64_t> as_counts(const json& j) { return j.get<std::map<std::string, int64_t>>(); }

void check_close(double ours, double theirs) { CHECK(ours == doctest::Approx(theirs).epsilon(1e-6).scale(1.0)); }

void check_table(const CrossTable& t, const json& ref) {
  CHECK(t.table.row_labels() == ref["rows"].get<std::vector<std::string>>());
  CHECK(t.table.column_labels() == ref["cols"].get<std::vector<std::string>>());
  CHECK(t.table.matrix() == ref["counts"].get<std::vector<std::vector<double>>>());
  if (!ref.contains("test")) return;
  const json& test = ref["test"];
  REQUIRE(t.test.ok);
  check_close(t.test.statistic, test["chi2"]);
  CHECK(t.test.dof == test["dof"].get<int>());
  check_close(t.test.p_value, test["p"]);
  check_close(t.test.cramers_v, test["cramers_v"]);
  CHECK(t.test.n == test["n"].get<double>());
  for (size_t r = 0; r < test["adjusted_residuals"].size(); ++r) {
    for (size_t c = 0; c < test["adjusted_residuals"][r].size(); ++c) {
      check_close(t.test.adjusted_residuals[r][c], test["adjusted_residuals"][r][c]);
    }
  }
}

void check_series(const SeriesComparison& s, const json& ref) {
  check_table(s.cross, ref);
  for (size_t a = 0; a < s.pearson.size(); ++a) {
    for (size_t b = 0; b < s.pearson.size(); ++b) {
      check_close(s.pearson[a][b].coefficient, ref["pearson"][a][b]);
      check_close(s.spearman[a][b].coefficient, ref["spearman"][a][b]);
      check_close(s.jensen_shannon[a][b], ref["jsd_base2"][a][b]);
    }
  }
}

}  // namespace

TEST_CASE("RQ1 and RQ2: distributions at every level equal the reference counts") {
  Gold g;
  StudyReport top = g.analyze(1);
  CHECK(top.annotations == g.reference["records"].get<int64_t>());
  CHECK(top.issues == g.reference["unique_links"].get<int64_t>());
  CHECK(counts_by(top.symptoms, false) == as_counts(g.reference["symptom_l1"]));
  CHECK(counts_by(top.root_causes, false) == as_counts(g.reference["root_cause_l1"]));
  CHECK(counts_by(top.stages, false) == as_counts(g.reference["stage"]));
  StudyReport deep = g.analyze(3);
  CHECK(counts_by(deep.symptoms, true) == as_counts(g.reference["symptom_path"]));
  CHECK(counts_by(deep.root_causes, true) == as_counts(g.reference["root_cause_path"]));
}

TEST_CASE("RQ3: symptom x root cause table and chi-square test equal the reference") {
  Gold g;
  check_table(g.analyze(1).symptom_by_root_cause, g.reference["rq3_symptom_by_root_cause"]);
}

TEST_CASE("RQ4: series tables, correlations, divergences and tests equal the reference") {
  Gold g;
  StudyReport r = g.analyze(1);
  check_series(r.series_by_symptom, g.reference["rq4_series_by_symptom"]);
  check_series(r.series_by_root_cause, g.reference["rq4_series_by_root_cause"]);
}

TEST_CASE("RQ5: stage tables and tests equal the reference") {
  Gold g;
  StudyReport r = g.analyze(1);
  check_table(r.stage_by_symptom, g.reference["rq5_stage_by_symptom"]);
  check_table(r.stage_by_root_cause, g.reference["rq5_stage_by_root_cause"]);
}

TEST_CASE("RQ6: version evolution tables equal the reference") {
  Gold g;
  StudyReport r = g.analyze(1);
  REQUIRE(r.evolution.size() == 3);
  for (const Evolution& e : r.evolution) {
    std::string key = e.from + "->" + e.to;
    CAPTURE(key);
    check_table(e.symptom, g.reference["rq6_evolution"][key + ":symptom"]);
    check_table(e.root_cause, g.reference["rq6_evolution"][key + ":root_cause"]);
  }
}

TEST_CASE("the findings state the three phenomena with the reference's numbers") {
  Gold g;
  StudyReport r = g.analyze(1);
  REQUIRE(r.findings.size() == 3);
  CHECK(r.findings[0].find("Crash over-represents Hardware and Resource Limitations (adjusted residual 6.54)") !=
        std::string::npos);
  CHECK(r.findings[0].find("Incorrect Functionality over-represents Tokenizer and Text Processing Issues "
                           "(adjusted residual 7.26)") != std::string::npos);
  CHECK(r.findings[1].find("DeepSeek-Qwen 0.87") != std::string::npos);
  CHECK(r.findings[2].find("Configuration and Parameter Setting Errors: 30.9% of Fine-tuning failures vs 15.1% "
                           "of Inference (adjusted residual 4.42)") != std::string::npos);
}
