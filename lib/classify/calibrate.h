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
#pragma once

#include <cstdint>
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
};

struct CalibrationReport {
  int64_t run_id = 0;
  int64_t issues = 0;                                    // labelled issues with text
  std::vector<Calibration> calibrations;                 // stage, symptom, root_cause
  std::vector<std::pair<std::string, double>> accuracy;  // top-level accuracy per dimension
  double threshold = 0;                                  // issue confidence below which hybrid routes
  double routed_share = 0;                               // share of the labelled issues below it
  double accuracy_kept = 0;                              // mean top-level accuracy of the issues not routed
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
