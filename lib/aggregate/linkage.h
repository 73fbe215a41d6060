// aggregate/linkage.h — which linking pairs join their groups: average linkage over the
// candidate pairs' scores, so that one look-alike pair does not chain two incidents into one.
//
//   std::vector<ScoredPair> scores = ...;        // every candidate pair worth counting
//   join_by_average(reports.size(), scores, 0.4, decisions);
//   // decisions[k].linked is now false for a pair whose two groups are unlike on average
//
// Linking pairs (`linked`: by the score or by the LLM) are taken best first (an LLM's "same"
// counts as 1); each joins its two groups only when the mean score over every pair of reports
// across them is at least `minimum`, a pair that is not among `scores` counting 0; a pair turned
// down is no longer linked, and its reason (after any it had) says why. A pair whose reports
// are in one group already stays linked. Sums between groups are kept per group and
// merged as groups join, so the work grows with the pairs touching linked reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "aggregate/grouping.h"

namespace firstmile {

struct ScoredPair {
  uint32_t a = 0, b = 0;  // report indexes
  double score = 0;       // an LLM's answer where it decided: 1 same, 0 different
};

void join_by_average(size_t reports, const std::vector<ScoredPair>& scores, double minimum,
                     std::vector<PairDecision>& decisions);

}  // namespace firstmile
