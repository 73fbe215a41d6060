// classify/classify_run.cpp — the store side of classification: read, decide, route, write.
#include "classify/classify_run.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "base/text_table.h"
#include "classify/calibrate.h"
#include "classify/routing.h"
#include "dataset/preset.h"
#include "store/issue_scope.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;
constexpr int64_t kBatch = 1000;

json decision_json(const DimensionDecision& d) {
  json hits = json::array();
  for (const RuleHit& h : d.hits) {
    hits.push_back({{"rule", h.rule->id},
                    {"target", h.rule->target},
                    {"field", field_name(h.field)},
                    {"weight", std::round(h.weight * 100) / 100},
                    {"text", h.text},
                    {"line", h.line}});
  }
  json out = {{"node", d.node},
              {"margin", std::round(d.margin * 1000) / 1000},
              {"confidence", std::round(d.confidence * 1000) / 1000},
              {"runner_up", d.runner_up},
              {"hits", hits}};
  if (d.from_prior) out["from_prior"] = true;
  if (d.model_p >= 0) out["text_model_p"] = std::round(d.model_p * 1000) / 1000;
  if (d.given) {
    out["given"] = {{"symptom", d.given->symptom}, {"stage", d.given->stage}, {"labels", d.given->labels}};
  }
  return out;
}

json evidence_object(const Classification& c, const std::string& rules_hash) {
  return {{"classifier", "rules"},
          {"rules_hash", rules_hash},
          {"confidence", std::round(c.confidence * 1000) / 1000},
          {"relevance", decision_json(c.relevance)},
          {"stage", decision_json(c.stage)},
          {"symptom", decision_json(c.symptom)},
          {"root_cause", decision_json(c.root_cause)}};
}

// The rules' best and runner-up of each dimension, as hints for the LLM.
RuleHints hints_of(const Classification& rules) {
  RuleHints hints;
  auto hint = [](const DimensionDecision& d, std::vector<LabelHint>& out) {
    if (!d.node.empty()) out.push_back({d.node, d.score});
    if (!d.runner_up.empty() && d.runner_up != d.top) out.push_back({d.runner_up, d.runner_up_score});
  };
  hint(rules.stage, hints.stage);
  hint(rules.symptom, hints.symptom);
  hint(rules.root_cause, hints.root_cause);
  return hints;
}

// The issues of one batch as the rules see them, and which of them routing calls uncertain.
struct Batch {
  std::vector<IssueText> issues;
  std::vector<IssueFeatures> features;
  std::vector<Classification> results;
  std::vector<size_t> uncertain;                // indices, ascending
  std::map<size_t, const LlmLabel*> answer_of;  // the usable LLM answers, by index
  std::vector<LlmLabel> answers;                // one per uncertain issue
  std::vector<RouteGain> gains;                 // per issue, when routing by gain
};

// One `classify` run: the options resolved, the classifier, the counts as batches go by.
class ClassifyRun {
 public:
  ClassifyRun(Store& store, const Taxonomy& taxonomy, const RuleSet& rules, const ClassifyOptions& options)
      : store_(store),
        taxonomy_(taxonomy),
        rules_(rules),
        options_(options),
        saved_(load_calibrations(store, taxonomy, rules)),
        classifier_(taxonomy, rules, saved_.calibrations) {
    resolve_source_and_threshold();
  }

  ClassifySummary run() {
    std::vector<int64_t> ids = issue_ids_in_scope(store_, scope());
    {
      Transaction tx(store_.db());
      store_.save_taxonomy(taxonomy_);
      s_.run_id = store_.begin_run("classify", options_.argv, &taxonomy_);
      tx.commit();
    }
    for (size_t start = 0; start < ids.size(); start += kBatch) {
      size_t end = std::min(ids.size(), start + static_cast<size_t>(kBatch));
      Batch batch = classify_batch(std::vector<int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                                        ids.begin() + static_cast<std::ptrdiff_t>(end)));
      route(batch);
      write(batch);
      s_.issues += static_cast<int64_t>(batch.results.size());
      if (options_.progress) options_.progress(s_.issues, static_cast<int64_t>(ids.size()));
    }
    finish();
    return s_;
  }

 private:
  void resolve_source_and_threshold() {
    s_.stale_calibration = saved_.stale;
    s_.calibrated = !saved_.calibrations.empty() && saved_.threshold >= 0;
    switch (options_.route) {
      case Route::kRules: s_.source = "rules"; break;
      case Route::kHybrid: s_.source = "hybrid"; break;
      case Route::kLlm:
        s_.source = "llm:" + (options_.llm_model.empty() ? std::string("unknown") : options_.llm_model);
        break;
    }
    if (!options_.source.empty()) s_.source = options_.source;
    require_utf8(s_.source, "classify --source");
    if (options_.route == Route::kLlm && !options_.ask_llm)
      throw Error("classify --route llm needs an LLM endpoint (--llm-url)");
    // Uncalibrated confidences are raw margins: without a calibration, hybrid routes the least clear cases.
    s_.threshold = options_.threshold ? *options_.threshold : s_.calibrated ? saved_.threshold : 0.25;
    if (options_.route == Route::kLlm) s_.threshold = kUnbounded;
    // By expected gain unless a threshold is asked for or the rules say nothing of the LLM.
    llm_accuracy_ = rules_.llm_accuracy();
    s_.by_gain = options_.route == Route::kHybrid && !options_.threshold && !llm_accuracy_.empty();
    s_.max_route = options_.max_route;
    if (options_.max_route < 0 || options_.max_route > 1) throw Error("classify: --max-route must be from 0 to 1");
  }

  IssueScope scope() const {
    IssueScope scope{.pull_requests = false, .limit = options_.limit};
    for (const std::string& full : options_.repositories)
      scope.repositories.push_back(split_repository(full, "--repo"));
    return scope;
  }

  // Title, body and comments of `ids`, read a batch at a time so memory stays bounded however
  // many issues there are, and the rules' view of each.
  Batch classify_batch(const std::vector<int64_t>& ids) {
    Batch b;
    for (int64_t id : ids) {
      if (std::optional<IssueText> t = store_.issue_text(id)) b.issues.push_back(std::move(*t));
    }
    for (const IssueText& t : b.issues) {
      b.features.push_back(extract_features(t.title, t.body, t.comments));
      b.results.push_back(classifier_.classify(b.features.back()));
    }
    return b;
  }

  // Which issues of the batch are uncertain: all with --route llm; with a threshold, those
  // below it; else the largest expected gains, so that the run's share stays within max_route.
  void pick_uncertain(Batch& b) {
    if (options_.route == Route::kRules) return;
    if (options_.route == Route::kLlm || !s_.by_gain) {
      for (size_t k = 0; k < b.results.size(); ++k) {
        if (options_.route == Route::kLlm || b.results[k].confidence < s_.threshold) b.uncertain.push_back(k);
      }
      return;
    }
    std::vector<double> totals;
    for (const Classification& r : b.results) {
      b.gains.push_back(route_gain(r, llm_accuracy_));
      totals.push_back(b.gains.back().total);
    }
    seen_ += static_cast<int64_t>(b.results.size());
    const auto allowed_so_far = static_cast<int64_t>(std::floor(options_.max_route * static_cast<double>(seen_)));
    b.uncertain = pick_routes(totals, static_cast<size_t>(std::max<int64_t>(0, allowed_so_far - s_.uncertain)));
  }

  // The uncertain go to the LLM when there is one; counts why and by which dimension.
  void route(Batch& b) {
    pick_uncertain(b);
    b.answers.resize(b.uncertain.size());
    if (!b.uncertain.empty() && options_.ask_llm) {
      std::vector<LlmQuestion> questions;
      for (size_t k : b.uncertain) questions.push_back({b.issues[k].id, b.features[k], b.results[k]});
      b.answers = options_.ask_llm(questions);
      b.answers.resize(b.uncertain.size());
      s_.routed += static_cast<int64_t>(b.uncertain.size());
    }
    for (size_t u = 0; u < b.uncertain.size(); ++u) {
      const Classification& r = b.results[b.uncertain[u]];
      ++s_.uncertain;
      ++by_dimension_[b.gains.empty() ? r.least_confident().dimension : b.gains[b.uncertain[u]].dimensions.front()];
      if (b.answers[u].ok) {
        b.answer_of[b.uncertain[u]] = &b.answers[u];
      } else if (options_.ask_llm) {
        // Counted by what went wrong ("the LLM server answered HTTP 503 ...", "answer rejected:
        // not JSON"), the endpoint left out.
        const LlmLabel& a = b.answers[u];
        const std::string& why = a.reason.empty() ? a.error : a.reason;
        ++rejections_[why.empty() ? "no answer" : why];
      }
    }
  }

  // Why uncertain issue `k` has no LLM label, without the endpoint.
  static std::string no_answer_reason(const Batch& b, size_t k) {
    size_t u = static_cast<size_t>(std::lower_bound(b.uncertain.begin(), b.uncertain.end(), k) - b.uncertain.begin());
    if (u >= b.answers.size()) return "no answer";
    const LlmLabel& a = b.answers[u];
    return !a.reason.empty() ? a.reason : !a.error.empty() ? a.error : "no answer";
  }

  // The annotation of issue `k`: the LLM's labels when it answered, else the rules'.
  Annotation annotation_of(const Batch& b, size_t k) {
    const Classification& r = b.results[k];
    Annotation a;
    a.issue_id = b.issues[k].id;
    a.source = s_.source;
    a.taxonomy = taxonomy_.id();
    a.run_id = s_.run_id;
    a.confidence = std::round(r.confidence * 1000) / 1000;
    json evidence = evidence_object(r, rules_.hash());
    bool uncertain = std::binary_search(b.uncertain.begin(), b.uncertain.end(), k);
    if (auto answered = b.answer_of.find(k); answered != b.answer_of.end()) {
      const LlmLabel& l = *answered->second;
      a.is_failure = l.is_failure ? 1 : 0;
      // Routed by gain, the LLM's label replaces the rules' only where it was expected to gain.
      std::vector<std::string> used = {"stage", "symptom", "root_cause"};
      if (!b.gains.empty()) used = b.gains[k].dimensions;
      auto uses = [&used](const char* d) { return std::find(used.begin(), used.end(), d) != used.end(); };
      if (l.is_failure) {
        a.stage = uses("stage") ? l.stage : r.stage.node;
        a.symptom = uses("symptom") ? l.symptom : r.symptom.node;
        a.root_cause = uses("root_cause") ? l.root_cause : r.root_cause.node;
      }
      evidence["classifier"] = "llm";
      evidence["llm"] = {{"model", options_.llm_model}, {"rationale", l.rationale}, {"used_for", used}};
      a.confidence = std::nullopt;
      ++s_.answered;
    } else {
      a.is_failure = r.is_failure ? 1 : 0;
      if (r.is_failure) {
        a.stage = r.stage.node;
        a.symptom = r.symptom.node;
        a.root_cause = r.root_cause.node;
      }
      if (uncertain) {
        a.needs_review = true;
        evidence["needs_review"] = options_.ask_llm ? "the LLM gave no usable answer: " + no_answer_reason(b, k)
                                                    : "uncertain, and no LLM endpoint";
        ++s_.needs_review;
      }
    }
    evidence["route"] = uncertain ? "uncertain" : "clear";
    if (!b.gains.empty()) {
      evidence["gain"] = std::round(b.gains[k].total * 1000) / 1000;
      if (uncertain) evidence["routed_for"] = b.gains[k].dimensions;
    }
    a.evidence = json_text(evidence);
    return a;
  }

  void write(const Batch& b) {
    Transaction tx(store_.db());
    for (size_t k = 0; k < b.results.size(); ++k) {
      Annotation a = annotation_of(b, k);
      if (*a.is_failure)
        ++s_.failures;
      else
        ++s_.not_failures;
      store_.upsert_annotation(a);
    }
    tx.commit();
  }

  void finish() {
    for (const auto& [d, n] : by_dimension_) s_.uncertain_by_dimension.emplace_back(d, n);
    for (const auto& [why, n] : rejections_) s_.llm_rejections.emplace_back(why, n);
    std::stable_sort(s_.llm_rejections.begin(), s_.llm_rejections.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    json summary = {{"source", s_.source},
                    {"issues", s_.issues},
                    {"failures", s_.failures},
                    {"routed", s_.routed},
                    {"answered", s_.answered},
                    {"needs_review", s_.needs_review},
                    {"threshold", s_.threshold >= kUnbounded ? -1 : s_.threshold},
                    {"routing", s_.by_gain ? "gain" : options_.route == Route::kHybrid ? "threshold" : "none"},
                    {"rules_hash", rules_.hash()}};
    if (options_.ask_llm && !options_.llm_prompt_hash.empty()) summary["llm_prompt_hash"] = options_.llm_prompt_hash;
    Transaction tx(store_.db());
    store_.finish_run(s_.run_id, "ok", json_text(summary));
    tx.commit();
  }

  Store& store_;
  const Taxonomy& taxonomy_;
  const RuleSet& rules_;
  const ClassifyOptions& options_;
  SavedCalibration saved_;
  RuleClassifier classifier_;
  ClassifySummary s_;
  std::map<std::string, int64_t> by_dimension_, rejections_;
  LlmAccuracy llm_accuracy_;
  int64_t seen_ = 0;  // issues classified so far, for the routed share
};

}  // namespace

std::string evidence_json(const Classification& c, const std::string& rules_hash) {
  return json_text(evidence_object(c, rules_hash));
}

LlmAsk llm_asker(LlmClient& client, const LlmLabeler& labeler) {
  return [&client, &labeler](const std::vector<LlmQuestion>& questions) {
    std::vector<LlmRequest> requests;
    for (const LlmQuestion& q : questions) requests.push_back(labeler.request(q.features, hints_of(q.rules)));
    std::vector<LlmResult> results = client.complete_all(requests, nullptr);
    std::vector<LlmLabel> labels;
    for (const LlmResult& r : results) {
      if (r.ok()) {
        labels.push_back(labeler.read_answer(r.content));
      } else {
        LlmLabel failed;
        failed.error = r.status == LlmStatus::kRefused ? "over the --llm-budget: " + r.error : r.error;
        failed.reason = r.reason;
        labels.push_back(std::move(failed));
      }
    }
    return labels;
  };
}

ClassifySummary classify_issues(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                                const ClassifyOptions& options) {
  return ClassifyRun(store, taxonomy, rules, options).run();
}

namespace {

void print_threshold_line(const ClassifySummary& s, std::ostream& out) {
  out << "Threshold " << format_fixed(s.threshold, 3)
      << (s.calibrated          ? " (calibrated)"
          : s.stale_calibration ? " (the calibration was learnt with other rules: run `firstmile calibrate` again)"
                                : " (not calibrated: run `firstmile calibrate`)")
      << ": " << s.uncertain << " uncertain (" << format_percent(s.issues ? double(s.uncertain) / double(s.issues) : 0)
      << ")";
  for (const auto& [d, n] : s.uncertain_by_dimension) out << ", " << n << " by " << d;
  out << "\n";
}

void print_routing_line(const ClassifySummary& s, std::ostream& out) {
  if (!s.by_gain) {
    print_threshold_line(s, out);
    return;
  }
  out << "Routed by expected gain (the LLM's accuracy against the rules' "
      << (s.calibrated          ? "calibrated confidence"
          : s.stale_calibration ? "raw confidence: the calibration was learnt with other rules, run `firstmile calibrate` again"
                                : "raw confidence: not calibrated, run `firstmile calibrate --folds 5`")
      << "), at most " << format_percent(s.max_route) << " of the issues: " << s.uncertain << " uncertain ("
      << format_percent(s.issues ? double(s.uncertain) / double(s.issues) : 0) << ")";
  for (const auto& [d, n] : s.uncertain_by_dimension) out << ", " << n << " for " << d;
  out << "\n";
}

// The commonest reasons for issues left without an LLM label (most frequent first), then a count
// of the rest.
void print_rejections(const ClassifySummary& s, std::ostream& out) {
  const size_t shown = std::min<size_t>(s.llm_rejections.size(), 5);
  for (size_t i = 0; i < shown; ++i) {
    const auto& [why, n] = s.llm_rejections[i];
    out << "  " << n << (n == 1 ? " issue" : " issues") << " without an LLM label: " << why << "\n";
  }
  if (shown < s.llm_rejections.size()) {
    int64_t rest = 0;
    for (size_t i = shown; i < s.llm_rejections.size(); ++i) rest += s.llm_rejections[i].second;
    out << "  " << rest << " more without an LLM label, for " << s.llm_rejections.size() - shown
        << " other reasons (each issue's evidence names its own)\n";
  }
}

}  // namespace

void print_classify_summary(const ClassifySummary& s, Route route, const LlmCounters* llm, std::ostream& out) {
  out << "Classified " << s.issues << " issues into source '" << s.source << "' (run " << s.run_id
      << "): " << s.failures << " failure reports, " << s.not_failures << " not\n";
  if (route == Route::kRules) return;
  if (route == Route::kLlm) {
    out << "Route llm: every issue goes to the LLM, no confidence threshold\n";
  } else {
    print_routing_line(s, out);
  }
  out << s.routed << " sent to the LLM, " << s.answered << " answered, " << s.needs_review
      << " labelled by the rules' best guess and marked needs_review\n";
  print_rejections(s, out);
  if (llm) {
    out << "LLM: " << llm->calls << " calls, " << llm->cache_hits << " from the cache, " << llm->retries << " retries, "
        << llm->refused << " over budget, " << llm->prompt_tokens << " prompt + " << llm->completion_tokens
        << " completion tokens\n";
  }
}

}  // namespace firstmile
