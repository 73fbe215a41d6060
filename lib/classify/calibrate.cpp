// classify/calibrate.cpp — margins against gold labels, binned and made monotone; the routing threshold.
#include "classify/calibrate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/content_hash.h"
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

// A labelled issue: its text's features, the first failure's gold labels, and the group a fold
// keeps together (its repository, or its link).
struct LabelledIssue {
  IssueFeatures features;
  GoldLabel gold;
  std::string group;
};

// The gold labels of issues with text, first failure of each issue, in issue order.
std::vector<LabelledIssue> labelled_issues(Store& store, const Taxonomy& taxonomy, const std::string& gold,
                                           const std::string& group_by) {
  std::map<int64_t, std::pair<GoldLabel, std::string>> gold_of;
  for (const LabelRow& row : first_failure_labels(store, taxonomy.id())) {
    if (!source_matches(gold, row.source)) continue;
    std::string group = row.repository;
    if (group_by == "issue") group = row.url.empty() ? row.repository + "#" + std::to_string(row.number) : row.url;
    gold_of[row.issue_id] = {{row.stage, row.symptom, row.root_cause}, group};
  }
  if (gold_of.empty()) {
    throw Error("calibrate: no issues with text labelled by '" + gold + "' under taxonomy " + taxonomy.id() +
                " (import issue text and labels first)");
  }
  std::vector<LabelledIssue> out;
  for (const auto& [id, labels] : gold_of) {
    if (std::optional<IssueText> t = store.issue_text(id))
      out.push_back({extract_features(t->title, t->body, t->comments), labels.first, labels.second});
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

// Each issue's (dimension, (margin, top level right)), classified without calibration.
using Outcomes = std::vector<std::pair<std::string, std::pair<double, bool>>>;

std::vector<Outcomes> raw_outcomes(const Taxonomy& taxonomy, const RuleSet& rules,
                                   const std::vector<LabelledIssue>& issues) {
  RuleClassifier raw(taxonomy, rules);
  std::vector<Outcomes> out;
  for (const LabelledIssue& issue : issues) {
    Classification c = raw.classify(issue.features);
    Outcomes o;
    for (const auto& [d, right] : top_level_outcomes(taxonomy, c, issue.gold))
      o.push_back({d->dimension, {d->margin, right}});
    out.push_back(std::move(o));
  }
  return out;
}

struct LearntBins {
  std::vector<Calibration> calibrations;
  std::vector<std::pair<std::string, double>> accuracy;  // top-level accuracy per dimension
};

// Margin -> accuracy per dimension, learnt on the issues `use`.
LearntBins learn_bins(const std::vector<Outcomes>& outcomes, const std::vector<size_t>& use, int bins) {
  std::map<std::string, std::vector<std::pair<double, bool>>> by_dimension;
  for (size_t i : use) {
    for (const auto& [dimension, o] : outcomes[i]) by_dimension[dimension].push_back(o);
  }
  LearntBins out;
  for (const char* dimension : kDimensions) {
    auto& o = by_dimension[dimension];
    if (o.empty()) continue;
    std::sort(o.begin(), o.end());
    double accuracy = 0;
    out.calibrations.push_back(bin_outcomes(dimension, o, bins, accuracy));
    out.accuracy.emplace_back(dimension, accuracy);
  }
  return out;
}

// One issue classified with a calibration: its confidence, the share of its dimensions right at
// the top level, its least confident dimension (the one routing would send it for), and each
// dimension's confidence and outcome.
struct Scored {
  double confidence = 0, accuracy = 0;
  std::string least;
  std::vector<std::tuple<std::string, double, bool>> dimensions;
};

Scored score(const RuleClassifier& classifier, const Taxonomy& taxonomy, const LabelledIssue& issue) {
  Classification c = classifier.classify(issue.features);
  Scored s;
  s.confidence = c.confidence;
  s.least = c.least_confident().dimension;
  double right = 0;
  for (const auto& [d, agrees] : top_level_outcomes(taxonomy, c, issue.gold)) {
    right += agrees;
    s.dimensions.emplace_back(d->dimension, d->confidence, agrees);
  }
  s.accuracy = s.dimensions.empty() ? 0 : right / static_cast<double>(s.dimensions.size());
  return s;
}

// The threshold that routes at most max_route of the scored issues, and what it leaves.
void choose_threshold(std::vector<Scored> scored, double max_route, CalibrationReport& report) {
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& a, const Scored& b) { return a.confidence < b.confidence; });
  const size_t total = scored.size();
  size_t budget = static_cast<size_t>(std::floor(max_route * static_cast<double>(total)));
  // Route the `budget` least confident; ties at the cut stay with the rules, so the share never exceeds it.
  report.threshold = budget < total ? scored[budget].confidence : kUnbounded;
  size_t routed = 0;
  double kept_accuracy = 0;
  std::map<std::string, int64_t> by_dimension;
  for (const Scored& s : scored) {
    if (s.confidence < report.threshold) {
      ++routed;
      ++by_dimension[s.least];
    } else {
      kept_accuracy += s.accuracy;
    }
  }
  report.routed_share = total == 0 ? 0 : static_cast<double>(routed) / static_cast<double>(total);
  size_t kept = total - routed;
  report.accuracy_kept = kept ? kept_accuracy / static_cast<double>(kept) : 0;
  for (const char* d : kDimensions) {
    if (by_dimension.count(d)) report.routed_by_dimension.emplace_back(d, by_dimension[d]);
  }
}

// The fold of each issue. By issue: a hash of its link, so an issue keeps its fold whatever else
// is labelled. By repository: the largest first, each to the fold with the fewest issues yet.
std::vector<int> assign_folds(const std::vector<LabelledIssue>& issues, int k, const std::string& group_by,
                              int64_t& groups) {
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < issues.size(); ++i) members[issues[i].group].push_back(i);
  groups = static_cast<int64_t>(members.size());
  if (groups < k) {
    throw Error("calibrate --folds " + std::to_string(k) + ": the labelled issues come from only " +
                std::to_string(groups) + (group_by == "issue" ? " issue" : " repositor") +
                (group_by == "issue" ? (groups == 1 ? "" : "s") : (groups == 1 ? "y" : "ies")) + "; use fewer folds" +
                (group_by == "issue" ? "" : " or --group issue"));
  }
  std::vector<int> fold(issues.size(), 0);
  if (group_by == "issue") {
    for (const auto& [link, ids] : members) {
      int f = static_cast<int>(std::stoull(git_blob_hash(link).substr(0, 8), nullptr, 16) % static_cast<uint64_t>(k));
      for (size_t i : ids) fold[i] = f;
    }
    return fold;
  }
  std::vector<const std::pair<const std::string, std::vector<size_t>>*> order;
  for (const auto& m : members) order.push_back(&m);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->second.size() > b->second.size(); });
  std::vector<size_t> size(static_cast<size_t>(k), 0);
  for (const auto* m : order) {
    size_t f = static_cast<size_t>(std::min_element(size.begin(), size.end()) - size.begin());
    for (size_t i : m->second) fold[i] = static_cast<int>(f);
    size[f] += m->second.size();
  }
  return fold;
}

void summarise_folds(const std::map<std::string, std::vector<std::pair<int64_t, int64_t>>>& per_fold,
                     std::map<std::string, FoldScores>& pooled, CrossValidation& cv) {
  for (const char* d : kDimensions) {
    auto it = pooled.find(d);
    if (it == pooled.end() || it->second.n == 0) continue;
    FoldScores s = it->second;
    s.dimension = d;
    for (const auto& [right, n] : per_fold.at(d)) {
      if (n > 0) s.accuracy.push_back(static_cast<double>(right) / static_cast<double>(n));
    }
    s.held_out /= static_cast<double>(s.n);
    s.promised /= static_cast<double>(s.n);
    double sum = 0, squares = 0;
    for (double a : s.accuracy) sum += a;
    s.mean = sum / static_cast<double>(s.accuracy.size());
    for (double a : s.accuracy) squares += (a - s.mean) * (a - s.mean);
    s.sd = s.accuracy.size() > 1 ? std::sqrt(squares / static_cast<double>(s.accuracy.size() - 1)) : 0;
    cv.dimensions.push_back(std::move(s));
  }
}

// Each fold scored with bins learnt on the others; `held_out` gets every issue's held-out score.
CrossValidation cross_validate(const Taxonomy& taxonomy, const RuleSet& rules, const std::vector<LabelledIssue>& issues,
                               const std::vector<Outcomes>& outcomes, const CalibrateOptions& options,
                               std::vector<Scored>& held_out) {
  const int k = options.folds;
  CrossValidation cv;
  cv.folds = k;
  cv.group_by = options.group_by;
  std::vector<int> fold = assign_folds(issues, k, options.group_by, cv.groups);
  cv.fold_sizes.assign(static_cast<size_t>(k), 0);
  held_out.assign(issues.size(), Scored{});
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> per_fold;  // dimension: (right, n) per fold
  std::map<std::string, FoldScores> pooled;
  for (const char* d : kDimensions) per_fold[d].assign(static_cast<size_t>(k), {0, 0});
  for (int f = 0; f < k; ++f) {
    std::vector<size_t> train, test;
    for (size_t i = 0; i < issues.size(); ++i) (fold[i] == f ? test : train).push_back(i);
    cv.fold_sizes[static_cast<size_t>(f)] = static_cast<int64_t>(test.size());
    if (test.empty()) continue;
    RuleClassifier classifier(taxonomy, rules, learn_bins(outcomes, train, options.bins).calibrations);
    for (size_t i : test) {
      held_out[i] = score(classifier, taxonomy, issues[i]);
      for (const auto& [d, confidence, right] : held_out[i].dimensions) {
        auto& [fold_right, fold_n] = per_fold[d][static_cast<size_t>(f)];
        fold_right += right;
        ++fold_n;
        FoldScores& p = pooled[d];
        p.held_out += right;
        p.promised += std::min(confidence, 1.0);
        ++p.n;
      }
    }
  }
  summarise_folds(per_fold, pooled, cv);
  return cv;
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
  json summary = routing;
  if (const auto& cv = report.cross_validation) {
    routing["folds"] = cv->folds;
    routing["group_by"] = cv->group_by;
    summary = routing;
    json dimensions = json::object();
    for (const FoldScores& d : cv->dimensions) {
      dimensions[d.dimension] = {{"held_out_accuracy", d.held_out},
                                 {"fold_accuracy", d.accuracy},
                                 {"mean", d.mean},
                                 {"sd", d.sd},
                                 {"promised", d.promised},
                                 {"n", d.n}};
    }
    summary["cross_validation"] = {{"fold_sizes", cv->fold_sizes}, {"dimensions", dimensions}};
  }
  record.dimension = "routing";
  record.model = routing.dump();
  add_calibration(store, record);
  store.finish_run(report.run_id, "ok", summary.dump());
  tx.commit();
}

}  // namespace

CalibrationReport calibrate(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                            const CalibrateOptions& options) {
  if (options.folds < 0 || options.folds == 1) throw Error("calibrate: --folds must be 0 (none) or at least 2");
  if (options.group_by != "repository" && options.group_by != "issue")
    throw Error("calibrate: --group must be 'repository' or 'issue', not '" + options.group_by + "'");
  std::vector<LabelledIssue> issues = labelled_issues(store, taxonomy, options.gold, options.group_by);
  CalibrationReport report;
  report.issues = static_cast<int64_t>(issues.size());
  std::vector<Outcomes> outcomes = raw_outcomes(taxonomy, rules, issues);
  std::vector<size_t> all(issues.size());
  std::iota(all.begin(), all.end(), size_t{0});
  LearntBins bins = learn_bins(outcomes, all, options.bins);
  report.calibrations = std::move(bins.calibrations);
  report.accuracy = std::move(bins.accuracy);
  std::vector<Scored> scored;
  if (options.folds >= 2) {
    // The threshold from held-out confidences: bins learnt on the very issues they score
    // promise more than they keep.
    report.cross_validation = cross_validate(taxonomy, rules, issues, outcomes, options, scored);
  } else {
    RuleClassifier calibrated(taxonomy, rules, report.calibrations);
    for (const LabelledIssue& issue : issues) scored.push_back(score(calibrated, taxonomy, issue));
  }
  choose_threshold(std::move(scored), options.max_route, report);
  save_calibration(store, taxonomy, rules, options, report);
  return report;
}

namespace {

void print_cross_validation(const CrossValidation& cv, std::ostream& out) {
  out << "Cross-validated over " << cv.folds << " folds grouped by " << cv.group_by << " (" << cv.groups
      << (cv.group_by == "issue" ? " issues" : " repositories") << "; folds of ";
  for (size_t i = 0; i < cv.fold_sizes.size(); ++i) out << (i ? ", " : "") << cv.fold_sizes[i];
  out << " issues), each fold scored with bins learnt on the others:\n";
  TextTable t({"dimension", "held-out accuracy", "by fold: mean ± sd (min-max)", "confidence promised", "n"});
  for (size_t c = 1; c < 5; ++c) t.align_right(c);
  for (const FoldScores& d : cv.dimensions) {
    auto [low, high] = std::minmax_element(d.accuracy.begin(), d.accuracy.end());
    t.add_row({d.dimension, format_fixed(d.held_out, 3),
               format_fixed(d.mean, 3) + " ± " + format_fixed(d.sd, 3) + " (" + format_fixed(*low, 2) + "-" +
                   format_fixed(*high, 2) + ")",
               format_fixed(d.promised, 3), std::to_string(d.n)});
  }
  t.print(out);
}

}  // namespace

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
  if (r.cross_validation) print_cross_validation(*r.cross_validation, out);
  out << "Routing threshold " << format_fixed(r.threshold, 3)
      << (r.cross_validation ? " (chosen on held-out confidences)" : "") << ": hybrid sends "
      << format_percent(r.routed_share) << " of these issues to the LLM";
  for (size_t i = 0; i < r.routed_by_dimension.size(); ++i) {
    out << (i ? ", " : " (") << r.routed_by_dimension[i].second << " for " << r.routed_by_dimension[i].first
        << (i + 1 == r.routed_by_dimension.size() ? ")" : "");
  }
  out << "; on the rest the rules' mean top-level accuracy is " << format_fixed(r.accuracy_kept, 3)
      << (r.cross_validation ? " (held-out)" : "") << "\n";
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
