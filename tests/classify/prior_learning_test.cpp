// Root-cause priors given symptom and stage (prior_learning.h): counting and smoothing on
// invented labels (the expected values are worked out by hand in the comments), reading them
// back from a rule file, and the classifier starting its root-cause scores from them.
#include <doctest/doctest.h>

#include "base/error.h"
#include "classify/classifier.h"
#include "classify/prior_learning.h"
#include "classify/rules.h"
#include "store/store.h"
#include "support/labelled_store.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;

namespace {

struct Fixture : firstmile::testing::LabelledStore {
  void label(int64_t number, const std::string& source, const std::string& stage, const std::string& symptom,
             const std::string& cause) {
    Annotation a = annotation(number, source);
    a.stage = stage;
    a.symptom = symptom;
    a.root_cause = cause;
    store.upsert_annotation(a);
  }
  // Fine-tuning: three out-of-memory crashes (two configuration, one environment) and a hang;
  // inference: an out-of-memory crash and a killed process, both environment.
  Fixture() {
    label(1, "gold:tiny", "stage.tune", "sym.crash.oom", "rc.config");
    label(2, "gold:tiny", "stage.tune", "sym.crash.oom", "rc.config");
    label(3, "gold:tiny", "stage.tune", "sym.crash.oom", "rc.env");
    label(4, "gold:tiny", "stage.tune", "sym.hang.gen", "rc.env");
    label(5, "gold:tiny", "stage.infer", "sym.crash.oom", "rc.env");
    label(6, "gold:tiny", "stage.infer", "sym.crash.kill", "rc.env");
  }
  LearntPriors learn(const std::string& except = "") {
    return learn_priors(store, taxonomy,
                        {.gold = "gold", .except = except, .min_labels = 2, .smoothing = 2, .weight = 4});
  }
};

const PriorCell* cell(const ConditionalPriors& p, const std::string& symptom, const std::string& stage) {
  for (const PriorCell& c : p.cells) {
    if (c.symptom == symptom && c.stage == stage) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("priors are counted per symptom node and stage and smoothed towards the parent cell") {
  Fixture f;
  LearntPriors l = f.learn();
  CHECK(l.labels == 6);
  CHECK(l.gold == "gold:tiny");
  // All labels: environment 4/6, configuration 2/6.
  // Fine-tuning (n 4: 2 env, 2 config), m = 2: env (2 + 2 * 0.667) / 6 = 0.556, config 0.444.
  const PriorCell* tune = cell(l.priors, "", "stage.tune");
  REQUIRE(tune);
  CHECK(tune->labels == 4);
  CHECK(tune->p.at("rc.env") == doctest::Approx(0.556).epsilon(0.002));
  CHECK(tune->p.at("rc.config") == doctest::Approx(0.444).epsilon(0.002));
  // Crash in fine-tuning (n 3: 1 env, 2 config) towards 0.556 / 0.444: (1 + 1.112) / 5 = 0.422, 0.578.
  const PriorCell* crash = cell(l.priors, "sym.crash", "stage.tune");
  REQUIRE(crash);
  CHECK(crash->p.at("rc.config") == doctest::Approx(0.578).epsilon(0.002));
  // Out of memory in fine-tuning (same 3 labels) towards the crash cell: (2 + 1.156) / 5 = 0.631.
  const PriorCell* oom = cell(l.priors, "sym.crash.oom", "stage.tune");
  REQUIRE(oom);
  CHECK(oom->p.at("rc.config") == doctest::Approx(0.631).epsilon(0.002));
  CHECK(oom->p.at("rc.env") == doctest::Approx(0.369).epsilon(0.002));
  // Inference (n 2, both env): (2 + 1.333) / 4 = 0.833; the one-label leaves are left out.
  CHECK(cell(l.priors, "", "stage.infer")->p.at("rc.env") == doctest::Approx(0.833).epsilon(0.002));
  CHECK(cell(l.priors, "sym.crash", "stage.infer"));
  CHECK_FALSE(cell(l.priors, "sym.crash.oom", "stage.infer"));
  CHECK_FALSE(cell(l.priors, "sym.hang", "stage.tune"));
  CHECK(l.priors.cells.size() == 5);

  // The lookup takes the deepest cell on the symptom's path, else the stage's.
  CHECK(l.priors.find({"sym.crash", "sym.crash.oom"}, "stage.tune") == cell(l.priors, "sym.crash.oom", "stage.tune"));
  CHECK(l.priors.find({"sym.crash", "sym.crash.oom"}, "stage.infer") == cell(l.priors, "sym.crash", "stage.infer"));
  CHECK(l.priors.find({"sym.hang", "sym.hang.gen"}, "stage.tune") == tune);
  CHECK(l.priors.find({}, "stage.tune") == tune);
}

TEST_CASE("--except leaves out the issues another source labelled, and no labels is an error") {
  Fixture f;
  f.label(1, "rules", "stage.tune", "sym.crash.oom", "rc.env");
  f.label(2, "rules", "stage.tune", "sym.crash.oom", "rc.env");
  LearntPriors l = f.learn("rules");
  CHECK(l.labels == 4);
  CHECK(l.left_out == 2);
  CHECK(l.priors.learnt_from == "gold:tiny (4 labels; 2 of the issues of rules left out)");
  // Out of memory in fine-tuning is now one environment label: below --min-labels 2.
  CHECK_FALSE(cell(l.priors, "sym.crash.oom", "stage.tune"));

  for (int64_t n = 3; n <= 6; ++n) f.label(n, "rules", "stage.tune", "sym.crash.oom", "rc.env");
  CHECK_THROWS_WITH_AS(f.learn("rules"), doctest::Contains("no failure labelled with stage, symptom and root cause"),
                       Error);
  CHECK_THROWS_WITH_AS(f.learn("gold"), doctest::Contains("--except names the labelled source itself"), Error);
}

TEST_CASE("a priors file reads back as the same cells, and a bad one is refused naming the cell") {
  Fixture f;
  LearntPriors l = f.learn();
  RuleSet rules = RuleSet::parse(f.taxonomy, {{"priors.json", priors_file(l)}});
  REQUIRE(rules.given().cells.size() == l.priors.cells.size());
  CHECK(rules.given().weight == 4);
  CHECK(rules.given().learnt_from == "gold:tiny (6 labels)");
  CHECK(rules.given().cells[0].p == l.priors.cells[0].p);
  CHECK(rules.rules().empty());

  auto bad = [&](const std::string& cells) {
    return RuleSet::parse(f.taxonomy, {{"p.json", R"({"given": {"weight": 1, "cells": [)" + cells + "]}}"}});
  };
  CHECK_THROWS_WITH_AS(bad(R"({"symptom": "", "stage": "stage.infer", "p": {"rc.nope": 0.5}})"),
                       doctest::Contains("p.json: 'given' cell 1: 'rc.nope' is not a root_cause node"), Error);
  CHECK_THROWS_WITH_AS(bad(R"({"symptom": "sym.crash", "stage": "sym.hang", "p": {}})"),
                       doctest::Contains("'sym.hang' is not a stage node"), Error);
  CHECK_THROWS_WITH_AS(bad(R"({"symptom": "", "stage": "stage.infer", "p": {"rc.env": 1.5}})"),
                       doctest::Contains("probability of 'rc.env' must be in [0, 1]"), Error);
  CHECK_THROWS_WITH_AS(
      bad(R"({"symptom": "", "stage": "stage.infer", "p": {}}, {"symptom": "", "stage": "stage.infer", "p": {}})"),
      doctest::Contains("cell 2: a second cell for the same symptom and stage"), Error);
}

TEST_CASE("the classifier starts root causes from the cell of the decided symptom and stage") {
  Fixture f;
  std::string given = priors_file(f.learn());
  const char* kRules = R"({"priors": {"stage.infer": 1, "rc.env": 0.1},
    "rules": [
      {"id": "oom", "target": "sym.crash.oom", "weight": 3, "fields": ["title"], "patterns": ["out of memory"]},
      {"id": "tune", "target": "stage.tune", "weight": 3, "fields": ["title"], "patterns": ["lora"]}]})";
  RuleSet with = RuleSet::parse(f.taxonomy, {{"a.json", kRules}, {"b.json", given}});
  RuleSet without = RuleSet::parse(f.taxonomy, {{"a.json", kRules}});
  RuleClassifier c(f.taxonomy, with), flat(f.taxonomy, without);

  // Out of memory in fine-tuning: configuration (0.631 x 4 against 0.369 x 4).
  Classification tune = c.classify(extract_features("LoRA run: out of memory", ""));
  CHECK(tune.stage.node == "stage.tune");
  CHECK(tune.root_cause.node == "rc.config");
  REQUIRE(tune.root_cause.given);
  CHECK(tune.root_cause.given->symptom == "sym.crash.oom");
  // The same in inference backs off to the crash cell: environment.
  Classification infer = c.classify(extract_features("out of memory", ""));
  CHECK(infer.root_cause.node == "rc.env");
  CHECK(infer.root_cause.given->symptom == "sym.crash");
  // A symptom guessed from nothing gives only the stage's cell.
  Classification nothing = c.classify(extract_features("LoRA question", ""));
  CHECK(nothing.root_cause.given->symptom == "");
  // Without the file the flat prior decides.
  Classification plain = flat.classify(extract_features("LoRA run: out of memory", ""));
  CHECK(plain.root_cause.node == "rc.env");
  CHECK_FALSE(plain.root_cause.given);
}
