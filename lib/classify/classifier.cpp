// classify/classifier.cpp — scores per node, rolled up, decided top-down.
#include "classify/classifier.h"

#include <algorithm>

#include "classify/text_model.h"
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

RuleClassifier::RuleClassifier(const Taxonomy& taxonomy, const RuleSet& rules, std::vector<Calibration> calibrations,
                               std::optional<const TextModel*> model)
    : taxonomy_(taxonomy), rules_(rules), model_(model ? *model : rules.text_model()) {
  for (Calibration& c : calibrations) calibrations_[c.dimension] = std::move(c);
  // As deep as the study labelled: symptoms to level 3, root causes to level 2.
  max_level_ = {{"symptom", 3}, {"root_cause", 2}, {"stage", 1}};

  const auto& nodes = taxonomy_.nodes();
  parent_.assign(nodes.size(), -1);
  children_.assign(nodes.size(), {});
  priors_.assign(nodes.size(), 0.0);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const int index = static_cast<int>(i);
    nodes_of_[nodes[i].dimension].push_back(index);
    if (nodes[i].parent.empty()) {
      top_of_[nodes[i].dimension].push_back(index);
    } else {
      parent_[i] = index_of(nodes[i].parent);
      children_[static_cast<size_t>(parent_[i])].push_back(index);
    }
  }
  for (const auto& [target, score] : rules_.priors()) {
    if (target == "relevance:failure")
      prior_failure_ = score;
    else if (target == "relevance:not_failure")
      prior_not_failure_ = score;
    else
      priors_[static_cast<size_t>(index_of(target))] = score;
  }
  for (const Rule& r : rules_.rules()) rule_target_.push_back(r.dimension == kRelevance ? -1 : index_of(r.target));
  // A cause's probability goes to its top-level node, which is what competes first; within it
  // each leaf keeps half of its own, enough to pick the usual one when nothing else does.
  const double w = rules_.given().weight;
  for (const PriorCell& cell : rules_.given().cells) {
    std::vector<double> start(nodes.size(), 0.0);
    for (const auto& [node, p] : cell.p) {
      int at = index_of(node), top = at;
      while (parent_[static_cast<size_t>(top)] >= 0) top = parent_[static_cast<size_t>(top)];
      start[static_cast<size_t>(top)] += w * p;
      if (top != at) start[static_cast<size_t>(at)] += 0.5 * w * p;
    }
    given_start_.push_back(std::move(start));
  }
}

int RuleClassifier::index_of(const std::string& id) const {
  const TaxonomyNode* n = taxonomy_.find(id);
  return n ? static_cast<int>(n - taxonomy_.nodes().data()) : -1;
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

size_t RuleClassifier::rule_index(const RuleHit& hit) const {
  return static_cast<size_t>(hit.rule - rules_.rules().data());
}

void RuleClassifier::decide_relevance(const std::vector<RuleHit>& hits, DimensionDecision& d) const {
  double yes = prior_failure_, no = prior_not_failure_;
  for (const RuleHit& h : hits) {
    if (h.rule->dimension != kRelevance) continue;
    (h.rule->target == "relevance:failure" ? yes : no) += h.weight;
  }
  d.node = d.top = yes >= no ? "failure" : "not_failure";
  d.runner_up = yes >= no ? "not_failure" : "failure";
  d.score = std::max(yes, no);
  d.runner_up_score = std::min(yes, no);
  for (const RuleHit& h : hits) {
    if (h.rule->dimension == kRelevance && h.rule->target == "relevance:" + d.node) d.hits.push_back(h);
  }
}

std::map<std::string, std::vector<double>> RuleClassifier::model_scores(const IssueFeatures& features,
                                                                        const std::vector<RuleHit>& hits) const {
  std::map<std::string, std::vector<double>> out;
  if (!model_) return out;
  std::vector<std::string> rule_ids;
  for (const RuleHit& h : hits) rule_ids.push_back(h.rule->id);
  const std::vector<std::string> tokens = model_tokens(features, rule_ids);
  for (const char* dimension : {"stage", "symptom", "root_cause"}) {
    std::vector<std::pair<std::string, double>> p = model_->posterior(dimension, tokens);
    if (p.empty()) continue;
    std::vector<double>& scores = out[dimension];
    scores.assign(taxonomy_.nodes().size(), 0.0);
    for (const auto& [node, q] : p) {
      if (int i = index_of(node); i >= 0) scores[static_cast<size_t>(i)] = model_->options().weight * q;
    }
  }
  return out;
}

std::vector<double> RuleClassifier::rolled_scores(const std::vector<RuleHit>& hits, const std::vector<double>* start,
                                                  const std::vector<double>* extra, const std::string& dimension,
                                                  const std::vector<int>& nodes) const {
  std::vector<double> own = start ? *start : priors_;
  if (extra) {
    for (size_t i = 0; i < own.size(); ++i) own[i] += (*extra)[i];
  }
  for (const RuleHit& h : hits) {
    if (h.rule->dimension == dimension) own[static_cast<size_t>(rule_target_[rule_index(h)])] += h.weight;
  }
  // A node's own evidence plus its best child's. Children are competing explanations of one
  // failure (a report is out of memory or a dtype mismatch), so their evidence does not add
  // up; evidence for the node itself does. Nodes come parents first, so a reverse walk
  // finishes every child before its parent.
  std::vector<double> rolled(own.size(), 0.0), best_child(own.size(), 0.0);
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    const auto i = static_cast<size_t>(*it);
    rolled[i] = own[i] + best_child[i];
    if (parent_[i] >= 0)
      best_child[static_cast<size_t>(parent_[i])] = std::max(best_child[static_cast<size_t>(parent_[i])], rolled[i]);
  }
  return rolled;
}

int RuleClassifier::descend(int top, const std::vector<double>& rolled, int max_level) const {
  const auto& nodes = taxonomy_.nodes();
  int at = top;
  while (nodes[static_cast<size_t>(at)].level < max_level) {
    int child = -1;
    for (int c : children_[static_cast<size_t>(at)]) {
      if (rolled[static_cast<size_t>(c)] > 0 &&
          (child < 0 || rolled[static_cast<size_t>(c)] > rolled[static_cast<size_t>(child)]))
        child = c;
    }
    if (child < 0) break;
    at = child;
  }
  return at;
}

bool RuleClassifier::decide_in_taxonomy(const std::vector<RuleHit>& hits, const std::vector<double>* start,
                                        const std::vector<double>* extra, DimensionDecision& d) const {
  auto dimension_nodes = nodes_of_.find(d.dimension);
  if (dimension_nodes == nodes_of_.end()) return false;
  std::vector<double> rolled = rolled_scores(hits, start, extra, d.dimension, dimension_nodes->second);
  int best = -1, second = -1;
  for (int n : top_of_.at(d.dimension)) {
    if (best < 0 || rolled[static_cast<size_t>(n)] > rolled[static_cast<size_t>(best)]) {
      second = best;
      best = n;
    } else if (second < 0 || rolled[static_cast<size_t>(n)] > rolled[static_cast<size_t>(second)]) {
      second = n;
    }
  }
  const auto& nodes = taxonomy_.nodes();
  d.top = nodes[static_cast<size_t>(best)].id;
  d.score = rolled[static_cast<size_t>(best)];
  if (second >= 0) {
    d.runner_up = nodes[static_cast<size_t>(second)].id;
    d.runner_up_score = rolled[static_cast<size_t>(second)];
  }
  int at = descend(best, rolled, max_level_.count(d.dimension) ? max_level_.at(d.dimension) : 3);
  d.node = nodes[static_cast<size_t>(at)].id;
  if (extra && model_->options().weight > 0) d.model_p = (*extra)[static_cast<size_t>(best)] / model_->options().weight;
  // The hits on the chosen path: on the node, one of its ancestors, or one of its descendants.
  auto ancestor_or_self = [&](int ancestor, int node) {
    for (; node >= 0; node = parent_[static_cast<size_t>(node)]) {
      if (node == ancestor) return true;
    }
    return false;
  };
  for (const RuleHit& h : hits) {
    if (h.rule->dimension != d.dimension) continue;
    int target = rule_target_[rule_index(h)];
    if (ancestor_or_self(target, at) || ancestor_or_self(at, target)) d.hits.push_back(h);
  }
  return true;
}

DimensionDecision RuleClassifier::decide(const std::string& dimension, const std::vector<RuleHit>& hits,
                                         const std::vector<double>* start, const std::vector<double>* extra) const {
  DimensionDecision d;
  d.dimension = dimension;
  bool any = false;
  for (const RuleHit& h : hits) any = any || h.rule->dimension == dimension;
  d.from_prior = !any;
  if (dimension == kRelevance) {
    decide_relevance(hits, d);
  } else if (!decide_in_taxonomy(hits, start, extra, d)) {
    return d;  // the taxonomy has no such dimension: nothing decided
  }
  d.margin = d.score - d.runner_up_score;
  std::stable_sort(d.hits.begin(), d.hits.end(),
                   [](const RuleHit& a, const RuleHit& b) { return a.weight > b.weight; });
  d.confidence = confidence(d);
  return d;
}

Classification RuleClassifier::classify(const IssueFeatures& features) const {
  std::vector<RuleHit> hits = rules_.match(features);
  const std::map<std::string, std::vector<double>> model = model_scores(features, hits);
  auto extra = [&model](const char* dimension) -> const std::vector<double>* {
    auto it = model.find(dimension);
    return it == model.end() ? nullptr : &it->second;
  };
  Classification c;
  c.relevance = decide(kRelevance, hits);
  c.is_failure = c.relevance.node == "failure";
  c.stage = decide("stage", hits, nullptr, extra("stage"));
  c.symptom = decide("symptom", hits, nullptr, extra("symptom"));
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
    c.root_cause = decide("root_cause", hits, &given_start_[static_cast<size_t>(cell - rules_.given().cells.data())],
                          extra("root_cause"));
    c.root_cause.given = cell;
  } else {
    c.root_cause = decide("root_cause", hits, nullptr, extra("root_cause"));
  }
  c.confidence = std::min({c.stage.confidence, c.symptom.confidence, c.root_cause.confidence});
  // The evidence's hits show the line they matched in; only these, of all hits, need it.
  for (DimensionDecision* d : {&c.relevance, &c.stage, &c.symptom, &c.root_cause}) {
    for (RuleHit& h : d->hits) h.line = hit_line(h, features);
  }
  return c;
}

}  // namespace firstmile
