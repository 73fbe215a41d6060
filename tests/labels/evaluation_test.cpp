// Tests of classify/evaluation.h on small invented labels in an in-memory store. Expected
// values are computed by hand in the comments (no scikit-learn on the build machine).
#include <doctest/doctest.h>

#include <sstream>

#include "base/error.h"
#include "labels/evaluation.h"
#include "labels/evaluation_report.h"
#include "store/store.h"
#include "support/labelled_store.h"

using namespace firstmile;

namespace {

struct Fixture : firstmile::testing::LabelledStore {
  void label(int64_t number, const std::string& source, std::optional<std::string> symptom, int failure_index = 1,
             std::optional<int> is_failure = 1, bool needs_review = false) {
    Annotation a = annotation(number, source);
    a.failure_index = failure_index;
    a.is_failure = is_failure;
    a.symptom = std::move(symptom);
    a.needs_review = needs_review;
    a.confidence = 0.75;
    a.evidence = R"({"rule": "r1"})";
    store.upsert_annotation(a);
  }
  Evaluation run(bool exclude_review = false) {
    return evaluate(store, taxonomy, direct_resolver(taxonomy),
                    {.gold = "gold", .pred = "rules", .exclude_review = exclude_review, .language = ""});
  }
};

}  // namespace

TEST_CASE("accuracy, macro-F1 and kappa of top-level symptoms match the hand computation") {
  Fixture f;
  std::vector<std::string> gold{"sym.crash", "sym.crash", "sym.crash", "sym.hang", "sym.hang", "sym.slow"};
  std::vector<std::string> pred{"sym.crash", "sym.crash", "sym.hang", "sym.hang", "sym.slow", "sym.slow"};
  for (size_t i = 0; i < gold.size(); ++i) {
    f.label(static_cast<int64_t>(i + 1), "gold:tiny", gold[i]);
    f.label(static_cast<int64_t>(i + 1), "rules", pred[i]);
  }
  Evaluation e = f.run();
  const LevelEvaluation* s = e.find("symptom", 1);
  REQUIRE(s);
  CHECK(s->compared == 6);
  CHECK(s->accuracy == doctest::Approx(4.0 / 6));
  // Wilson 95% interval of 4 of 6 (statsmodels proportion_confint(4, 6, method="wilson")).
  CHECK(s->accuracy_low == doctest::Approx(0.2999).epsilon(0.001));
  CHECK(s->accuracy_high == doctest::Approx(0.9032).epsilon(0.001));
  // F1: Crash P 2/2 R 2/3 -> 0.8; Hang P 1/2 R 1/2 -> 0.5; Slow P 1/2 R 1/1 -> 2/3.
  CHECK(s->macro_f1 == doctest::Approx((0.8 + 0.5 + 2.0 / 3) / 3));
  // p_o = 4/6; p_e = 3/6*2/6 + 2/6*2/6 + 1/6*2/6 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 0.5.
  CHECK(s->kappa.kappa == doctest::Approx(0.5));
}

TEST_CASE("per-class scores and the confusion matrix follow taxonomy order") {
  Fixture f;
  std::vector<std::string> gold{"sym.slow", "sym.crash", "sym.crash", "sym.hang"};
  std::vector<std::string> pred{"sym.slow", "sym.crash", "sym.hang", "sym.hang"};
  for (size_t i = 0; i < gold.size(); ++i) {
    f.label(static_cast<int64_t>(i + 1), "gold:tiny", gold[i]);
    f.label(static_cast<int64_t>(i + 1), "rules", pred[i]);
  }
  Evaluation e = f.run();
  const LevelEvaluation* s = e.find("symptom", 1);
  REQUIRE(s);
  REQUIRE(s->classes.size() == 3);
  CHECK(s->classes[0].name == "Crash");
  CHECK(s->classes[1].name == "Hang");
  CHECK(s->classes[2].name == "Slow");
  CHECK(s->classes[0].support == 2);
  CHECK(s->classes[0].precision == doctest::Approx(1.0));
  CHECK(s->classes[0].recall == doctest::Approx(0.5));
  CHECK(s->classes[1].precision == doctest::Approx(0.5));
  CHECK(s->confusion == std::vector<std::vector<int64_t>>{{1, 1, 0}, {0, 1, 0}, {0, 0, 1}});
}

TEST_CASE("a class never predicted scores precision and F1 zero and still counts in macro-F1") {
  LevelEvaluation s = score_labels({"a", "a", "b"}, {"a", "a", "a"});
  REQUIRE(s.classes.size() == 2);
  CHECK(s.classes[1].precision == 0);
  CHECK(s.classes[1].f1 == 0);
  // a: P 2/3 R 1 -> F1 0.8; b: 0. Macro 0.4.
  CHECK(s.macro_f1 == doctest::Approx(0.4));
}

TEST_CASE("labels deeper than the level are cut to it and shallower ones do not count there") {
  Fixture f;
  f.label(1, "gold:tiny", "sym.crash.oom");
  f.label(1, "rules", "sym.crash.kill");  // same at level 1, different at 2
  f.label(2, "gold:tiny", "sym.hang");
  f.label(2, "rules", "sym.hang.gen");  // gold stops at level 1: not compared at 2
  f.label(3, "gold:tiny", "sym.crash.oom");
  f.label(3, "rules", "sym.crash");  // prediction stops at level 1: missing at 2
  Evaluation e = f.run();
  const LevelEvaluation* l1 = e.find("symptom", 1);
  const LevelEvaluation* l2 = e.find("symptom", 2);
  REQUIRE(l1);
  REQUIRE(l2);
  CHECK(l1->compared == 3);
  CHECK(l1->accuracy == doctest::Approx(1.0));
  CHECK(l2->compared == 1);
  CHECK(l2->correct == 0);
  CHECK(l2->pred_missing == 1);
  REQUIRE(l2->disagreements.size() == 1);
  CHECK(l2->disagreements[0].gold == "Crash / Out of Memory");
  CHECK(l2->disagreements[0].predicted == "Crash / Process Killed");
}

TEST_CASE("every dimension is scored at each level the taxonomy gives it") {
  Fixture f;
  f.label(1, "gold:tiny", "sym.crash");
  f.label(1, "rules", "sym.crash");
  Evaluation e = f.run();
  std::vector<std::string> rows;
  for (const LevelEvaluation& l : e.levels) rows.push_back(l.dimension + std::to_string(l.level));
  CHECK(rows == std::vector<std::string>{"relevance1", "stage1", "symptom1", "symptom2", "root_cause1"});
}

TEST_CASE("failures of a multi-failure issue are matched by failure index, never re-paired") {
  Fixture f;
  f.label(1, "gold:tiny", "sym.crash", 1);
  f.label(1, "gold:tiny", "sym.hang", 2);
  f.label(1, "gold:tiny", "sym.slow", 3);
  f.label(1, "rules", "sym.hang", 1);
  f.label(1, "rules", "sym.crash", 2);  // the labels are swapped: both count as wrong
  Evaluation e = f.run();
  const LevelEvaluation* s = e.find("symptom", 1);
  REQUIRE(s);
  CHECK(s->compared == 2);
  CHECK(s->correct == 0);
  CHECK(e.coverage.failures_compared == 2);
  CHECK(e.coverage.gold_failures_without_prediction == 1);  // failure 3
  CHECK(e.coverage.gold_issues_without_prediction == 0);
  REQUIRE(s->disagreements.size() == 2);
  CHECK(s->disagreements[1].failure_index == 2);
}

TEST_CASE("coverage counts gold issues without a prediction and predictions without gold") {
  Fixture f;
  f.label(1, "gold:tiny", "sym.crash");
  f.label(2, "gold:tiny", "sym.hang");
  f.label(3, "gold:tiny", "sym.slow");
  f.label(1, "rules", "sym.crash");
  f.label(3, "rules", "sym.slow");
  f.label(4, "rules", "sym.slow");
  Evaluation e = f.run();
  CHECK(e.coverage.gold_issues == 3);
  CHECK(e.coverage.issues_compared == 2);
  CHECK(e.coverage.gold_issues_without_prediction == 1);
  CHECK(e.coverage.predicted_issues_without_gold == 1);
  REQUIRE(e.coverage.uncovered.size() == 1);
  CHECK(e.coverage.uncovered[0].number == 2);
  CHECK(e.find("symptom", 1)->compared == 2);
}

TEST_CASE("predictions marked for review are counted by default and left out with exclude_review") {
  Fixture f;
  f.label(1, "gold:tiny", "sym.crash");
  f.label(2, "gold:tiny", "sym.hang");
  f.label(1, "rules", "sym.crash");
  f.label(2, "rules", "sym.crash", 1, 1, /*needs_review=*/true);
  Evaluation counted = f.run();
  CHECK(counted.find("symptom", 1)->compared == 2);
  Evaluation excluded = f.run(true);
  CHECK(excluded.find("symptom", 1)->compared == 1);
  CHECK(excluded.find("symptom", 1)->accuracy == doctest::Approx(1.0));
  CHECK(excluded.coverage.predictions_excluded_for_review == 1);
  CHECK(excluded.coverage.gold_issues_without_prediction == 1);
}

TEST_CASE("relevance compares is_failure as yes and no") {
  Fixture f;
  std::vector<int> gold{1, 1, 0, 0}, pred{1, 0, 0, 0};
  for (size_t i = 0; i < gold.size(); ++i) {
    f.label(static_cast<int64_t>(i + 1), "gold:tiny", std::nullopt, 1, gold[i]);
    f.label(static_cast<int64_t>(i + 1), "rules", std::nullopt, 1, pred[i]);
  }
  Evaluation e = f.run();
  const LevelEvaluation* r = e.find("relevance", 1);
  REQUIRE(r);
  CHECK(r->compared == 4);
  CHECK(r->accuracy == doctest::Approx(0.75));
  // yes: P 1 R 1/2 -> 2/3; no: P 2/3 R 1 -> 0.8.
  CHECK(r->macro_f1 == doctest::Approx((2.0 / 3 + 0.8) / 2));
  // p_o = 3/4; p_e = 1/2*1/4 + 1/2*3/4 = 1/2; kappa = 0.5.
  CHECK(r->kappa.kappa == doctest::Approx(0.5));
  CHECK(r->classes[0].name == "failure");
}

TEST_CASE("a disagreement carries the issue, both labels, the confidence and the evidence") {
  Fixture f;
  f.label(7, "gold:tiny", "sym.crash");
  f.label(7, "rules", "sym.slow");
  Evaluation e = f.run();
  const LevelEvaluation* s = e.find("symptom", 1);
  REQUIRE(s->disagreements.size() == 1);
  const Disagreement& d = s->disagreements[0];
  CHECK(d.repository == "o/r");
  CHECK(d.number == 7);
  CHECK(d.url == "https://github.com/o/r/issues/7");
  CHECK(d.gold == "Crash");
  CHECK(d.predicted == "Slow");
  CHECK(d.confidence == 0.75);
  CHECK(d.evidence == R"({"rule": "r1"})");
}

TEST_CASE("a selector that matches several sources is refused, naming them") {
  Fixture f;
  f.label(1, "gold:a", "sym.crash");
  f.label(1, "gold:b", "sym.crash");
  f.label(1, "rules", "sym.crash");
  CHECK_THROWS_WITH_AS(f.run(), "'gold' matches several sources (gold:a, gold:b): name one", Error);
}

TEST_CASE("by language: each report is scored with the others of its language, code left out") {
  Fixture f;
  auto text = [&](int64_t number, const std::string& title, const std::string& body) {
    IssueData d;
    d.repository_id = f.repository;
    d.number = number;
    d.title = title;
    d.body = body;
    d.url = "https://github.com/o/r/issues/" + std::to_string(number);
    f.store.upsert_issue(d);
  };
  // Two Chinese reports (their English logs do not make them English), two English, one without text.
  text(1, "推理时显存不足",
       "运行下面的代码就报错了，请问怎么解决？\n```\nRuntimeError: CUDA out of memory. Tried to allocate\n```");
  text(2, "模型加载一直卡住", "加载模型的时候一直没有反应，等了很久也没有输出。");
  text(3, "Generation hangs forever", "The server never answers the first request.");
  text(4, "Crash on load", "It crashes with a long traceback.");
  const char* gold[] = {"sym.crash", "sym.hang", "sym.hang", "sym.crash", "sym.crash"};
  const char* pred[] = {"sym.crash", "sym.crash", "sym.hang", "sym.hang", "sym.crash"};
  for (int64_t i = 0; i < 5; ++i) {
    f.label(i + 1, "gold:tiny", gold[i]);
    f.label(i + 1, "rules", pred[i]);
  }
  std::vector<Evaluation> by =
      evaluate_by_language(f.store, f.taxonomy, direct_resolver(f.taxonomy),
                           {.gold = "gold", .pred = "rules", .exclude_review = false, .language = ""});
  REQUIRE(by.size() == 2);
  CHECK(by[0].language == "en");
  CHECK(by[1].language == "zh");
  const LevelEvaluation* en = by[0].find("symptom", 1);
  const LevelEvaluation* zh = by[1].find("symptom", 1);
  REQUIRE(en);
  REQUIRE(zh);
  CHECK(en->compared == 2);  // #3 right, #4 wrong; #5 has no text
  CHECK(en->correct == 1);
  CHECK(zh->compared == 2);  // #1 right, #2 wrong
  CHECK(zh->correct == 1);
  CHECK(by[1].coverage.issues_compared == 2);
  CHECK(f.run().find("symptom", 1)->compared == 5);  // without a language, all of them
  std::ostringstream printed;
  print_evaluation_by_language(by, printed);
  CHECK(printed.str().find("\n  en: 2 issues, 2 failures compared\n  zh: 2 issues, 2 failures compared\n") !=
        std::string::npos);
  CHECK(printed.str().find("\n  zh        symptom         1  2        1    0.5000") != std::string::npos);
}

TEST_CASE("by language: a language without reports shows no accuracy rather than zero") {
  Fixture f;
  f.label(1, "gold:tiny", "sym.crash");
  f.label(1, "rules", "sym.crash");  // o/r#1 has no text: neither language
  std::ostringstream printed;
  print_evaluation_by_language(evaluate_by_language(f.store, f.taxonomy, direct_resolver(f.taxonomy),
                                                    {.gold = "gold", .pred = "rules", .exclude_review = false}),
                               printed);
  const std::string text = printed.str();
  size_t row = text.find("\n  zh        symptom         1  0        0 ");
  REQUIRE(row != std::string::npos);
  std::string line = text.substr(row + 1, text.find('\n', row + 1) - row - 1);
  CHECK(line.find("0.0000") == std::string::npos);
  CHECK(line.back() == '-');
}

TEST_CASE("the coverage counts the predictions a routed run sent to the LLM, by the dimension sent for") {
  Fixture f;
  const char* const evidence[] = {
      R"({"route": "uncertain", "routed_for": ["symptom", "root_cause"]})",
      R"({"route": "uncertain", "routed_for": ["root_cause"]})",
      // An older run: no routed_for, so the least confident dimension of the evidence.
      R"({"route": "uncertain", "stage": {"confidence": 0.9}, "symptom": {"confidence": 0.4}})",
      R"({"route": "clear", "routed_for": ["symptom"]})",
      R"({"rule": "r1"})",
  };
  int64_t number = 0;
  for (const char* e : evidence) {
    ++number;
    f.label(number, "gold:tiny", "sym.crash");
    Annotation a = f.annotation(number, "rules");
    a.symptom = "sym.crash";
    a.evidence = e;
    f.store.upsert_annotation(a);
  }
  Evaluation e = f.run();
  CHECK(e.coverage.routed == 3);
  CHECK(e.coverage.routed_by_dimension ==
        std::vector<std::pair<std::string, int64_t>>{{"symptom", 2}, {"root_cause", 1}});
  std::ostringstream out;
  print_evaluation(e, {}, out);
  CHECK(out.str().find("  routed to the LLM: 3 of 5 (60.0%), 2 for symptom, 1 for root_cause\n") != std::string::npos);
}
