// calibrate: margins against gold labels on the four reports (classify_support.h), the routing
// threshold, what classify and explain then take from it, and when it goes stale.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "base/error.h"
#include "classify/calibrate.h"
#include "classify/classify_run.h"
#include "classify_support.h"
#include "store/calibrations.h"

using namespace firstmile;
using Fixture = firstmile::testing::FourReports;

namespace {

// Gold labels for the first three reports (the fourth, the question, stays unlabelled).
void label_three(Fixture& f) {
  Transaction tx(f.store.db());
  f.store.save_taxonomy(f.taxonomy);
  const char* const gold[][3] = {{"stage.inference", "sym.crash.cuda.oom", "rc.hardware.gpu_memory"},
                                 {"stage.inference", "sym.incorrect.quality.degradation", "rc.config.inference"},
                                 {"stage.inference", "sym.hang.generation", "rc.env.dependency"}};
  for (int i = 0; i < 3; ++i) {
    Annotation a;
    a.issue_id = i + 1;
    a.source = "gold:test";
    a.taxonomy = f.taxonomy.id();
    a.stage = gold[i][0];
    a.symptom = gold[i][1];
    a.root_cause = gold[i][2];
    f.store.upsert_annotation(a);
  }
  tx.commit();
}

// The three labelled, calibrated to route at most 0.34 of them.
CalibrationReport calibrate_three(Fixture& f) {
  label_three(f);
  CalibrateOptions options;
  options.max_route = 0.34;
  return calibrate(f.store, f.taxonomy, f.rules, options);
}

}  // namespace

TEST_CASE("calibration routes at most the requested share and stores what classify then uses") {
  Fixture f;
  CalibrationReport r = calibrate_three(f);
  CHECK(r.issues == 3);
  // 0.34 of 3 issues is 1.02: one issue, the least confident, goes to the LLM.
  CHECK(r.routed_share == doctest::Approx(1.0 / 3));
  REQUIRE(r.calibrations.size() == 3);
  for (const Calibration& c : r.calibrations) {
    CHECK(c.upper_edges.back() == kUnbounded);
    for (size_t i = 1; i < c.accuracy.size(); ++i) CHECK(c.accuracy[i] >= c.accuracy[i - 1]);  // monotone
  }
  SavedCalibration saved = load_calibrations(f.store, f.taxonomy, f.rules);
  CHECK(saved.calibrations.size() == 3);
  CHECK_FALSE(saved.stale);
  CHECK(saved.threshold == doctest::Approx(r.threshold));
  ClassifyOptions o;
  o.route = Route::kHybrid;
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.calibrated);
  CHECK(s.threshold == doctest::Approx(r.threshold));
}

TEST_CASE("the calibration prints the issues, a row per dimension and the threshold") {
  Fixture f;
  CalibrationReport r = calibrate_three(f);
  std::ostringstream out;
  print_calibration(r, out);
  std::string text = out.str();
  CHECK(text.rfind("Calibrated on 3 labelled issues (run " + std::to_string(r.run_id) + ")\n", 0) == 0);
  for (const char* dimension : {"stage", "symptom", "root_cause"})
    CHECK(text.find(std::string("\n") + dimension) != std::string::npos);
  CHECK(text.find("Routing threshold ") != std::string::npos);
  CHECK(text.find(": hybrid sends 33.3% of these issues to the LLM") != std::string::npos);
}

TEST_CASE("calibrate without labelled issues with text is an error naming the source") {
  Fixture f;
  CHECK_THROWS_WITH_AS(calibrate(f.store, f.taxonomy, f.rules, {}),
                       "calibrate: no issues with text labelled by 'gold' under taxonomy open-llm-failures (import "
                       "issue text and labels first)",
                       Error);
}

TEST_CASE("a calibration learnt with other rules is stale: not used, and classify says so") {
  Fixture f;
  f.add_stale_stage_calibration();
  add_calibration(f.store, {.taxonomy = f.taxonomy.id(),
                            .dimension = "routing",
                            .gold_source = "gold",
                            .model = R"({"threshold": 0.4, "rules_hash": "old"})"});
  SavedCalibration saved = load_calibrations(f.store, f.taxonomy, f.rules);
  CHECK(saved.stale);
  CHECK(saved.calibrations.empty());
  CHECK(saved.threshold == -1);
  ClassifyOptions hybrid;
  hybrid.route = Route::kHybrid;
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, hybrid);
  CHECK(s.stale_calibration);
  CHECK_FALSE(s.calibrated);
  CHECK(s.threshold == 0.25);
}

TEST_CASE("cross-validation scores each fold with bins learnt on the others and routes on held-out confidence") {
  Fixture f;
  label_three(f);
  CalibrateOptions in_sample;
  in_sample.max_route = 0.34;
  CalibrationReport plain = calibrate(f.store, f.taxonomy, f.rules, in_sample);
  CHECK_FALSE(plain.cross_validation);

  CalibrateOptions options = in_sample;
  options.folds = 3;
  options.group_by = "issue";
  CalibrationReport r = calibrate(f.store, f.taxonomy, f.rules, options);
  REQUIRE(r.cross_validation);
  const CrossValidation& cv = *r.cross_validation;
  CHECK(cv.folds == 3);
  CHECK(cv.groups == 3);
  REQUIRE(cv.fold_sizes.size() == 3);
  CHECK(cv.fold_sizes[0] + cv.fold_sizes[1] + cv.fold_sizes[2] == 3);
  REQUIRE(cv.dimensions.size() == 3);
  for (const FoldScores& d : cv.dimensions) {
    CHECK(d.n == 3);
    // The rules do not learn from the labels, so what they get right held out is what they get
    // right in sample; only the confidence map and the threshold are learnt.
    double in_sample_accuracy = -1;
    for (const auto& [dimension, a] : plain.accuracy) {
      if (dimension == d.dimension) in_sample_accuracy = a;
    }
    CHECK(d.held_out == doctest::Approx(in_sample_accuracy));
    CHECK(d.promised >= 0);
    CHECK(d.promised <= 1);
    CHECK(d.sd >= 0);
  }
  CHECK(r.routed_share <= 0.34);
  int64_t routed = 0;
  for (const auto& [dimension, n] : r.routed_by_dimension) routed += n;
  CHECK(routed == static_cast<int64_t>(std::lround(r.routed_share * 3)));
  // The saved bins are learnt on all the issues, as without folds.
  REQUIRE(r.calibrations.size() == plain.calibrations.size());
  for (size_t i = 0; i < r.calibrations.size(); ++i)
    CHECK(r.calibrations[i].accuracy == plain.calibrations[i].accuracy);

  std::ostringstream out;
  print_calibration(r, out);
  CHECK(out.str().find("\nCross-validated over 3 folds grouped by issue (3 issues; folds of ") != std::string::npos);
  CHECK(out.str().find("(chosen on held-out confidences): hybrid sends ") != std::string::npos);
  CHECK(f.count("SELECT count(*) FROM runs WHERE command = 'calibrate' AND json_extract(summary, "
                "'$.cross_validation.dimensions.symptom.n') = 3") == 1);
}

TEST_CASE("cross-validation needs at least two folds and as many groups as folds") {
  Fixture f;
  label_three(f);
  CalibrateOptions options;
  options.folds = 1;
  CHECK_THROWS_WITH_AS(calibrate(f.store, f.taxonomy, f.rules, options),
                       "calibrate: --folds must be 0 (none) or at least 2", Error);
  options.folds = 2;  // grouped by repository: the three come from one
  CHECK_THROWS_WITH_AS(calibrate(f.store, f.taxonomy, f.rules, options),
                       "calibrate --folds 2: the labelled issues come from only 1 repository; use fewer folds or "
                       "--group issue",
                       Error);
  options.group_by = "issue";
  options.folds = 4;
  CHECK_THROWS_WITH_AS(calibrate(f.store, f.taxonomy, f.rules, options),
                       "calibrate --folds 4: the labelled issues come from only 3 issues; use fewer folds", Error);
  options.group_by = "month";
  options.folds = 2;
  CHECK_THROWS_WITH_AS(calibrate(f.store, f.taxonomy, f.rules, options),
                       "calibrate: --group must be 'repository' or 'issue', not 'month'", Error);
}
