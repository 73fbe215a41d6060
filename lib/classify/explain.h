// classify/explain.h — `firstmile explain ISSUE`: why the rules label one issue as they do.
//
//   Explanation e = explain_issue(store, taxonomy, rules, "QwenLM/Qwen2.5#306");
//   print_explanation(e, taxonomy, std::cout);
//   e.decision.symptom.hits     // the rules that fired for the chosen symptom, with the text they matched
//
// The issue is classified afresh, as `classify` would now (with the saved calibration when it
// was learnt with these rules): its features (language, error lines, signature), each
// dimension's decision with its confidence, margin, runner-up, the text model's probability
// and the hits, the issue confidence against the routing threshold and the expected gain of
// asking the LLM, and beside them the labels every source stored for it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "classify/routing.h"
#include "store/label_rows.h"
#include "store/store.h"

namespace firstmile {

class Taxonomy;
class RuleSet;

// Points into the RuleSet it was made with (hits, prior cells): use it while that lives.
struct Explanation {
  IssueText issue;
  IssueFeatures features;
  Classification decision;
  double threshold = -1;           // the calibrated routing threshold; -1 without a calibration
  RouteGain gain;                  // what asking the LLM is expected to gain (classify/routing.h)
  bool routing_known = false;      // the rules give the LLM's accuracy (a routing block)
  bool stale_calibration = false;  // a calibration learnt with other rules was left unused
  std::vector<LabelRow> labels;    // stored, every source's, by source and failure index
};

// `reference`: "OWNER/NAME#N", "OWNER/NAME/N" or an issue URL. Throws Error for a reference
// that is none of these, an issue the database does not know, or one without text.
Explanation explain_issue(Store& store, const Taxonomy& taxonomy, const RuleSet& rules, const std::string& reference);

void print_explanation(const Explanation& explanation, const Taxonomy& taxonomy, std::ostream& out);

}  // namespace firstmile
