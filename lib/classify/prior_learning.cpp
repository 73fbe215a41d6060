// classify/prior_learning.cpp — counting, smoothing and writing P(root cause | symptom, stage).
#include "classify/prior_learning.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "labels/source_labels.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

struct Counts {
  int n = 0;
  std::map<std::string, int> by_cause;
};

std::map<std::string, double> smoothed(const Counts& c, const std::map<std::string, double>& parent, double m) {
  std::map<std::string, double> p;
  std::set<std::string> causes;
  for (const auto& [cause, k] : c.by_cause) causes.insert(cause);
  for (const auto& [cause, q] : parent) causes.insert(cause);
  for (const std::string& cause : causes) {
    auto k = c.by_cause.find(cause);
    auto q = parent.find(cause);
    double value = ((k == c.by_cause.end() ? 0 : k->second) + m * (q == parent.end() ? 0 : q->second)) / (c.n + m);
    if (value >= 5e-4) p[cause] = std::round(value * 1000) / 1000;
  }
  return p;
}

using CellKey = std::pair<std::string, std::string>;  // (symptom node or "" for any, stage)

// Counts per (symptom node or "", stage), every symptom ancestor included; failures of issues
// in `excluded` are counted in out.left_out instead.
std::map<CellKey, Counts> count_cells(Store& store, const Taxonomy& taxonomy, const std::set<int64_t>& excluded,
                                      LearntPriors& out) {
  std::map<CellKey, Counts> counts;
  for (const auto& [key, f] : load_source_labels(store, out.gold, direct_resolver(taxonomy))) {
    if (!f.stage || !f.symptom || !f.root_cause || f.is_failure == 0) continue;
    if (excluded.count(key.first)) {
      ++out.left_out;
      continue;
    }
    ++out.labels;
    const std::string& cause = f.root_cause->id;
    std::vector<std::string> cells = {""};
    for (int level = 1; level <= f.symptom->level; ++level)
      cells.push_back(taxonomy.ancestor_at_level(*f.symptom, level).id);
    for (const std::string& s : cells) {
      Counts& c = counts[{s, f.stage->id}];
      ++c.n;
      ++c.by_cause[cause];
    }
  }
  return counts;
}

// Stage cells smoothed towards all labels; symptom cells towards their parent's cell, kept
// when they have at least `min_labels` labels and their parent was kept.
std::map<CellKey, std::map<std::string, double>> smooth_cells(const Taxonomy& taxonomy,
                                                              const std::map<CellKey, Counts>& counts,
                                                              const PriorLearningOptions& options) {
  Counts all;
  for (const auto& [cell, c] : counts) {
    if (!cell.first.empty()) continue;
    all.n += c.n;
    for (const auto& [cause, k] : c.by_cause) all.by_cause[cause] += k;
  }
  std::map<std::string, double> base = smoothed(all, {}, 0);
  std::map<CellKey, std::map<std::string, double>> p;
  for (const TaxonomyNode* stage : taxonomy.top_level("stage")) {
    auto it = counts.find({"", stage->id});
    if (it == counts.end()) continue;
    p[it->first] = smoothed(it->second, base, options.smoothing);
  }
  for (const TaxonomyNode& node : taxonomy.nodes()) {  // parents first
    if (node.dimension != "symptom") continue;
    for (const TaxonomyNode* stage : taxonomy.top_level("stage")) {
      auto it = counts.find({node.id, stage->id});
      if (it == counts.end()) continue;
      auto parent = p.find({node.parent, stage->id});
      if (parent == p.end()) continue;  // the parent was too rare itself: so is the child
      if (it->second.n < options.min_labels) continue;
      p[it->first] = smoothed(it->second, parent->second, options.smoothing);
    }
  }
  return p;
}

}  // namespace

LearntPriors learn_priors(Store& store, const Taxonomy& taxonomy, const PriorLearningOptions& options) {
  if (options.min_labels < 1) throw Error("priors: --min-labels must be at least 1");
  if (options.smoothing < 0) throw Error("priors: --smoothing must be >= 0");
  if (options.weight < 0) throw Error("priors: --weight must be >= 0");
  LearntPriors out;
  out.gold = resolve_source(store, options.gold);
  out.min_labels = options.min_labels;
  out.smoothing = options.smoothing;
  std::set<int64_t> excluded;
  if (!options.except.empty()) {
    out.except = resolve_source(store, options.except);
    if (out.except == out.gold) throw Error("priors: --except names the labelled source itself (" + out.gold + ")");
    for (const auto& [key, f] : load_source_labels(store, out.except, direct_resolver(taxonomy)))
      excluded.insert(key.first);
  }
  std::map<CellKey, Counts> counts = count_cells(store, taxonomy, excluded, out);
  if (out.labels == 0) {
    throw Error("priors: " + out.gold + " has no failure labelled with stage, symptom and root cause" +
                (out.except.empty() ? "" : " outside the issues of " + out.except));
  }
  std::map<CellKey, std::map<std::string, double>> p = smooth_cells(taxonomy, counts, options);

  out.priors.weight = options.weight;
  std::ostringstream from;
  from << out.gold << " (" << out.labels << " labels";
  if (!out.except.empty()) from << "; " << out.left_out << " of the issues of " << out.except << " left out";
  from << ")";
  out.priors.learnt_from = from.str();
  // Cells in taxonomy order: the stage cells, then the symptom nodes.
  for (const TaxonomyNode* stage : taxonomy.top_level("stage")) {
    if (auto it = p.find({"", stage->id}); it != p.end() && counts[it->first].n >= options.min_labels) {
      out.priors.cells.push_back({"", stage->id, counts[it->first].n, it->second});
    }
  }
  for (const TaxonomyNode& node : taxonomy.nodes()) {
    if (node.dimension != "symptom") continue;
    for (const TaxonomyNode* stage : taxonomy.top_level("stage")) {
      if (auto it = p.find({node.id, stage->id}); it != p.end()) {
        out.priors.cells.push_back({node.id, stage->id, counts[it->first].n, it->second});
      }
    }
  }
  return out;
}

std::string priors_file(const LearntPriors& learnt) {
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (const PriorCell& c : learnt.priors.cells) {
    nlohmann::ordered_json p = nlohmann::ordered_json::object();
    for (const auto& [cause, q] : c.p) p[cause] = q;
    cells.push_back({{"symptom", c.symptom}, {"stage", c.stage}, {"labels", c.labels}, {"p", p}});
  }
  std::ostringstream out;
  out << "// Root-cause priors given the decided symptom and stage: P(root cause | symptom, stage)\n"
      << "// counted on " << learnt.priors.learnt_from << ",\n"
      << "// smoothed towards the parent cell (m = " << learnt.smoothing << "), cells with fewer than "
      << learnt.min_labels << " labels left out.\n"
      << "// Written by `firstmile priors`; re-run it rather than editing the numbers by hand.\n"
      << "{\n  \"given\": {\n    \"weight\": " << learnt.priors.weight
      << ",\n    \"learnt_from\": " << json_text(nlohmann::json(learnt.priors.learnt_from)) << ",\n    \"cells\": [\n";
  for (size_t i = 0; i < cells.size(); ++i)
    out << "      " << json_text(cells[i]) << (i + 1 < cells.size() ? ",\n" : "\n");
  out << "    ]\n  }\n}\n";
  return out.str();
}

void print_priors_written(const LearntPriors& learnt, const std::string& path, std::ostream& out) {
  out << "Wrote " << learnt.priors.cells.size() << " cells from " << learnt.priors.learnt_from << " to " << path
      << "\n";
}

}  // namespace firstmile
