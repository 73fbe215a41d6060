// labels/evaluation.cpp — pairing two sources' labels failure by failure, and scoring them.
#include "labels/evaluation.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "stats/proportion.h"
#include "store/store.h"

namespace firstmile {

const LevelEvaluation* Evaluation::find(const std::string& dimension, int level) const {
  for (const LevelEvaluation& l : levels) {
    if (l.dimension == dimension && l.level == level) return &l;
  }
  return nullptr;
}

LevelEvaluation score_labels(const std::vector<std::string>& gold, const std::vector<std::string>& pred,
                             std::vector<std::string> classes) {
  LevelEvaluation out;
  if (classes.empty()) {
    std::set<std::string> seen(gold.begin(), gold.end());
    seen.insert(pred.begin(), pred.end());
    classes.assign(seen.begin(), seen.end());
  }
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < classes.size(); ++i) index[classes[i]] = i;
  out.confusion.assign(classes.size(), std::vector<int64_t>(classes.size(), 0));
  for (size_t i = 0; i < gold.size(); ++i) {
    ++out.confusion[index.at(gold[i])][index.at(pred[i])];
    if (gold[i] == pred[i]) ++out.correct;
  }
  out.compared = static_cast<int64_t>(gold.size());
  out.accuracy = out.compared ? static_cast<double>(out.correct) / static_cast<double>(out.compared) : 0;
  stats::WilsonInterval ci =
      stats::wilson_interval(static_cast<double>(out.correct), static_cast<double>(out.compared));
  out.accuracy_low = ci.lower;
  out.accuracy_high = ci.upper;
  double f1_sum = 0;
  for (size_t c = 0; c < classes.size(); ++c) {
    ClassScore s;
    s.id = classes[c];
    int64_t tp = out.confusion[c][c];
    for (size_t o = 0; o < classes.size(); ++o) {
      s.support += out.confusion[c][o];
      s.predicted += out.confusion[o][c];
    }
    s.precision = s.predicted ? static_cast<double>(tp) / static_cast<double>(s.predicted) : 0;
    s.recall = s.support ? static_cast<double>(tp) / static_cast<double>(s.support) : 0;
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
    f1_sum += s.f1;
    out.classes.push_back(std::move(s));
  }
  out.macro_f1 = classes.empty() ? 0 : f1_sum / static_cast<double>(classes.size());
  out.kappa = stats::cohens_kappa_from_labels(gold, pred);
  return out;
}

namespace {

struct Pair {
  const LabelledFailure* gold;
  const LabelledFailure* pred;
};

LevelEvaluation evaluate_level(const std::vector<Pair>& pairs, const std::string& dimension, int level,
                               const Taxonomy& taxonomy) {
  std::vector<std::string> gold, pred;
  std::vector<const Pair*> compared;
  int64_t pred_missing = 0;
  for (const Pair& p : pairs) {
    std::string g = class_at_level(*p.gold, dimension, level, taxonomy);
    if (g.empty()) continue;
    std::string c = class_at_level(*p.pred, dimension, level, taxonomy);
    if (c.empty()) {
      ++pred_missing;
      continue;
    }
    gold.push_back(std::move(g));
    pred.push_back(std::move(c));
    compared.push_back(&p);
  }
  std::set<std::string> seen(gold.begin(), gold.end());
  seen.insert(pred.begin(), pred.end());
  std::vector<std::string> classes(seen.begin(), seen.end());
  sort_classes(taxonomy, dimension, classes);
  LevelEvaluation out = score_labels(gold, pred, classes);
  out.dimension = dimension;
  out.level = level;
  out.pred_missing = pred_missing;
  for (ClassScore& c : out.classes) c.name = class_name(taxonomy, dimension, c.id);
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] == pred[i]) continue;
    const LabelledFailure& p = *compared[i]->pred;
    out.disagreements.push_back({p.repository, p.number, p.failure_index, p.url,
                                 class_name(taxonomy, dimension, gold[i]), class_name(taxonomy, dimension, pred[i]),
                                 p.confidence, p.evidence});
  }
  std::sort(out.disagreements.begin(), out.disagreements.end(), [](const Disagreement& a, const Disagreement& b) {
    return std::tie(a.repository, a.number, a.failure_index) < std::tie(b.repository, b.number, b.failure_index);
  });
  return out;
}

// The language of each labelled issue's text (title and prose, fenced code left out); issues
// without text are not in the map.
std::map<int64_t, std::string> issue_languages(Store& store, const SourceLabels& gold, const SourceLabels& pred) {
  std::map<int64_t, std::string> out;
  for (const SourceLabels* labels : {&gold, &pred}) {
    for (const auto& [key, f] : *labels) {
      if (out.count(key.first)) continue;
      if (std::optional<IssueText> t = store.issue_text(key.first))
        out[key.first] = detect_language(t->title + "\n" + without_fenced_blocks(t->body));
    }
  }
  return out;
}

// Only the labels of issues whose text is in `language`.
SourceLabels in_language(const SourceLabels& labels, const std::map<int64_t, std::string>& languages,
                         const std::string& language) {
  SourceLabels out;
  for (const auto& [key, f] : labels) {
    auto it = languages.find(key.first);
    if (it != languages.end() && it->second == language) out.emplace(key, f);
  }
  return out;
}

// The dimension a routed prediction was sent to the LLM for, "" when it was not routed.
std::string routed_for(const std::string& evidence) {
  if (evidence.find("\"uncertain\"") == std::string::npos) return "";  // most are not: no parse
  nlohmann::json e = nlohmann::json::parse(evidence, nullptr, false);
  if (!e.is_object() || e.value("route", "") != "uncertain") return "";
  if (auto f = e.find("routed_for"); f != e.end() && f->is_array() && !f->empty() && f->front().is_string())
    return f->front().get<std::string>();
  std::string least = "unknown";
  double lowest = 2;
  for (const char* d : {"stage", "symptom", "root_cause"}) {
    auto it = e.find(d);
    if (it == e.end() || !it->is_object() || !it->contains("confidence") || !(*it)["confidence"].is_number()) continue;
    if (double c = (*it)["confidence"].get<double>(); c < lowest) lowest = c, least = d;
  }
  return least;
}

}  // namespace

namespace {

Evaluation evaluate_labels(const Taxonomy& taxonomy, const EvaluationOptions& options, std::string gold_source,
                           std::string pred_source, const SourceLabels& gold, SourceLabels pred);

}  // namespace

std::vector<Evaluation> evaluate_by_language(Store& store, const Taxonomy& taxonomy, const NodeResolver& resolve,
                                             EvaluationOptions options) {
  const std::string gold_source = resolve_source(store, options.gold), pred_source = resolve_source(store, options.pred);
  const SourceLabels gold = load_source_labels(store, gold_source, resolve);
  const SourceLabels pred = load_source_labels(store, pred_source, resolve);
  const std::map<int64_t, std::string> languages = issue_languages(store, gold, pred);
  std::vector<Evaluation> out;
  for (const char* language : {"en", "zh"}) {
    options.language = language;
    out.push_back(evaluate_labels(taxonomy, options, gold_source, pred_source, in_language(gold, languages, language),
                                  in_language(pred, languages, language)));
  }
  return out;
}

Evaluation evaluate(Store& store, const Taxonomy& taxonomy, const NodeResolver& resolve,
                    const EvaluationOptions& options) {
  const std::string gold_source = resolve_source(store, options.gold), pred_source = resolve_source(store, options.pred);
  SourceLabels gold = load_source_labels(store, gold_source, resolve);
  SourceLabels pred = load_source_labels(store, pred_source, resolve);
  if (!options.language.empty()) {
    const std::map<int64_t, std::string> languages = issue_languages(store, gold, pred);
    gold = in_language(gold, languages, options.language);
    pred = in_language(pred, languages, options.language);
  }
  return evaluate_labels(taxonomy, options, gold_source, pred_source, gold, std::move(pred));
}

namespace {

Evaluation evaluate_labels(const Taxonomy& taxonomy, const EvaluationOptions& options, std::string gold_source,
                           std::string pred_source, const SourceLabels& gold, SourceLabels pred) {
  Evaluation e;
  e.gold_source = std::move(gold_source);
  e.pred_source = std::move(pred_source);
  e.taxonomy = taxonomy.id();
  e.exclude_review = options.exclude_review;
  e.language = options.language;
  if (options.exclude_review) {
    for (auto it = pred.begin(); it != pred.end();) {
      if (it->second.needs_review) {
        ++e.coverage.predictions_excluded_for_review;
        it = pred.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::set<int64_t> gold_issues, pred_issues;
  for (const auto& [key, f] : gold) gold_issues.insert(key.first);
  for (const auto& [key, f] : pred) pred_issues.insert(key.first);
  EvaluationCoverage& c = e.coverage;
  c.gold_issues = static_cast<int64_t>(gold_issues.size());
  c.gold_failures = static_cast<int64_t>(gold.size());
  std::vector<Pair> pairs;
  std::set<int64_t> uncovered;
  for (const auto& [key, f] : gold) {
    auto p = pred.find(key);
    if (p != pred.end()) {
      pairs.push_back({&f, &p->second});
    } else {
      ++c.gold_failures_without_prediction;
      if (!pred_issues.count(key.first) && uncovered.insert(key.first).second) {
        c.uncovered.push_back({f.repository, f.number, f.url});
      }
    }
  }
  c.failures_compared = static_cast<int64_t>(pairs.size());
  std::map<std::string, int64_t> routed;
  for (const Pair& p : pairs) {
    if (std::string d = routed_for(p.pred->evidence); !d.empty()) ++routed[d], ++c.routed;
  }
  for (const char* d : {"stage", "symptom", "root_cause", "unknown"}) {
    if (routed.count(d)) c.routed_by_dimension.emplace_back(d, routed[d]);
  }
  c.gold_issues_without_prediction = static_cast<int64_t>(uncovered.size());
  c.issues_compared = c.gold_issues - c.gold_issues_without_prediction;
  for (int64_t issue : pred_issues) c.predicted_issues_without_gold += gold_issues.count(issue) ? 0 : 1;
  std::sort(c.uncovered.begin(), c.uncovered.end(), [](const IssueRef& a, const IssueRef& b) {
    return std::tie(a.repository, a.number) < std::tie(b.repository, b.number);
  });

  for (const std::string& dimension : label_dimensions()) {
    for (int level = 1; level <= dimension_levels(taxonomy, dimension); ++level) {
      e.levels.push_back(evaluate_level(pairs, dimension, level, taxonomy));
    }
  }
  return e;
}

}  // namespace

}  // namespace firstmile
