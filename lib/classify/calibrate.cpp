// classify/calibrate.cpp — margins against gold labels, binned and made monotone; the routing threshold.
#include "classify/calibrate.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/text.h"
#include "base/text_table.h"
#include "classify/features.h"
#include "store/calibrations.h"
#include "store/label_rows.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;

const char* const kDimensions[] = {"stage", "symptom", "root_cause"};

struct GoldLabel {
  std::string stage, symptom, root_cause;
};

// A labelled issue: its text's features and the first failure's gold labels.
struct LabelledIssue {
  IssueFeatures features;
  GoldLabel gold;
};

// The gold labels of issues with text, first failure of each issue, in issue order.
std::vector<LabelledIssue> labelled_issues(Store& store, const Taxonomy& taxonomy, const std::string& gold) {
  std::map<int64_t, GoldLabel> gold_of;
  for (const LabelRow& row : first_failure_labels(store, taxonomy.id())) {
    if (source_matches(gold, row.source)) gold_of[row.issue_id] = {row.stage, row.symptom, row.root_cause};
  }
  if (gold_of.empty()) {
    throw Error("calibrate: no issues with text labelled by '" + gold + "' under taxonomy " + taxonomy.id() +
                " (import issue text and labels first)");
  }
  std::vector<LabelledIssue> out;
  for (const auto& [id, labels] : gold_of) {
    if (std::optional<IssueText> t = store.issue_text(id))
      out.push_back({extract_features(t->title, t->body, t->comments), labels});
  }
  return out;
}

const TaxonomyNode& top_of(const Taxonomy& t, const std::string& id) { return t.ancestor_at_level(t.node(id), 1); }

// Each decided dimension with a usable gold label, and whether the two agree at the top level.
std::vector<std::pair<const DimensionDecision*, bool>> top_level_outcomes(const Taxonomy& taxonomy,
                                                                          const Classification& c, const GoldLabel& g) {
  const std::pair<const DimensionDecision*, const std::string*> pairs[] = {
      {&c.stage, &g.stage}, {&c.symptom, &g.symptom}, {&c.root_cause, &g.root_cause}};
  std::vector<std::pair<const DimensionDecision*, bool>> out;
  for (const auto& [d, label] : pairs) {
    if (label->empty() || !taxonomy.find(*label) || d->node.empty()) continue;
    out.emplace_back(d, top_of(taxonomy, d->node).id == top_of(taxonomy, *label).id);
  }
  return out;
}

// Pool-adjacent-violators: the closest non-decreasing sequence, weighted by counts.
std::vector<double> monotone(const std::vector<double>& values, const std::vector<int>& counts) {
  std::vector<double> v;
  std::vector<double> w;
  std::vector<size_t> size;
  for (size_t i = 0; i < values.size(); ++i) {
    v.push_back(values[i]);
    w.push_back(counts[i]);
    size.push_back(1);
    while (v.size() > 1 && v[v.size() - 2] > v.back()) {
      double total = w[w.size() - 2] + w.back();
      double merged = total > 0 ? (v[v.size() - 2] * w[w.size() - 2] + v.back() * w.back()) / total : v.back();
      size_t n = size[size.size() - 2] + size.back();
      v.pop_back(), w.pop_back(), size.pop_back();
      v.back() = merged, w.back() = total, size.back() = n;
    }
  }
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) out.insert(out.end(), size[i], v[i]);
  return out;
}

// One dimension's bins over its (margin, top level right) outcomes, sorted by margin; the
// share right over all of them goes to `accuracy`.
Calibration bin_outcomes(const std::string& dimension, const std::vector<std::pair<double, bool>>& o, int bins_asked,
                         double& accuracy) {
  Calibration c;
  c.dimension = dimension;
  size_t bins = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(bins_asked), o.size()));
  std::vector<double> acc;
  int correct_total = 0;
  size_t from = 0;
  for (size_t b = 0; b < bins && from < o.size(); ++b) {
    size_t to = b + 1 == bins ? o.size() : std::max(from + 1, o.size() * (b + 1) / bins);
    // Equal margins stay in one bin, so a margin maps to one accuracy.
    while (to < o.size() && o[to].first == o[to - 1].first) ++to;
    int correct = 0;
    for (size_t i = from; i < to; ++i) correct += o[i].second;
    correct_total += correct;
    c.upper_edges.push_back(o[to - 1].first);
    acc.push_back(static_cast<double>(correct) / static_cast<double>(to - from));
    c.counts.push_back(static_cast<int>(to - from));
    from = to;
  }
  c.upper_edges.back() = kUnbounded;
  c.accuracy = monotone(acc, c.counts);
  accuracy = static_cast<double>(correct_total) / static_cast<double>(o.size());
  return c;
}

// Margin -> accuracy per dimension, classified without calibration.
void learn_bins(const Taxonomy& taxonomy, const RuleSet& rules, const std::vector<LabelledIssue>& issues, int bins,
                CalibrationReport& report) {
  RuleClassifier raw(taxonomy, rules);
  std::map<std::string, std::vector<std::pair<double, bool>>> outcomes;  // per dimension: (margin, top correct)
  for (const LabelledIssue& issue : issues) {
    Classification c = raw.classify(issue.features);
    for (const auto& [d, right] : top_level_outcomes(taxonomy, c, issue.gold))
      outcomes[d->dimension].emplace_back(d->margin, right);
  }
  for (const char* dimension : kDimensions) {
    auto& o = outcomes[dimension];
    if (o.empty()) continue;
    std::sort(o.begin(), o.end());
    double accuracy = 0;
    report.calibrations.push_back(bin_outcomes(dimension, o, bins, accuracy));
    report.accuracy.emplace_back(dimension, accuracy);
  }
}

// The issue confidence under the new calibration, and the threshold that routes at most max_route.
void learn_threshold(const Taxonomy& taxonomy, const RuleSet& rules, const std::vector<LabelledIssue>& issues,
                     double max_route, CalibrationReport& report) {
  RuleClassifier calibrated(taxonomy, rules, report.calibrations);
  std::vector<std::pair<double, double>> confidence_and_accuracy;
  for (const LabelledIssue& issue : issues) {
    Classification c = calibrated.classify(issue.features);
    double right = 0, n = 0;
    for (const auto& [d, agrees] : top_level_outcomes(taxonomy, c, issue.gold)) {
      right += agrees;
      ++n;
    }
    confidence_and_accuracy.emplace_back(c.confidence, n > 0 ? right / n : 0);
  }
  std::sort(confidence_and_accuracy.begin(), confidence_and_accuracy.end());
  const size_t total = confidence_and_accuracy.size();
  size_t budget = static_cast<size_t>(std::floor(max_route * static_cast<double>(total)));
  // Route the `budget` least confident; ties at the cut stay with the rules, so the share never exceeds it.
  report.threshold = budget < total ? confidence_and_accuracy[budget].first : kUnbounded;
  size_t routed = 0;
  double kept_accuracy = 0;
  for (const auto& [conf, accuracy] : confidence_and_accuracy) {
    if (conf < report.threshold)
      ++routed;
    else
      kept_accuracy += accuracy;
  }
  report.routed_share = total == 0 ? 0 : static_cast<double>(routed) / static_cast<double>(total);
  size_t kept = total - routed;
  report.accuracy_kept = kept ? kept_accuracy / static_cast<double>(kept) : 0;
}

void save_calibration(Store& store, const Taxonomy& taxonomy, const RuleSet& rules, const CalibrateOptions& options,
                      CalibrationReport& report) {
  Transaction tx(store.db());
  report.run_id = store.begin_run("calibrate", options.argv, &taxonomy);
  CalibrationRecord record{
      .taxonomy = taxonomy.id(), .gold_source = options.gold, .run_id = report.run_id, .created_at = utc_now_iso8601()};
  for (const Calibration& c : report.calibrations) {
    record.dimension = c.dimension;
    record.model = json{
        {"upper_edges", c.upper_edges},
        {"accuracy", c.accuracy},
        {"counts", c.counts},
        {"rules_hash",
         rules.hash()}}.dump();
    add_calibration(store, record);
  }
  json routing = {{"threshold", report.threshold},
                  {"max_route", options.max_route},
                  {"routed_share", report.routed_share},
                  {"rules_hash", rules.hash()}};
  record.dimension = "routing";
  record.model = routing.dump();
  add_calibration(store, record);
  store.finish_run(report.run_id, "ok", routing.dump());
  tx.commit();
}

}  // namespace

CalibrationReport calibrate(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                            const CalibrateOptions& options) {
  std::vector<LabelledIssue> issues = labelled_issues(store, taxonomy, options.gold);
  CalibrationReport report;
  report.issues = static_cast<int64_t>(issues.size());
  learn_bins(taxonomy, rules, issues, options.bins, report);
  learn_threshold(taxonomy, rules, issues, options.max_route, report);
  save_calibration(store, taxonomy, rules, options, report);
  return report;
}

void print_calibration(const CalibrationReport& r, std::ostream& out) {
  out << "Calibrated on " << r.issues << " labelled issues (run " << r.run_id << ")\n";
  TextTable t({"dimension", "top-level accuracy", "margin bins: accuracy"});
  for (const Calibration& c : r.calibrations) {
    std::string bins;
    for (size_t i = 0; i < c.accuracy.size(); ++i) {
      bins += (i ? ", " : "") + std::string("<=") +
              (c.upper_edges[i] > 1e299 ? "inf" : format_fixed(c.upper_edges[i], 2)) + ": " +
              format_fixed(c.accuracy[i], 2) + " (" + std::to_string(c.counts[i]) + ")";
    }
    double acc = 0;
    for (const auto& [d, a] : r.accuracy) {
      if (d == c.dimension) acc = a;
    }
    t.add_row({c.dimension, format_fixed(acc, 3), bins});
  }
  t.print(out);
  out << "Routing threshold " << format_fixed(r.threshold, 3) << ": hybrid sends " << format_percent(r.routed_share)
      << " of these issues to the LLM; on the rest the rules' mean top-level accuracy is "
      << format_fixed(r.accuracy_kept, 3) << "\n";
}

SavedCalibration load_calibrations(Store& store, const Taxonomy& taxonomy, const RuleSet& rules) {
  SavedCalibration saved;
  std::string rules_hash;
  for (const CalibrationRecord& record : latest_calibrations(store, taxonomy.id())) {
    json model = json::parse(record.model, nullptr, false);
    if (!model.is_object()) continue;
    if (record.dimension == "routing") {
      if (model.contains("threshold")) saved.threshold = model["threshold"].get<double>();
      if (model.contains("rules_hash")) rules_hash = model["rules_hash"].get<std::string>();
      continue;
    }
    Calibration c;
    c.dimension = record.dimension;
    c.upper_edges = model.value("upper_edges", std::vector<double>{});
    c.accuracy = model.value("accuracy", std::vector<double>{});
    c.counts = model.value("counts", std::vector<int>{});
    saved.calibrations.push_back(std::move(c));
  }
  if (!saved.calibrations.empty() && rules_hash != rules.hash()) {
    saved.calibrations.clear();
    saved.threshold = -1;
    saved.stale = true;
  }
  return saved;
}

}  // namespace firstmile
