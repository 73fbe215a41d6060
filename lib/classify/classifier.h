// classify/classifier.h — the rule classifier: evidence rolled up the taxonomy, decided top-down.
//
//   RuleClassifier c(taxonomy, rules);                 // optionally with calibrations
//   Classification r = c.classify(extract_features(title, body, comments));
//   r.is_failure; r.symptom.node ("sym.crash.cuda.oom"); r.symptom.confidence; r.symptom.hits
//
// Per dimension every hit adds its weight to its target node; a node's score is its own plus
// its best child's (evidence for "Out of Memory" is evidence for "CUDA Error" and "Crash";
// evidence for two children is two competing explanations, and only the stronger counts).
// The decision goes top-down: the best top-level node, then its best child while a child has
// evidence — to level 3 for symptoms where the report allows, to level 2 for root causes.
// Priors (in the rule files) are small scores that decide when nothing matched. Root causes
// start instead from the "given" priors when the rules have them: P(root cause | symptom,
// stage) from labelled reports, looked up with the symptom and stage just decided (an
// out-of-memory crash in fine-tuning is most often a configuration problem, one in inference
// a hardware limit).
//
// The margin between the best and the second-best top-level node says how clear the case
// is. Without calibration, confidence = margin / (best + 1); with one (`firstmile calibrate`),
// it is the accuracy observed on labelled data for margins like this one (plus a thousandth of
// the raw ratio, which breaks ties within a bin). Decision order as in
// the study's screening: is it a failure report at all? then stage, symptom, root cause.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "classify/features.h"
#include "classify/rules.h"

namespace firstmile {

class Taxonomy;
class TextModel;

struct DimensionDecision {
  std::string dimension;  // 'relevance', 'stage', 'symptom', 'root_cause'
  std::string node;       // chosen node id; for relevance "failure" or "not_failure"
  std::string top;        // its top-level ancestor
  std::string runner_up;  // second-best top-level node
  double score = 0, runner_up_score = 0, margin = 0;
  double confidence = 0;
  bool from_prior = false;           // no rule fired for this dimension
  double model_p = -1;               // the text model's P(top | words), -1 without a model
  const PriorCell* given = nullptr;  // root cause: the prior cell it started from, if any
  std::vector<RuleHit> hits;         // the hits on the chosen path, strongest first
};

// How margins map to accuracy for one dimension, learnt from gold labels.
struct Calibration {
  std::string dimension;
  std::vector<double> upper_edges;  // bin i holds margins <= upper_edges[i] (last: +inf)
  std::vector<double> accuracy;     // observed accuracy per bin, made non-decreasing
  std::vector<int> counts;
  double confidence(double margin) const;
};

struct Classification {
  bool is_failure = true;
  DimensionDecision relevance, stage, symptom, root_cause;
  // The least confident of stage, symptom and root cause: what routing compares to a threshold.
  double confidence = 0;

  // That dimension's decision (the first of stage, symptom, root cause on a tie): the one an
  // issue is routed for.
  const DimensionDecision& least_confident() const {
    const DimensionDecision* least = &stage;
    for (const DimensionDecision* d : {&symptom, &root_cause}) {
      if (d->confidence < least->confidence) least = d;
    }
    return *least;
  }
};

class RuleClassifier {
 public:
  // `model`: the statistical layer added to the rules' scores; by default the rules' own
  // (RuleSet::text_model()); nullptr for none (cross-validation passes one trained per fold).
  RuleClassifier(const Taxonomy& taxonomy, const RuleSet& rules, std::vector<Calibration> calibrations = {},
                 std::optional<const TextModel*> model = std::nullopt);
  Classification classify(const IssueFeatures& features) const;

 private:
  // `start`: the scores to start from instead of the flat priors (root cause given symptom).
  // `extra`: the text model's scores per node, added to the node's own.
  DimensionDecision decide(const std::string& dimension, const std::vector<RuleHit>& hits,
                           const std::vector<double>* start = nullptr, const std::vector<double>* extra = nullptr) const;
  void decide_relevance(const std::vector<RuleHit>& hits, DimensionDecision& d) const;
  // False when the taxonomy has no nodes of d.dimension.
  bool decide_in_taxonomy(const std::vector<RuleHit>& hits, const std::vector<double>* start,
                          const std::vector<double>* extra, DimensionDecision& d) const;
  // Per node of the taxonomy: its rolled-up score over `nodes` (one dimension's, parents first).
  std::vector<double> rolled_scores(const std::vector<RuleHit>& hits, const std::vector<double>* start,
                                    const std::vector<double>* extra, const std::string& dimension,
                                    const std::vector<int>& nodes) const;
  // Per dimension the text model scores: weight x P(class | tokens) at each class's node.
  std::map<std::string, std::vector<double>> model_scores(const IssueFeatures& features,
                                                          const std::vector<RuleHit>& hits) const;
  // From `top` down to its best child with evidence while one has some, to `max_level`.
  int descend(int top, const std::vector<double>& rolled, int max_level) const;
  size_t rule_index(const RuleHit& hit) const;
  double confidence(const DimensionDecision& d) const;
  int index_of(const std::string& id) const;  // node index, -1 when not a node

  const Taxonomy& taxonomy_;
  const RuleSet& rules_;
  std::map<std::string, Calibration> calibrations_;
  std::map<std::string, int> max_level_;  // deepest level decided per dimension
  // Scores live in vectors over the taxonomy's nodes (file order, parents first): a report is
  // decided with a few hundred additions instead of string-keyed map look-ups.
  std::vector<int> parent_;                                    // node index -> parent index, -1 at the top
  std::vector<std::vector<int>> children_;                     // node index -> children indices
  std::map<std::string, std::vector<int>> nodes_of_, top_of_;  // dimension -> nodes, top-level nodes
  std::vector<double> priors_;                                 // flat prior per node
  double prior_failure_ = 0, prior_not_failure_ = 0;
  std::vector<int> rule_target_;                  // rule index -> node index (-1: relevance)
  std::vector<std::vector<double>> given_start_;  // "given" cell index -> root-cause start scores
  const TextModel* model_ = nullptr;
};

}  // namespace firstmile
