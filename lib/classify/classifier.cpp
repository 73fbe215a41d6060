// classify/classifier.cpp — scores per node, rolled up, decided top-down.
#include "classify/classifier.h"

#include <algorithm>

#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {
const char* const kRelevance = "relevance";
}

double Calibration::confidence(double margin) const {
  for (size_t i = 0; i < upper_edges.size() && i < accuracy.size(); ++i) {
    if (margin <= upper_edges[i]) return accuracy[i];
  }
  return accuracy.empty() ? 0 : accuracy.back();
}

RuleClassifier::RuleClassifier(const Taxonomy& taxonomy, const RuleSet& rules, std::vector<Calibration> calibrations)
    : taxonomy_(taxonomy), rules_(rules) {
  for (Calibration& c : calibrations) calibrations_[c.dimension] = std::move(c);
  // As deep as the study labelled: symptoms to level 3, root causes to level 2.
  max_level_ = {{"symptom", 3}, {"root_cause", 2}, {"stage", 1}};
}

double RuleClassifier::confidence(const DimensionDecision& d) const {
  double raw = d.margin / (d.score + 1.0);
  auto it = calibrations_.find(d.dimension);
  if (it == calibrations_.end()) return raw;
  // Calibrated accuracies are flat over ranges of margins (isotonic bins); a thousandth of the
  // raw margin ratio orders the cases within a range, so routing can take the least clear of
  // them first instead of all or none.
  return std::min(1.0, it->second.confidence(d.margin) + 1e-3 * raw);
}

DimensionDecision RuleClassifier::decide(const std::string& dimension, const std::vector<RuleHit>& hits,
                                         const std::map<std::string, double>* start) const {
  DimensionDecision d;
  d.dimension = dimension;
  std::map<std::string, double> own = start ? *start : rules_.priors();
  bool any = false;
  for (const RuleHit& h : hits) {
    if (h.rule->dimension != dimension) continue;
    own[h.rule->target] += h.weight;
    any = true;
  }
  d.from_prior = !any;

  if (dimension == kRelevance) {
    double yes = own["relevance:failure"], no = own["relevance:not_failure"];
    d.node = d.top = yes >= no ? "failure" : "not_failure";
    d.runner_up = yes >= no ? "not_failure" : "failure";
    d.score = std::max(yes, no);
    d.runner_up_score = std::min(yes, no);
  } else {
    // Rolled-up scores: a node's own evidence plus its best child's. Children are competing
    // explanations of one failure (a report is out of memory or a dtype mismatch), so their
    // evidence does not add up; evidence for the node itself does. Nodes come parents first,
    // so a reverse walk finishes every child before its parent.
    std::map<std::string, double> rolled, best_child;
    const auto& nodes = taxonomy_.nodes();
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
      if (it->dimension != dimension) continue;
      rolled[it->id] = (own.count(it->id) ? own[it->id] : 0.0) + best_child[it->id];
      if (!it->parent.empty()) best_child[it->parent] = std::max(best_child[it->parent], rolled[it->id]);
    }
    const TaxonomyNode* best = nullptr;
    const TaxonomyNode* second = nullptr;
    for (const TaxonomyNode* n : taxonomy_.top_level(dimension)) {
      if (!best || rolled[n->id] > rolled[best->id]) {
        second = best;
        best = n;
      } else if (!second || rolled[n->id] > rolled[second->id]) {
        second = n;
      }
    }
    if (!best) return d;
    d.top = best->id;
    d.score = rolled[best->id];
    if (second) {
      d.runner_up = second->id;
      d.runner_up_score = rolled[second->id];
    }
    const TaxonomyNode* at = best;
    int max_level = max_level_.count(dimension) ? max_level_.at(dimension) : 3;
    while (at->level < max_level && !at->children.empty()) {
      const TaxonomyNode* child = nullptr;
      for (const std::string& c : at->children) {
        if (rolled[c] > 0 && (!child || rolled[c] > rolled[child->id])) child = &taxonomy_.node(c);
      }
      if (!child) break;
      at = child;
    }
    d.node = at->id;
  }
  d.margin = d.score - d.runner_up_score;
  for (const RuleHit& h : hits) {
    if (h.rule->dimension != dimension) continue;
    bool on_path = dimension == kRelevance ? h.rule->target == "relevance:" + d.node
                                           : taxonomy_.is_ancestor_or_self(taxonomy_.node(h.rule->target),
                                                                           taxonomy_.node(d.node)) ||
                                                 taxonomy_.is_ancestor_or_self(taxonomy_.node(d.node),
                                                                               taxonomy_.node(h.rule->target));
    if (on_path) d.hits.push_back(h);
  }
  std::stable_sort(d.hits.begin(), d.hits.end(), [](const RuleHit& a, const RuleHit& b) { return a.weight > b.weight; });
  d.confidence = confidence(d);
  return d;
}

Classification RuleClassifier::classify(const IssueFeatures& features) const {
  std::vector<RuleHit> hits = rules_.match(features);
  Classification c;
  c.relevance = decide(kRelevance, hits);
  c.is_failure = c.relevance.node == "failure";
  c.stage = decide("stage", hits);
  c.symptom = decide("symptom", hits);
  const PriorCell* cell = nullptr;
  if (!rules_.given().empty()) {
    // A symptom guessed from nothing says nothing about the cause: then the stage alone.
    std::vector<std::string> path;
    if (!c.symptom.from_prior && !c.symptom.node.empty()) {
      const TaxonomyNode& at = taxonomy_.node(c.symptom.node);
      for (int level = 1; level <= at.level; ++level) path.push_back(taxonomy_.ancestor_at_level(at, level).id);
    }
    cell = rules_.given().find(path, c.stage.node);
  }
  if (cell) {
    std::map<std::string, double> start;
    // A cause's probability goes to its top-level node, which is what competes first; within
    // it each leaf keeps half of its own, enough to pick the usual one when nothing else does.
    const double w = rules_.given().weight;
    for (const auto& [node, p] : cell->p) {
      const TaxonomyNode& n = taxonomy_.node(node);
      start[taxonomy_.ancestor_at_level(n, 1).id] += w * p;
      if (n.level > 1) start[node] += 0.5 * w * p;
    }
    c.root_cause = decide("root_cause", hits, &start);
    c.root_cause.given = cell;
  } else {
    c.root_cause = decide("root_cause", hits);
  }
  c.confidence = std::min({c.stage.confidence, c.symptom.confidence, c.root_cause.confidence});
  return c;
}

}  // namespace firstmile
