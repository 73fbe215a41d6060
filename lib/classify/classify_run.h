// classify/classify_run.h — `firstmile classify` and `firstmile calibrate` over the store.
//
//   ClassifySummary s = classify_issues(store, taxonomy, rules, {.route = Route::kRules});
//   s.issues, s.failures, s.routed, s.needs_review
//   print_classify_summary(s, Route::kRules, nullptr, std::cout);
//
// Every issue with text (pull requests aside) is classified; its annotation — source 'rules'
// (or 'hybrid', 'llm:MODEL'), failure index 1 — carries the labels, the confidence, whether it
// needs review and the evidence: every rule that fired on the chosen path with the text it
// matched, the margins, and the run. Issues judged not to be failure reports get is_failure 0
// and no labels. Writes go in one transaction per 1,000 issues; re-running replaces the
// source's labels in place. Confidences are calibrated when `firstmile calibrate` has learnt
// how with these rules (classify/calibrate.h). Hybrid routing sends the issues where the LLM is
// expected to gain most over the rules (classify/routing.h), at most `max_route` of the issues
// classified so far; with `threshold`, those whose confidence is below it instead.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "classify/llm_labeler.h"
#include "llm/llm_client.h"

namespace firstmile {

class Store;
class Taxonomy;
class RuleSet;

enum class Route { kRules, kHybrid, kLlm };

// Asks an LLM about the issues routing sends it; returns one label per question, in order, each
// either validated against the taxonomy (ok) or rejected with the reason (failed, refused by
// the budget, outside the taxonomy). Supplied by the caller (LlmClient + LlmLabeler).
struct LlmQuestion {
  int64_t issue_id = 0;
  IssueFeatures features;
  Classification rules;  // the rules' view, as hints
};
using LlmAsk = std::function<std::vector<LlmLabel>(const std::vector<LlmQuestion>&)>;

// Routing to a real endpoint: each question becomes the labeler's request (the rules' best and
// runner-up as hints), all go through the client (cached, budgeted, N in flight), and each
// answer is validated against the taxonomy.
LlmAsk llm_asker(LlmClient& client, const LlmLabeler& labeler);

struct ClassifyOptions {
  Route route = Route::kRules;
  std::optional<double> threshold;        // route below this confidence instead of by expected gain
  double max_route = 0.3;                 // routing by gain: largest share of the issues sent
  std::string source;                     // default: 'rules', 'hybrid' or 'llm:MODEL'
  std::vector<std::string> repositories;  // OWNER/NAME; empty: all
  int64_t limit = 0;                      // 0: all
  std::vector<std::string> argv;
  LlmAsk ask_llm;  // null: no endpoint; hybrid then marks the uncertain needs_review
  std::string llm_model;
  std::string llm_prompt_hash;  // the labeller's prompt (LlmLabeler::prompt_hash), for provenance
  std::function<void(int64_t done, int64_t total)> progress;  // after each batch
};

struct ClassifySummary {
  int64_t run_id = 0;
  std::string source;
  int64_t issues = 0, failures = 0, not_failures = 0;
  double threshold = 0;
  bool by_gain = false;  // routed by expected gain (classify/routing.h), at most max_route
  double max_route = 0;
  bool calibrated = false;
  bool stale_calibration = false;  // the saved calibration was learnt with other rules: not used
  int64_t uncertain = 0;           // below the threshold
  int64_t routed = 0;              // sent to the LLM
  int64_t answered = 0;            // the LLM's label was used
  int64_t needs_review = 0;        // uncertain and not answered
  std::vector<std::pair<std::string, int64_t>> llm_rejections;          // why answers were not used, counted
  std::vector<std::pair<std::string, int64_t>> uncertain_by_dimension;  // the least confident dimension
};

ClassifySummary classify_issues(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                                const ClassifyOptions& options);

// What `firstmile classify` prints: the counts; for a routed run, the threshold, the uncertain,
// what the LLM answered and, with `llm` (the client's counters), the calls it took.
void print_classify_summary(const ClassifySummary& summary, Route route, const LlmCounters* llm, std::ostream& out);

std::string evidence_json(const Classification& c, const std::string& rules_hash);

}  // namespace firstmile
