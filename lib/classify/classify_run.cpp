// classify/classify_run.cpp — the store side of classification: read, decide, route, write.
#include "classify/classify_run.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "dataset/preset.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;
constexpr double kInfinity = 1e300;
constexpr int64_t kBatch = 1000;

// The ids of the issues to classify, in id order.
std::vector<int64_t> select_issues(Store& store, const std::vector<std::string>& repositories, int64_t limit) {
  std::string sql =
      "SELECT i.id FROM issues i JOIN repositories r ON r.id = i.repository_id "
      "WHERE i.title IS NOT NULL AND i.is_pull_request = 0";
  if (!repositories.empty()) {
    sql += " AND (";
    for (size_t k = 0; k < repositories.size(); ++k) {
      sql += std::string(k ? " OR " : "") + "(r.owner = ? AND r.name = ?)";
    }
    sql += ")";
  }
  sql += " ORDER BY i.id";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  Query q = store.db().query(sql);
  int p = 0;
  for (const std::string& full : repositories) {
    auto [owner, name] = split_repository(full, "--repo");
    q.bind(p + 1, owner).bind(p + 2, name);
    p += 2;
  }
  std::vector<int64_t> ids;
  while (q.step()) ids.push_back(q.column_int(0));
  return ids;
}

// Title, body and comments of `ids` (a batch: memory stays bounded however many issues there are).
std::vector<IssueText> load_issues(Store& store, const std::vector<int64_t>& ids) {
  std::vector<IssueText> out;
  for (int64_t id : ids) {
    if (std::optional<IssueText> t = store.issue_text(id)) out.push_back(std::move(*t));
  }
  return out;
}

json decision_json(const DimensionDecision& d) {
  json hits = json::array();
  for (const RuleHit& h : d.hits) {
    hits.push_back({{"rule", h.rule->id}, {"target", h.rule->target}, {"field", field_name(h.field)},
                    {"weight", std::round(h.weight * 100) / 100}, {"text", h.text}});
  }
  json out = {{"node", d.node},
              {"margin", std::round(d.margin * 1000) / 1000},
              {"confidence", std::round(d.confidence * 1000) / 1000},
              {"runner_up", d.runner_up},
              {"hits", hits}};
  if (d.from_prior) out["from_prior"] = true;
  if (d.given) {
    out["given"] = {{"symptom", d.given->symptom}, {"stage", d.given->stage}, {"labels", d.given->labels}};
  }
  return out;
}

const TaxonomyNode& top_of(const Taxonomy& t, const std::string& id) { return t.ancestor_at_level(t.node(id), 1); }

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

}  // namespace

json evidence_object(const Classification& c, const std::string& rules_hash) {
  return {{"classifier", "rules"},
            {"rules_hash", rules_hash},
            {"confidence", std::round(c.confidence * 1000) / 1000},
            {"relevance", decision_json(c.relevance)},
            {"stage", decision_json(c.stage)},
            {"symptom", decision_json(c.symptom)},
            {"root_cause", decision_json(c.root_cause)}};
}

std::string evidence_json(const Classification& c, const std::string& rules_hash) {
  return evidence_object(c, rules_hash).dump();
}

LlmAsk llm_asker(LlmClient& client, const LlmLabeler& labeler) {
  return [&client, &labeler](const std::vector<LlmQuestion>& questions) {
    std::vector<LlmRequest> requests;
    for (const LlmQuestion& q : questions) {
      RuleHints hints;
      auto hint = [](const DimensionDecision& d, std::vector<LabelHint>& out) {
        if (!d.node.empty()) out.push_back({d.node, d.score});
        if (!d.runner_up.empty() && d.runner_up != d.top) out.push_back({d.runner_up, d.runner_up_score});
      };
      hint(q.rules.stage, hints.stage);
      hint(q.rules.symptom, hints.symptom);
      hint(q.rules.root_cause, hints.root_cause);
      requests.push_back(labeler.request(q.features, hints));
    }
    std::vector<LlmResult> results = client.complete_all(requests, nullptr);
    std::vector<LlmLabel> labels;
    for (const LlmResult& r : results) {
      if (r.ok()) {
        labels.push_back(labeler.read_answer(r.content));
      } else {
        LlmLabel failed;
        failed.error = r.status == LlmStatus::kRefused ? "over the --llm-budget: " + r.error : r.error;
        labels.push_back(std::move(failed));
      }
    }
    return labels;
  };
}

SavedCalibration load_calibrations(Store& store, const Taxonomy& taxonomy, const RuleSet& rules) {
  SavedCalibration saved;
  std::string rules_hash;
  Query q = store.db().query(
      "SELECT dimension, model FROM calibrations c WHERE taxonomy = ?1 AND id = (SELECT max(id) FROM calibrations "
      "WHERE taxonomy = ?1 AND dimension = c.dimension) ORDER BY dimension");
  q.bind(1, taxonomy.id());
  while (q.step()) {
    json model = json::parse(q.column_text(1), nullptr, false);
    if (!model.is_object()) continue;
    std::string dimension = q.column_text(0);
    if (dimension == "routing") {
      if (model.contains("threshold")) saved.threshold = model["threshold"].get<double>();
      if (model.contains("rules_hash")) rules_hash = model["rules_hash"].get<std::string>();
      continue;
    }
    Calibration c;
    c.dimension = dimension;
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

ClassifySummary classify_issues(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                                const ClassifyOptions& options) {
  ClassifySummary s;
  SavedCalibration saved = load_calibrations(store, taxonomy, rules);
  std::vector<Calibration>& calibrations = saved.calibrations;
  const double calibrated_threshold = saved.threshold;
  s.stale_calibration = saved.stale;
  s.calibrated = !calibrations.empty() && calibrated_threshold >= 0;
  RuleClassifier classifier(taxonomy, rules, calibrations);
  switch (options.route) {
    case Route::kRules: s.source = "rules"; break;
    case Route::kHybrid: s.source = "hybrid"; break;
    case Route::kLlm: s.source = "llm:" + (options.llm_model.empty() ? std::string("unknown") : options.llm_model); break;
  }
  if (!options.source.empty()) s.source = options.source;
  if (options.route == Route::kLlm && !options.ask_llm) throw Error("classify --route llm needs an LLM endpoint (--llm-url)");
  // Uncalibrated confidences are raw margins: without a calibration, hybrid routes the least clear cases.
  s.threshold = options.threshold ? *options.threshold : s.calibrated ? calibrated_threshold : 0.25;
  if (options.route == Route::kLlm) s.threshold = kInfinity;

  std::vector<int64_t> ids = select_issues(store, options.repositories, options.limit);
  {
    Transaction tx(store.db());
    store.save_taxonomy(taxonomy);
    s.run_id = store.begin_run("classify", options.argv, &taxonomy);
    tx.commit();
  }
  std::map<std::string, int64_t> by_dimension, rejections;
  for (size_t start = 0; start < ids.size(); start += kBatch) {
    size_t end = std::min(ids.size(), start + static_cast<size_t>(kBatch));
    std::vector<IssueText> issues =
        load_issues(store, std::vector<int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.begin() + static_cast<std::ptrdiff_t>(end)));
    std::vector<Classification> results;
    std::vector<IssueFeatures> features;
    for (const IssueText& t : issues) {
      features.push_back(extract_features(t.title, t.body, t.comments));
      results.push_back(classifier.classify(features.back()));
    }
    // Routing: the uncertain ones go to the LLM when there is one.
    std::vector<size_t> uncertain;
    for (size_t k = 0; k < results.size(); ++k) {
      if (options.route == Route::kRules) continue;
      if (options.route == Route::kLlm || results[k].confidence < s.threshold) uncertain.push_back(k);
    }
    std::vector<LlmLabel> answers(uncertain.size());
    if (!uncertain.empty() && options.ask_llm) {
      std::vector<LlmQuestion> questions;
      for (size_t k : uncertain) questions.push_back({issues[k].id, features[k], results[k]});
      answers = options.ask_llm(questions);
      answers.resize(uncertain.size());
      s.routed += static_cast<int64_t>(uncertain.size());
    }
    std::map<size_t, const LlmLabel*> answer_of;
    for (size_t u = 0; u < uncertain.size(); ++u) {
      const Classification& r = results[uncertain[u]];
      ++s.uncertain;
      const DimensionDecision* least = &r.stage;
      for (const DimensionDecision* d : {&r.symptom, &r.root_cause}) {
        if (d->confidence < least->confidence) least = d;
      }
      ++by_dimension[least->dimension];
      if (answers[u].ok) {
        answer_of[uncertain[u]] = &answers[u];
      } else if (options.ask_llm) {
        // "HTTP 500 after 4 retries: ..." and the like: count by the reason's first words.
        std::string why = answers[u].error.substr(0, answers[u].error.find(':'));
        ++rejections[why.empty() ? "no answer" : why];
      }
    }

    Transaction tx(store.db());
    for (size_t k = 0; k < results.size(); ++k) {
      const Classification& r = results[k];
      Annotation a;
      a.issue_id = issues[k].id;
      a.source = s.source;
      a.taxonomy = taxonomy.id();
      a.run_id = s.run_id;
      a.confidence = std::round(r.confidence * 1000) / 1000;
      json evidence = evidence_object(r, rules.hash());
      bool uncertain_here = std::binary_search(uncertain.begin(), uncertain.end(), k);
      auto answered = answer_of.find(k);
      if (answered != answer_of.end()) {
        const LlmLabel& l = *answered->second;
        a.is_failure = l.is_failure ? 1 : 0;
        if (l.is_failure) {
          a.stage = l.stage;
          a.symptom = l.symptom;
          a.root_cause = l.root_cause;
        }
        evidence["classifier"] = "llm";
        evidence["llm"] = {{"model", options.llm_model}, {"rationale", l.rationale}};
        a.confidence = std::nullopt;
        ++s.answered;
      } else {
        a.is_failure = r.is_failure ? 1 : 0;
        if (r.is_failure) {
          a.stage = r.stage.node;
          a.symptom = r.symptom.node;
          a.root_cause = r.root_cause.node;
        }
        if (uncertain_here) {
          a.needs_review = true;
          evidence["needs_review"] = options.ask_llm ? "the LLM gave no usable answer" : "uncertain, and no LLM endpoint";
          ++s.needs_review;
        }
      }
      evidence["route"] = uncertain_here ? "uncertain" : "clear";
      a.evidence = evidence.dump();
      if (*a.is_failure) ++s.failures;
      else ++s.not_failures;
      store.upsert_annotation(a);
    }
    tx.commit();
    s.issues += static_cast<int64_t>(results.size());
    if (options.progress) options.progress(s.issues, static_cast<int64_t>(ids.size()));
  }
  for (const auto& [d, n] : by_dimension) s.uncertain_by_dimension.emplace_back(d, n);
  for (const auto& [why, n] : rejections) s.llm_rejections.emplace_back(why, n);
  json summary = {{"source", s.source}, {"issues", s.issues},     {"failures", s.failures},
                  {"routed", s.routed}, {"answered", s.answered}, {"needs_review", s.needs_review},
                  {"threshold", s.threshold >= kInfinity ? -1 : s.threshold}, {"rules_hash", rules.hash()}};
  Transaction tx(store.db());
  store.finish_run(s.run_id, "ok", summary.dump());
  tx.commit();
  return s;
}

CalibrationReport calibrate(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                            const CalibrateOptions& options) {
  CalibrationReport report;
  std::string gold = options.gold;
  // Gold labels of issues with text, first failure of each issue.
  struct Gold {
    std::string stage, symptom, root_cause;
  };
  std::map<int64_t, Gold> gold_of;
  Query q = store.db().query(
      "SELECT a.issue_id, a.source, coalesce(a.stage, ''), coalesce(a.symptom, ''), coalesce(a.root_cause, '') "
      "FROM annotations a JOIN issues i ON i.id = a.issue_id WHERE a.failure_index = 1 AND a.taxonomy = ? "
      "AND a.is_failure IS NOT 0 AND i.title IS NOT NULL ORDER BY a.issue_id");
  q.bind(1, taxonomy.id());
  while (q.step()) {
    if (!source_matches(gold, q.column_text(1))) continue;
    gold_of[q.column_int(0)] = {q.column_text(2), q.column_text(3), q.column_text(4)};
  }
  if (gold_of.empty()) {
    throw Error("calibrate: no issues with text labelled by '" + gold + "' under taxonomy " + taxonomy.id() +
                " (import issue text and labels first)");
  }
  std::vector<int64_t> ids;
  for (const auto& [id, g] : gold_of) ids.push_back(id);
  std::vector<IssueText> issues = load_issues(store, ids);
  RuleClassifier raw(taxonomy, rules);

  const char* const kDimensions[] = {"stage", "symptom", "root_cause"};
  std::map<std::string, std::vector<std::pair<double, bool>>> outcomes;  // per dimension: (margin, top correct)
  std::vector<Classification> results;
  for (const IssueText& t : issues) {
    const Gold& g = gold_of[t.id];
    Classification c = raw.classify(extract_features(t.title, t.body, t.comments));
    const std::pair<const DimensionDecision*, const std::string*> pairs[] = {
        {&c.stage, &g.stage}, {&c.symptom, &g.symptom}, {&c.root_cause, &g.root_cause}};
    for (const auto& [d, label] : pairs) {
      if (label->empty() || !taxonomy.find(*label) || d->node.empty()) continue;
      outcomes[d->dimension].emplace_back(d->margin, top_of(taxonomy, d->node).id == top_of(taxonomy, *label).id);
    }
    results.push_back(std::move(c));
  }
  report.issues = static_cast<int64_t>(issues.size());

  for (const char* dimension : kDimensions) {
    auto& o = outcomes[dimension];
    if (o.empty()) continue;
    std::sort(o.begin(), o.end());
    Calibration c;
    c.dimension = dimension;
    size_t bins = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(options.bins), o.size()));
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
    c.upper_edges.back() = kInfinity;
    c.accuracy = monotone(acc, c.counts);
    report.accuracy.emplace_back(dimension, static_cast<double>(correct_total) / static_cast<double>(o.size()));
    report.calibrations.push_back(std::move(c));
  }

  // The issue confidence under the new calibration, and the threshold that routes at most max_route.
  RuleClassifier calibrated(taxonomy, rules, report.calibrations);
  std::vector<std::pair<double, double>> confidence_and_accuracy;
  for (size_t k = 0; k < issues.size(); ++k) {
    const Gold& g = gold_of[issues[k].id];
    Classification c = calibrated.classify(extract_features(issues[k].title, issues[k].body, issues[k].comments));
    double right = 0, n = 0;
    const std::pair<const DimensionDecision*, const std::string*> pairs[] = {
        {&c.stage, &g.stage}, {&c.symptom, &g.symptom}, {&c.root_cause, &g.root_cause}};
    for (const auto& [d, label] : pairs) {
      if (label->empty() || !taxonomy.find(*label) || d->node.empty()) continue;
      right += top_of(taxonomy, d->node).id == top_of(taxonomy, *label).id;
      ++n;
    }
    confidence_and_accuracy.emplace_back(c.confidence, n > 0 ? right / n : 0);
  }
  std::sort(confidence_and_accuracy.begin(), confidence_and_accuracy.end());
  size_t budget = static_cast<size_t>(std::floor(options.max_route * static_cast<double>(confidence_and_accuracy.size())));
  // Route the `budget` least confident; ties at the cut stay with the rules, so the share never exceeds it.
  report.threshold = budget < confidence_and_accuracy.size() ? confidence_and_accuracy[budget].first : kInfinity;
  size_t routed = 0;
  double kept_accuracy = 0;
  for (const auto& [conf, accuracy] : confidence_and_accuracy) {
    if (conf < report.threshold) ++routed;
    else kept_accuracy += accuracy;
  }
  report.routed_share = confidence_and_accuracy.empty() ? 0 : static_cast<double>(routed) / static_cast<double>(confidence_and_accuracy.size());
  size_t kept = confidence_and_accuracy.size() - routed;
  report.accuracy_kept = kept ? kept_accuracy / static_cast<double>(kept) : 0;

  Transaction tx(store.db());
  report.run_id = store.begin_run("calibrate", options.argv, &taxonomy);
  const std::string now = utc_now_iso8601();
  Query insert = store.db().query(
      "INSERT INTO calibrations (taxonomy, dimension, gold_source, model, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  for (const Calibration& c : report.calibrations) {
    json model = {{"upper_edges", c.upper_edges}, {"accuracy", c.accuracy}, {"counts", c.counts}, {"rules_hash", rules.hash()}};
    insert.bind(1, taxonomy.id()).bind(2, c.dimension).bind(3, gold).bind(4, model.dump()).bind(5, report.run_id).bind(6, now);
    insert.run();
  }
  json routing = {{"threshold", report.threshold}, {"max_route", options.max_route}, {"routed_share", report.routed_share},
                  {"rules_hash", rules.hash()}};
  insert.bind(1, taxonomy.id()).bind(2, "routing").bind(3, gold).bind(4, routing.dump()).bind(5, report.run_id).bind(6, now);
  insert.run();
  store.finish_run(report.run_id, "ok", routing.dump());
  tx.commit();
  return report;
}

}  // namespace firstmile
