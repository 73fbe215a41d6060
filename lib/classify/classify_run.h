// classify/classify_run.h — `firstmile classify` and `firstmile calibrate` over the store.
//
//   ClassifySummary s = classify_issues(store, taxonomy, rules, {.route = Route::kRules});
//   s.issues, s.failures, s.routed, s.needs_review
//   std::vector<Calibration> c = calibrate(store, taxonomy, rules, {.gold = "gold"});
//
// Every issue with text (pull requests aside) is classified; its annotation — source 'rules'
// (or 'hybrid', 'llm:MODEL'), failure index 1 — carries the labels, the confidence, whether it
// needs review and the evidence: every rule that fired on the chosen path with the text it
// matched, the margins, and the run. Issues judged not to be failure reports get is_failure 0
// and no labels. Writes go in one transaction per 1,000 issues; re-running replaces the
// source's labels in place.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "llm/llm_client.h"
#include "classify/llm_labeler.h"

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
  std::optional<double> threshold;   // route below this confidence; default: the calibrated one
  std::string source;                // default: 'rules', 'hybrid' or 'llm:MODEL'
  std::vector<std::string> repositories;  // OWNER/NAME; empty: all
  int64_t limit = 0;                 // 0: all
  std::vector<std::string> argv;
  LlmAsk ask_llm;                    // null: no endpoint; hybrid then marks the uncertain needs_review
  std::string llm_model;
  std::function<void(int64_t done, int64_t total)> progress;
};

struct ClassifySummary {
  int64_t run_id = 0;
  std::string source;
  int64_t issues = 0, failures = 0, not_failures = 0;
  double threshold = 0;
  bool calibrated = false;
  bool stale_calibration = false;  // the saved calibration was learnt with other rules: not used
  int64_t uncertain = 0;       // below the threshold
  int64_t routed = 0;          // sent to the LLM
  int64_t answered = 0;        // the LLM's label was used
  int64_t needs_review = 0;    // uncertain and not answered
  std::vector<std::pair<std::string, int64_t>> llm_rejections;  // why answers were not used, counted
  std::vector<std::pair<std::string, int64_t>> uncertain_by_dimension;  // the least confident dimension
};

ClassifySummary classify_issues(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                                const ClassifyOptions& options);

struct CalibrateOptions {
  std::string gold = "gold";   // selector of the labelled source
  double max_route = 0.3;      // share of issues hybrid routing may send to the LLM
  int bins = 5;
  std::vector<std::string> argv;
};

struct CalibrationReport {
  int64_t run_id = 0;
  int64_t issues = 0;                     // labelled issues with text
  std::vector<Calibration> calibrations;  // stage, symptom, root_cause
  std::vector<std::pair<std::string, double>> accuracy;  // top-level accuracy per dimension
  double threshold = 0;                   // issue confidence below which hybrid routes
  double routed_share = 0;                // share of the labelled issues below it
  double accuracy_kept = 0;               // mean top-level accuracy of the issues not routed
};

// Classifies the gold-labelled issues, learns margin -> accuracy per dimension, and the routing
// threshold; saves them (table calibrations) for later `classify` runs.
CalibrationReport calibrate(Store& store, const Taxonomy& taxonomy, const RuleSet& rules,
                            const CalibrateOptions& options);
// The latest saved calibration for the taxonomy, if it was learnt with these rules: one learnt
// with other rules says nothing about them (margins mean other things), so it comes back empty
// and marked stale.
struct SavedCalibration {
  std::vector<Calibration> calibrations;  // stage, symptom, root_cause; empty if none or stale
  double threshold = -1;                  // the routing threshold; -1 if none or stale
  bool stale = false;                     // there is one, learnt with other rules
};
SavedCalibration load_calibrations(Store& store, const Taxonomy& taxonomy, const RuleSet& rules);

std::string evidence_json(const Classification& c, const std::string& rules_hash);

}  // namespace firstmile
