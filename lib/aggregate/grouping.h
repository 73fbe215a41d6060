// aggregate/grouping.h — reports in, pair decisions and incidents out (no store involved).
//
//   GroupingOptions o;  o.window_days = 14;  o.route = PairRoute::kHybrid;  o.ask = asker;
//   Grouping g = group_reports(reports, knowledge, o);
//   g.candidates, g.pairs (the linked and the decided ones), g.groups (incidents: report indexes)
//
// 1. Blocking, never all n² pairs: reports sharing a key (error signature, library version,
//    one of their rarest title or body words, a known breaking change; see similarity.h)
//    become candidate pairs, the nearest in time first, at most `max_neighbours` per report
//    and key, so the work grows with n, not n². Time is evidence in the score, not a wall
//    (unless `max_days_apart` sets one).
// 2. Each candidate pair is scored (similarity.h): p in [0, 1], confidence |p - 0.5| * 2.
// 3. Decision: confident pairs by the score; on the hybrid route the uncertain ones (confidence
//    below `threshold`) go to `ask` (an LLM, see pair_judge.h), on the llm route every pair
//    does. The other pairs never cost a call. A pair without a usable answer keeps the score.
// 4. Incidents: with `average_link_min_score` in similarity.json, the linked pairs, best first,
//    join their groups only when the two are alike on average (linkage.h; a pair turned down
//    is no longer linked, its reason says why); then the connected groups of linked pairs
//    (union-find) of two or more reports, the largest first, then by first report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "aggregate/report.h"
#include "aggregate/similarity.h"

namespace firstmile {

class SimilarityKnowledge;

enum class PairRoute { kRules, kHybrid, kLlm };

struct PairQuestion {
  const AggregateReport* a = nullptr;
  const AggregateReport* b = nullptr;
  double score = 0;
};
struct PairAnswer {
  bool ok = false;  // false: no usable answer (the score decides)
  bool same = false;
  std::string reason;  // the LLM's, or why there is no answer
};
using PairAsk = std::function<std::vector<PairAnswer>(const std::vector<PairQuestion>&)>;

struct GroupingOptions {
  double window_days = 14;     // the time scale of "close in time" and of bursts
  double max_days_apart = 0;   // candidates at most this far apart; 0: no limit (time weighs in the score)
  PairRoute route = PairRoute::kRules;
  double threshold = 0.3;   // hybrid: pairs less confident than this go to the LLM
  int max_neighbours = 20;  // per report and blocking key
  PairAsk ask;              // null: no LLM endpoint
  std::function<void(const std::string& phase, int64_t done, int64_t total)> progress;
  // Called for every candidate pair scored, with its evidence and whether it is linked as one
  // known cause (`aggregate --pairs-out`).
  std::function<void(size_t a, size_t b, const PairEvidence& evidence, double score, bool known_cause)> on_pair;
};

struct PairDecision {
  size_t a = 0, b = 0;  // indexes into the reports
  double score = 0;
  bool linked = false;
  bool by_llm = false;
  bool by_knowledge = false;  // linked as one known cause (SimilarityKnowledge::known_change_links)
  std::string reason;
};

struct Grouping {
  int64_t candidates = 0;                   // candidate pairs scored
  std::vector<PairDecision> pairs;          // the linked and the uncertain ones, decided
  std::vector<std::vector<size_t>> groups;  // incidents: two or more reports each
  int64_t uncertain = 0, routed = 0, answered = 0;
};

Grouping group_reports(const std::vector<AggregateReport>& reports, const SimilarityKnowledge& knowledge,
                       const GroupingOptions& options);

// Step 1 alone: candidate pairs as (a << 32 | b) with a < b, sorted, each once; with
// `neighbours`, also each report with each of its nearest by shared rare words.
std::vector<uint64_t> candidate_pairs(const std::vector<AggregateReport>& reports,
                                      std::vector<std::vector<std::string>> keys, const GroupingOptions& options,
                                      const std::vector<std::vector<uint32_t>>* neighbours = nullptr);

// Step 4 alone: the groups of two or more that `pairs` link (see Grouping::groups).
std::vector<std::vector<size_t>> connected_groups(size_t reports, const std::vector<PairDecision>& pairs);

}  // namespace firstmile
