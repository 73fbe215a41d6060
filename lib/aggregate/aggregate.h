// aggregate/aggregate.h — failure reports grouped into incidents: `firstmile aggregate`.
//
//   AggregateSummary s = aggregate_reports(store, taxonomy, {.window_days = 14});
//   s.reports, s.candidate_pairs, s.linked_pairs, s.incidents, s.routed
//
// COLA's alert aggregation applied to issue storms, in four steps:
// 1. Blocking, never all n² pairs: reports are keyed by their normalised error signature,
//    the library versions they name (transformers 4.45, vllm 0.5.3, flash-attn, CUDA, ...)
//    and their rarest title words; only reports sharing a key and created within
//    `window_days` of each other become candidate pairs (at most `max_neighbours` per report
//    and key), so the work grows with n, not n².
// 2. Correlation evidence per pair: temporal co-occurrence of the two signatures across
//    windows (how often they appear together versus apart), "spatial" closeness (same
//    repository, model, library version, stage, root cause), and text similarity (TF-IDF
//    cosine of titles and error signatures). Combined into a score p in [0, 1] with a
//    confidence |p - 0.5| * 2.
// 3. Decision: confident pairs by the score; in hybrid mode the uncertain ones (confidence
//    below `threshold`) go to an LLM (`ask`), which reasons with the knowledge file — the
//    other pairs never cost a call. Unanswered pairs fall back to the score.
// 4. Incidents: connected groups of linked pairs (union-find), each with its members, time
//    span, repositories, dominant signature and root cause, and a one-line title.
// Written under `name` in one transaction (replacing an earlier run of that name).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace firstmile {

class Store;
class Taxonomy;

// One report as the aggregation sees it.
struct AggregateReport {
  int64_t issue_id = 0;
  std::string repository;  // OWNER/NAME
  std::string series, model;
  int64_t number = 0;
  std::string url, title, created_at;
  int64_t created = 0;     // epoch seconds
  std::string signature;   // normalised error signature ("" when the report shows no error)
  std::vector<std::string> error_lines;
  std::vector<std::string> libraries;  // "transformers 4.45.0", lower case, as precise as the report
  std::vector<std::string> models;     // model families the title and opening name: "qwen2.5", "llama"
  std::string stage, root_cause;       // labels from the chosen source ("" if none)
  std::string excerpt;                 // the prose, trimmed
};

enum class PairRoute { kRules, kHybrid, kLlm };

struct PairQuestion {
  const AggregateReport* a = nullptr;
  const AggregateReport* b = nullptr;
  double score = 0;
};
struct PairAnswer {
  bool ok = false;      // false: no usable answer (the score decides)
  bool same = false;
  std::string reason;   // the LLM's, or why there is no answer
};
using PairAsk = std::function<std::vector<PairAnswer>(const std::vector<PairQuestion>&)>;

struct AggregateOptions {
  std::string name = "default";
  double window_days = 14;
  PairRoute route = PairRoute::kRules;
  double threshold = 0.3;        // hybrid: pairs less confident than this go to the LLM
  std::string source;            // labels used ("" = the rules' if there are any, "none" = none)
  int max_neighbours = 40;       // per report and blocking key
  std::vector<std::string> argv;
  PairAsk ask;                   // null: no LLM endpoint
  std::string llm_model;
  std::function<void(const std::string& phase, int64_t done, int64_t total)> progress;
};

struct AggregateSummary {
  int64_t run_id = 0;
  std::string label_source;
  int64_t reports = 0;
  int64_t candidate_pairs = 0;
  int64_t uncertain_pairs = 0;
  int64_t routed = 0;          // sent to the LLM
  int64_t answered = 0;        // decided by the LLM's answer
  int64_t linked_pairs = 0;
  int64_t incidents = 0;       // groups of two or more reports
  int64_t reports_in_incidents = 0;
  int64_t largest = 0;
};

AggregateSummary aggregate_reports(Store& store, const Taxonomy& taxonomy, const AggregateOptions& options);

// The pure part, for tests and benchmarks: reports in, pair decisions and groups out.
struct PairDecision {
  size_t a = 0, b = 0;  // indexes into the reports
  double score = 0;
  bool linked = false;
  bool by_llm = false;
  std::string reason;
};
struct Grouping {
  int64_t candidates = 0;                    // candidate pairs scored
  std::vector<PairDecision> pairs;           // the linked and the uncertain ones, decided
  std::vector<std::vector<size_t>> groups;   // incidents: two or more reports each
  int64_t uncertain = 0, routed = 0, answered = 0;
};
Grouping group_reports(const std::vector<AggregateReport>& reports, const AggregateOptions& options);

class LlmClient;
class PairJudge;
// Uncertain pairs to a real endpoint: each pair becomes the judge's question (the two reports
// with their errors, libraries and labels), all go through the client (cached, budgeted, N in
// flight), and each answer is read strictly; a rejected or failed one is no answer.
PairAsk llm_pair_asker(LlmClient& client, const PairJudge& judge);

// Model families named in a text, lower case: "Qwen2.5-7B-Instruct" -> "qwen2.5".
std::vector<std::string> model_mentions(const std::string& text);

// Library versions named in a text: "transformers==4.45.0" -> "transformers 4.45.0".
std::vector<std::string> library_versions(const std::string& text);

// Pairwise precision, recall and F1 (COLA's metric) and purity of predicted groups against
// gold incidents; `gold[i]` and `predicted[i]` label report i (0: in no incident).
struct PairwiseScores {
  int64_t reports = 0, gold_pairs = 0, predicted_pairs = 0, true_pairs = 0;
  double precision = 0, recall = 0, f1 = 0, purity = 0;
  int64_t gold_incidents = 0, predicted_incidents = 0;
};
PairwiseScores pairwise_scores(const std::vector<int64_t>& gold, const std::vector<int64_t>& predicted);

}  // namespace firstmile

namespace firstmile {

// Gold incidents for `aggregate eval`: from a CSV of (url or OWNER/NAME#N, incident) rows
// (incident 0 or empty: in none), or "duplicates": groups of issues joined by the "Duplicate of
// #N" comments mined from GitHub. Keys are issue ids; issues the gold does not name are left out.
std::map<int64_t, int64_t> load_gold_incidents(Store& store, const std::string& gold);
// The incident number of every member of the aggregation `name` (0 for the rest is implied).
std::map<int64_t, int64_t> load_predicted_incidents(Store& store, const std::string& name);

}  // namespace firstmile
