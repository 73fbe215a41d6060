// classify/calibrate.h — `firstmile calibrate`: what the rules' margins are worth, learnt from labels.
//
//   CalibrationReport r = calibrate(store, taxonomy, rules, {.gold = "gold", .max_route = 0.3});
//   print_calibration(r, std::cout);
//   SavedCalibration saved = load_calibrations(store, taxonomy, rules);   // what classify uses
//   RuleClassifier classifier(taxonomy, rules, saved.calibrations);
//
// The gold-labelled issues with text are classified; per dimension (stage, symptom, root cause)
// their margins are sorted into `bins` bins of about equal size (equal margins in one bin), each
// bin's share of top-level labels right is its accuracy, made non-decreasing in the margin
// (pool-adjacent-violators). With those, the issue confidence of each labelled issue gives the
// routing threshold: hybrid classification sends the issues below it to the LLM, at most
// `max_route` of them. Calibrations are saved (store/calibrations.h) with the rules' hash: one
// learnt with other rules says nothing about these (margins mean other things).
//
// With `folds` K >= 2 the labelled issues are also split into K folds by group (a repository,
// or an issue: its link's hash), and each fold is scored by bins learnt on the others: the
// accuracy of every dimension per fold (mean and spread, what to expect on reports of an unseen
// repository), the held-out confidence against the accuracy it promised, and the routing
// threshold chosen on held-out confidences rather than on the issues the bins were learnt from
// (which would trust the rules too much). The saved bins are learnt on all the issues.
//
// When the rules carry a text model (classify/text_model.h), cross-validation retrains it
// without the fold it scores (with the shipped model's options), and the margins the bins are
// learnt on come from models that did not see their issue either: a model trained on the very
// issues it is calibrated on would make every margin look safe. Without --folds the shipped
// model is used as it is, and the report says the margins are in-sample.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "classify/classifier.h"

namespace firstmile {

class Store;
class Taxonomy;
class RuleSet;

// The last margin bin's upper edge, and a threshold that routes every issue.
inline constexpr double kUnbounded = 1e300;

struct CalibrateOptions {
  std::string gold = "gold";  // selector of the labelled source
  double max_route = 0.3;     // share of issues hybrid routing may send to the LLM
  int bins = 5;
  std::vector<std::string> argv;
  int folds = 0;                        // 0: no cross-validation; else K >= 2
  std::string group_by = "repository";  // "repository" or "issue": what a fold keeps together
};

// One dimension across the folds of a cross-validation.
struct FoldScores {
  std::string dimension;
  std::vector<double> accuracy;  // top-level accuracy in each fold that has labels of it
  double mean = 0, sd = 0;       // of `accuracy` (sd: sample standard deviation; 0 for one fold)
  double held_out = 0;           // pooled over all held-out issues
  double kappa = 0;              // Cohen's kappa of the pooled held-out top-level labels against gold
  double promised = 0;           // mean held-out confidence: the accuracy the bins promised
  int64_t n = 0;
};

// One top-level class of a dimension over the held-out issues: recall is right / gold,
// precision right / predicted.
struct ClassScores {
  std::string dimension, node;
  int64_t gold = 0, predicted = 0, right = 0;
};

struct CrossValidation {
  int folds = 0;
  std::string group_by;
  int64_t groups = 0;
  std::vector<int64_t> fold_sizes;  // issues per fold
  std::vector<FoldScores> dimensions;
  std::vector<ClassScores> classes;  // per dimension and top-level class, by id
  bool text_model = false;           // the rules' text model was retrained without each fold
};

struct CalibrationReport {
  int64_t run_id = 0;
  int64_t issues = 0;                                    // labelled issues with text
  std::vector<Calibration> calibrations;                 // stage, symptom, root_cause
  std::vector<std::pair<std::string, double>> accuracy;  // top-level accuracy per dimension
  double threshold = 0;                                  // issue confidence below which hybrid routes
  double routed_share = 0;                               // share of the labelled issues below it
  double accuracy_kept = 0;                              // mean top-level accuracy of the issues not routed
  // Of the issues below the threshold, how many each dimension sent (the least confident one).
  std::vector<std::pair<std::string, int64_t>> routed_by_dimension;
  std::optional<CrossValidation> cross_validation;  // with --folds; then the threshold is held-out
  // Routing by expected gain (classify/routing.h), when the rules have a routing block: the
  // share sent, by the dimension of largest gain, the rules' accuracy on the rest, and each
  // dimension's expected top-level accuracy if the LLM is as accurate as the block says.
  std::map<std::string, double> llm_accuracy;
  double gain_routed_share = 0, gain_accuracy_kept = 0;
  std::vector<std::pair<std::string, int64_t>> gain_routed_by_dimension;
  std::vector<std::pair<std::string, double>> expected_accuracy;
  std::string text_model;        // the rules' text model's provenance, "" without one
  bool model_in_sample = false;  // without --folds, margins came from the shipped model as it is
};

// Classifies the gold-labelled issues, learns margin -> accuracy per dimension, and the routing
// threshold; saves them for later `classify` runs. Throws Error when no issue with text is
// labelled by the source.
CalibrationReport calibrate(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                            const CalibrateOptions& options);

// What `firstmile calibrate` prints: the issues, a table of accuracy per dimension and margin
// bin, and the routing threshold.
void print_calibration(const CalibrationReport& report, std::ostream& out);

// The latest saved calibration for the taxonomy, if it was learnt with these rules: one learnt
// with other rules comes back empty and marked stale.
struct SavedCalibration {
  std::vector<Calibration> calibrations;  // stage, symptom, root_cause; empty if none or stale
  double threshold = -1;                  // the routing threshold; -1 if none or stale
  bool stale = false;                     // there is one, learnt with other rules
};
SavedCalibration load_calibrations(Store& store, const Taxonomy& taxonomy, const RuleSet& rules);

}  // namespace firstmile
