// labels/evaluation.h — how well one annotation source reproduces another (the gold labels).
//
//   Evaluation e = evaluate(store, taxonomy, direct_resolver(taxonomy),
//                           {.gold = "gold", .pred = "rules", .exclude_review = false});
//   const LevelEvaluation* s = e.find("symptom", 1);
//   s->compared; s->accuracy; s->macro_f1; s->kappa.kappa; s->classes; s->confusion;
//   e.coverage.gold_issues_without_prediction;
//
// Sources are selectors as in source_matches ('gold' matches the one 'gold:NAME'); each must
// name exactly one source. Only issues both sources labelled are compared, failure by failure:
// failure_index 1 of the gold labels against failure_index 1 of the predictions, 2 against 2,
// and so on; a gold failure whose index the prediction lacks counts as uncovered.
//
// Every dimension (relevance = is_failure, stage, symptom, root_cause) is scored at each level
// the taxonomy gives it. At level N a label deeper than N is cut to its ancestor at N; a pair
// counts only when both labels reach level N. A gold label at N with no predicted label that
// deep is counted in `pred_missing`, not as an error, so accuracy is over labels given.
//
// Macro-F1 averages F1 over the classes present in gold or predictions (a class never
// predicted has precision 0, as in scikit-learn with zero_division=0); kappa is Cohen's
// (stats::cohens_kappa_from_labels).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labels/source_labels.h"
#include "stats/agreement.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

class Store;

struct EvaluationOptions {
  std::string gold;             // selector of the reference labels
  std::string pred;             // selector of the labels under test
  bool exclude_review = false;  // drop predictions marked needs_review (they count as missing)
  // "" for every issue; "en" or "zh": only issues whose title and prose (fenced code left out)
  // are in that language (base/text.h detect_language). Issues without text are left out then.
  std::string language{};
};

struct ClassScore {
  std::string id;    // node id, or "yes"/"no" for relevance
  std::string name;  // path, or "failure"/"not a failure"
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;    // gold labels of this class
  int64_t predicted = 0;  // predicted labels of this class
};

struct Disagreement {
  std::string repository;  // "owner/name"
  int64_t number = 0;
  int failure_index = 1;
  std::string url;
  std::string gold, predicted;  // class names
  std::optional<double> confidence;
  std::string evidence;  // the prediction's evidence JSON
};

struct LevelEvaluation {
  std::string dimension;
  int level = 1;
  int64_t compared = 0;  // failures with a label at this level from both sources
  int64_t correct = 0;
  int64_t pred_missing = 0;  // gold label at this level, prediction none or shallower
  double accuracy = 0, macro_f1 = 0;
  // 95% Wilson interval of the accuracy: on a few dozen labelled issues it is wide (74 cards at
  // 0.62: 0.51 to 0.72), and a researcher should see that before comparing classifiers.
  double accuracy_low = 0, accuracy_high = 0;
  stats::Kappa kappa;
  std::vector<ClassScore> classes;              // classes in gold or predictions, taxonomy order
  std::vector<std::vector<int64_t>> confusion;  // [gold class][predicted class], order of `classes`
  std::vector<Disagreement> disagreements;      // by repository, number, failure index
};

struct IssueRef {
  std::string repository;
  int64_t number = 0;
  std::string url;
};

struct EvaluationCoverage {
  int64_t gold_issues = 0, gold_failures = 0;
  int64_t issues_compared = 0;    // issues both sources labelled
  int64_t failures_compared = 0;  // gold failures with a prediction of the same index
  int64_t gold_issues_without_prediction = 0;
  int64_t gold_failures_without_prediction = 0;  // including those of issues without a prediction
  int64_t predictions_excluded_for_review = 0;   // with exclude_review
  int64_t predicted_issues_without_gold = 0;
  // Of the compared predictions, those a routed run sent to the LLM (evidence "route":
  // "uncertain"), counted by the dimension they were sent for: the largest expected gain
  // ("routed_for"), else the least confident dimension of the rules' evidence.
  int64_t routed = 0;
  std::vector<std::pair<std::string, int64_t>> routed_by_dimension;
  std::vector<IssueRef> uncovered;  // gold issues without a prediction, by repository and number
};

struct Evaluation {
  std::string gold_source, pred_source, taxonomy;
  bool exclude_review = false;
  std::string language;  // "" when every issue was evaluated
  EvaluationCoverage coverage;
  std::vector<LevelEvaluation> levels;  // dimension by dimension (label_dimensions order), level 1 first

  const LevelEvaluation* find(const std::string& dimension, int level) const;
};

Evaluation evaluate(Store& store, const Taxonomy& taxonomy, const NodeResolver& resolve,
                    const EvaluationOptions& options);

// The evaluation on the English reports, then on the Chinese ones (`eval --by lang`).
std::vector<Evaluation> evaluate_by_language(Store& store, const Taxonomy& taxonomy, const NodeResolver& resolve,
                                             EvaluationOptions options);

// Scores of paired class labels (gold[i] against pred[i]); `classes` in report order, or empty
// to take them from the labels. Exposed for tests.
LevelEvaluation score_labels(const std::vector<std::string>& gold, const std::vector<std::string>& pred,
                             std::vector<std::string> classes = {});

}  // namespace firstmile
