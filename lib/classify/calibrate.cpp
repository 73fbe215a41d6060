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
#include "base/json_file.h"
#include "base/text.h"
#include "base/text_table.h"
#include "classify/features.h"
#include "classify/labelled_issues.h"
#include "classify/routing.h"
#include "classify/text_model.h"
#include "stats/agreement.h"
#include "store/calibrations.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;

const char* const kDimensions[] = {"stage", "symptom", "root_cause"};

const TaxonomyNode& top_of(const Taxonomy& t, const std::string& id) { return t.ancestor_at_level(t.node(id), 1); }

// One decided dimension against its gold label, at the top level.
struct TopLevelOutcome {
  const DimensionDecision* decision = nullptr;
  std::string predicted, gold;  // top-level node ids
  bool right() const { return predicted == gold; }
};

// Each decided dimension with a usable gold label.
std::vector<TopLevelOutcome> top_level_outcomes(const Taxonomy& taxonomy, const Classification& c, const GoldLabel& g) {
  const std::pair<const DimensionDecision*, const std::string*> pairs[] = {
      {&c.stage, &g.stage}, {&c.symptom, &g.symptom}, {&c.root_cause, &g.root_cause}};
  std::vector<TopLevelOutcome> out;
  for (const auto& [d, label] : pairs) {
    if (label->empty() || !taxonomy.find(*label) || d->node.empty()) continue;
    out.push_back({d, top_of(taxonomy, d->node).id, top_of(taxonomy, *label).id});
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

Outcomes raw_outcome(const RuleClassifier& raw, const Taxonomy& taxonomy, const LabelledIssue& issue) {
  Classification c = raw.classify(issue.features);
  Outcomes o;
  for (const TopLevelOutcome& t : top_level_outcomes(taxonomy, c, issue.gold))
    o.push_back({t.decision->dimension, {t.decision->margin, t.right()}});
  return o;
}

std::vector<Outcomes> raw_outcomes(const Taxonomy& taxonomy, const RuleSet& rules,
                                   const std::vector<LabelledIssue>& issues) {
  RuleClassifier raw(taxonomy, rules);
  std::vector<Outcomes> out;
  for (const LabelledIssue& issue : issues) out.push_back(raw_outcome(raw, taxonomy, issue));
  return out;
}

// The rules' text model retrained on the examples whose fold is none of `left_out`; none when
// no labelled example is left.
std::optional<TextModel> model_without(const std::vector<TrainingExample>& examples, const std::vector<int>& fold,
                                       std::initializer_list<int> left_out, const Taxonomy& taxonomy,
                                       const TextModelOptions& options) {
  std::vector<TrainingExample> train;
  for (size_t i = 0; i < examples.size(); ++i) {
    if (std::find(left_out.begin(), left_out.end(), fold[i]) == left_out.end() && !examples[i].labels.empty())
      train.push_back(examples[i]);
  }
  if (train.empty()) return std::nullopt;
  return TextModel::train(train, taxonomy, options);
}

// A classifier with the retrained model, or with none when there was nothing to train on.
RuleClassifier with_model(const Taxonomy& taxonomy, const RuleSet& rules, std::vector<Calibration> calibrations,
                          const std::optional<TextModel>& model) {
  return RuleClassifier(taxonomy, rules, std::move(calibrations), model ? &*model : nullptr);
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
  struct Outcome {
    std::string dimension, predicted, gold;  // top-level nodes
    double confidence = 0;
    bool right() const { return predicted == gold; }
  };
  std::vector<Outcome> dimensions;
  RouteGain gain;
};

Scored score(const RuleClassifier& classifier, const Taxonomy& taxonomy, const LabelledIssue& issue,
             const LlmAccuracy& llm) {
  Classification c = classifier.classify(issue.features);
  Scored s;
  s.confidence = c.confidence;
  s.gain = route_gain(c, llm);
  s.least = c.least_confident().dimension;
  double right = 0;
  for (TopLevelOutcome& t : top_level_outcomes(taxonomy, c, issue.gold)) {
    right += t.right();
    s.dimensions.push_back({t.decision->dimension, std::move(t.predicted), std::move(t.gold), t.decision->confidence});
  }
  s.accuracy = s.dimensions.empty() ? 0 : right / static_cast<double>(s.dimensions.size());
  return s;
}

// What routing by expected gain would do with the scored issues: the largest gains, at most
// max_route of them; the rules' accuracy on the rest, and each dimension's expected accuracy
// if the LLM is as accurate as `llm` says on the dimensions it is asked for.
void route_by_gain(const std::vector<Scored>& scored, double max_route, const LlmAccuracy& llm,
                   CalibrationReport& report) {
  if (llm.empty() || scored.empty()) return;
  report.llm_accuracy = llm;
  std::vector<double> gains;
  for (const Scored& s : scored) gains.push_back(s.gain.total);
  const auto allowed = static_cast<size_t>(std::floor(max_route * static_cast<double>(scored.size())));
  std::vector<size_t> routed = pick_routes(gains, allowed);
  std::vector<bool> is_routed(scored.size(), false);
  std::map<std::string, int64_t> by_dimension;
  for (size_t i : routed) {
    is_routed[i] = true;
    ++by_dimension[scored[i].gain.dimensions.front()];
  }
  std::map<std::string, std::pair<double, int64_t>> expected;  // dimension: (sum, n)
  double kept = 0;
  for (size_t i = 0; i < scored.size(); ++i) {
    const Scored& s = scored[i];
    if (!is_routed[i]) kept += s.accuracy;
    for (const Scored::Outcome& o : s.dimensions) {
      const auto& dims = s.gain.dimensions;
      bool asked = is_routed[i] && std::find(dims.begin(), dims.end(), o.dimension) != dims.end();
      auto& [sum, n] = expected[o.dimension];
      sum += asked ? llm.at(o.dimension) : o.right();
      ++n;
    }
  }
  report.gain_routed_share = static_cast<double>(routed.size()) / static_cast<double>(scored.size());
  const size_t rest = scored.size() - routed.size();
  report.gain_accuracy_kept = rest ? kept / static_cast<double>(rest) : 0;
  for (const char* d : kDimensions) {
    if (by_dimension.count(d)) report.gain_routed_by_dimension.emplace_back(d, by_dimension[d]);
    if (expected.count(d))
      report.expected_accuracy.emplace_back(d, expected[d].first / static_cast<double>(expected[d].second));
  }
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
// With a text model (`examples` not empty) each fold is scored with a model retrained without
// it, and its bins are learnt on outcomes that are held out too: each other fold's, classified
// with a model that saw neither it nor the fold being scored.
CrossValidation cross_validate(const Taxonomy& taxonomy, const RuleSet& rules, const std::vector<LabelledIssue>& issues,
                               const std::vector<Outcomes>& outcomes, const std::vector<int>& fold, int64_t groups,
                               const std::vector<TrainingExample>& examples, const CalibrateOptions& options,
                               std::vector<Scored>& held_out) {
  const int k = options.folds;
  CrossValidation cv;
  cv.folds = k;
  cv.group_by = options.group_by;
  cv.groups = groups;
  cv.text_model = !examples.empty();
  cv.fold_sizes.assign(static_cast<size_t>(k), 0);
  held_out.assign(issues.size(), Scored{});
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> per_fold;  // dimension: (right, n) per fold
  std::map<std::string, FoldScores> pooled;
  std::map<std::pair<std::string, std::string>, ClassScores> class_scores;  // (dimension, top-level node)
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> held_out_labels;  // gold, predicted
  for (const char* d : kDimensions) per_fold[d].assign(static_cast<size_t>(k), {0, 0});
  for (int f = 0; f < k; ++f) {
    std::vector<size_t> train, test;
    for (size_t i = 0; i < issues.size(); ++i) (fold[i] == f ? test : train).push_back(i);
    cv.fold_sizes[static_cast<size_t>(f)] = static_cast<int64_t>(test.size());
    if (test.empty()) continue;
    std::optional<TextModel> model;
    LearntBins bins;
    if (examples.empty()) {
      bins = learn_bins(outcomes, train, options.bins);
    } else {
      const TextModelOptions& o = rules.text_model()->options();
      std::vector<Outcomes> inner(issues.size());
      for (int g = 0; g < k; ++g) {
        if (g == f) continue;
        std::optional<TextModel> m = model_without(examples, fold, {f, g}, taxonomy, o);
        RuleClassifier raw = with_model(taxonomy, rules, {}, m);
        for (size_t i : train) {
          if (fold[i] == g) inner[i] = raw_outcome(raw, taxonomy, issues[i]);
        }
      }
      bins = learn_bins(inner, train, options.bins);
      model = model_without(examples, fold, {f}, taxonomy, o);
    }
    // Without examples the rules have no model, and `model` is empty: no model either way.
    RuleClassifier classifier = with_model(taxonomy, rules, bins.calibrations, model);
    for (size_t i : test) {
      held_out[i] = score(classifier, taxonomy, issues[i], rules.llm_accuracy());
      for (const Scored::Outcome& o : held_out[i].dimensions) {
        const std::string& d = o.dimension;
        const bool right = o.right();
        const double confidence = o.confidence;
        held_out_labels[d].first.push_back(o.gold);
        held_out_labels[d].second.push_back(o.predicted);
        ++class_scores[{d, o.gold}].gold;
        ++class_scores[{d, o.predicted}].predicted;
        class_scores[{d, o.gold}].right += right;
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
  for (FoldScores& d : cv.dimensions) {
    const auto& [gold, predicted] = held_out_labels[d.dimension];
    stats::Kappa agreement = stats::cohens_kappa_from_labels(gold, predicted);
    d.kappa = agreement.ok ? agreement.kappa : 1.0;  // one category only: agreement is all there is
  }
  for (auto& [key, c] : class_scores) {
    c.dimension = key.first;
    c.node = key.second;
    cv.classes.push_back(c);
  }
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
    record.model = json_text(json{
        {"upper_edges", c.upper_edges},
        {"accuracy", c.accuracy},
        {"counts", c.counts},
        {"rules_hash",
         rules.hash()}});
    add_calibration(store, record);
  }
  json routing = {{"threshold", report.threshold},
                  {"max_route", options.max_route},
                  {"routed_share", report.routed_share},
                  {"rules_hash", rules.hash()}};
  if (!report.text_model.empty()) routing["text_model"] = report.text_model;
  if (!report.llm_accuracy.empty()) {
    routing["by_gain"] = {{"llm_accuracy", report.llm_accuracy},
                          {"routed_share", report.gain_routed_share},
                          {"accuracy_kept", report.gain_accuracy_kept}};
    json expected = json::object();
    for (const auto& [d, a] : report.expected_accuracy) expected[d] = a;
    routing["by_gain"]["expected_accuracy"] = expected;
  }
  json summary = routing;
  if (const auto& cv = report.cross_validation) {
    routing["folds"] = cv->folds;
    routing["group_by"] = cv->group_by;
    summary = routing;
    json dimensions = json::object();
    for (const FoldScores& d : cv->dimensions) {
      dimensions[d.dimension] = {{"held_out_accuracy", d.held_out},
                                 {"held_out_kappa", d.kappa},
                                 {"fold_accuracy", d.accuracy},
                                 {"mean", d.mean},
                                 {"sd", d.sd},
                                 {"promised", d.promised},
                                 {"n", d.n}};
    }
    json classes = json::array();
    for (const ClassScores& k : cv->classes) {
      classes.push_back({{"dimension", k.dimension},
                         {"class", k.node},
                         {"labelled", k.gold},
                         {"predicted", k.predicted},
                         {"right", k.right}});
    }
    summary["cross_validation"] = {
        {"fold_sizes", cv->fold_sizes}, {"dimensions", dimensions}, {"classes", classes}};
  }
  record.dimension = "routing";
  record.model = json_text(routing);
  add_calibration(store, record);
  store.finish_run(report.run_id, "ok", json_text(summary));
  tx.commit();
}

}  // namespace

CalibrationReport calibrate(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                            const CalibrateOptions& options) {
  if (options.folds < 0 || options.folds == 1) throw Error("calibrate: --folds must be 0 (none) or at least 2");
  if (options.group_by != "repository" && options.group_by != "issue")
    throw Error("calibrate: --group must be 'repository' or 'issue', not '" + options.group_by + "'");
  std::vector<LabelledIssue> issues =
      labelled_issues(store, taxonomy, {.gold = options.gold, .group_by = options.group_by}, "calibrate");
  CalibrationReport report;
  report.issues = static_cast<int64_t>(issues.size());
  std::vector<int> fold;
  int64_t groups = 0;
  if (options.folds >= 2) fold = assign_folds(issues, options.folds, options.group_by, groups);
  const TextModel* model = rules.text_model();
  if (model) report.text_model = model->learnt_from();
  std::vector<TrainingExample> examples;
  std::vector<Outcomes> outcomes;
  if (model && options.folds >= 2) {
    if (options.folds < 3) {
      throw Error("calibrate --folds 2: the rules have a text model, and each fold's bins need one trained "
                  "without two folds; use --folds 3 or more");
    }
    // Margins as on reports the model has not seen: each fold's with a model trained on the others.
    for (const LabelledIssue& issue : issues) examples.push_back(training_example(issue, rules, taxonomy));
    outcomes.resize(issues.size());
    for (int g = 0; g < options.folds; ++g) {
      std::optional<TextModel> m = model_without(examples, fold, {g}, taxonomy, model->options());
      RuleClassifier raw = with_model(taxonomy, rules, {}, m);
      for (size_t i = 0; i < issues.size(); ++i) {
        if (fold[i] == g) outcomes[i] = raw_outcome(raw, taxonomy, issues[i]);
      }
    }
  } else {
    report.model_in_sample = model != nullptr;
    outcomes = raw_outcomes(taxonomy, rules, issues);
  }
  std::vector<size_t> all(issues.size());
  std::iota(all.begin(), all.end(), size_t{0});
  LearntBins bins = learn_bins(outcomes, all, options.bins);
  report.calibrations = std::move(bins.calibrations);
  report.accuracy = std::move(bins.accuracy);
  std::vector<Scored> scored;
  if (options.folds >= 2) {
    // The threshold from held-out confidences: bins learnt on the very issues they score
    // promise more than they keep.
    report.cross_validation =
        cross_validate(taxonomy, rules, issues, outcomes, fold, groups, examples, options, scored);
  } else {
    RuleClassifier calibrated(taxonomy, rules, report.calibrations);
    for (const LabelledIssue& issue : issues) scored.push_back(score(calibrated, taxonomy, issue, rules.llm_accuracy()));
  }
  route_by_gain(scored, options.max_route, rules.llm_accuracy(), report);
  choose_threshold(std::move(scored), options.max_route, report);
  save_calibration(store, taxonomy, rules, options, report);
  return report;
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
