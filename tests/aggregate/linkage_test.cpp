// Tests of aggregate/linkage.h: average linkage stops a chain of look-alike pairs, keeps groups
// that are alike throughout, and counts an LLM's answer as the pair's score.
#include <doctest/doctest.h>

#include "aggregate/grouping.h"
#include "aggregate/linkage.h"

using namespace firstmile;

namespace {

PairDecision linking(size_t a, size_t b, double score, bool by_llm = false) {
  PairDecision d;
  d.a = a;
  d.b = b;
  d.score = score;
  d.linked = true;
  d.by_llm = by_llm;
  return d;
}

std::vector<bool> linked(const std::vector<PairDecision>& decisions) {
  std::vector<bool> out;
  for (const PairDecision& d : decisions) out.push_back(d.linked);
  return out;
}

}  // namespace

TEST_CASE("a chain of pairs stops where its groups are unlike on average") {
  // 0-1-2-3 each 0.9 apart, no other pair: {0,1} (0.9), {0,1,2} (0.9 over 2 pairs = 0.45),
  // then 3 against the three (0.9 over 3 = 0.3) is below 0.4.
  std::vector<ScoredPair> scores = {{0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}};
  std::vector<PairDecision> d = {linking(0, 1, 0.9), linking(1, 2, 0.9), linking(2, 3, 0.9)};
  join_by_average(4, scores, 0.4, d);
  // Ties go by report index: 0-1 first, then 1-2, then 2-3.
  CHECK(linked(d) == std::vector<bool>{true, true, false});
  CHECK(d[2].reason == "not joined: its two groups (3 and 1 reports) score 0.300 on average, below 0.400");
  // Single linkage's answer at a floor of 0.3 and below: the whole chain.
  std::vector<PairDecision> all = {linking(0, 1, 0.9), linking(1, 2, 0.9), linking(2, 3, 0.9)};
  join_by_average(4, scores, 0.3, all);
  CHECK(linked(all) == std::vector<bool>{true, true, true});
  CHECK(connected_groups(4, all) == std::vector<std::vector<size_t>>{{0, 1, 2, 3}});
  CHECK(connected_groups(4, d) == std::vector<std::vector<size_t>>{{0, 1, 2}});
}

TEST_CASE("groups alike throughout are joined, the best pairs go first") {
  // Two tight pairs {0,1} and {2,3}, alike across (0.6 each of the four cross pairs), and a
  // look-alike 4 that only resembles 3.
  std::vector<ScoredPair> scores = {{0, 1, 0.95}, {2, 3, 0.9}, {0, 2, 0.6}, {0, 3, 0.6},
                                    {1, 2, 0.6},  {1, 3, 0.6}, {3, 4, 0.7}};
  std::vector<PairDecision> d = {linking(3, 4, 0.7), linking(0, 2, 0.6), linking(0, 1, 0.95), linking(2, 3, 0.9)};
  join_by_average(5, scores, 0.5, d);
  // 0-1, 2-3, then 3-4 ({2,3} and 4: 0.7 / 2 = 0.35, turned down), then 0-2 (2.4 / 4 = 0.6).
  CHECK(linked(d) == std::vector<bool>{false, true, true, true});
  CHECK(connected_groups(5, d) == std::vector<std::vector<size_t>>{{0, 1, 2, 3}});
}

TEST_CASE("an LLM's answer counts as the pair's score: 1 for same") {
  // 0-1 linked by the LLM at a score of 0.2; 1-2 by the score at 0.9. Counted as 1, 0-1 goes
  // first, and {0,1} against 2 is (0 + 0.9) / 2 = 0.45.
  std::vector<ScoredPair> scores = {{0, 1, 1.0}, {1, 2, 0.9}};
  std::vector<PairDecision> d = {linking(1, 2, 0.9), linking(0, 1, 0.2, /*by_llm=*/true)};
  join_by_average(3, scores, 0.4, d);
  CHECK(linked(d) == std::vector<bool>{true, true});
  std::vector<PairDecision> strict = {linking(1, 2, 0.9), linking(0, 1, 0.2, /*by_llm=*/true)};
  join_by_average(3, scores, 0.5, strict);
  CHECK(linked(strict) == std::vector<bool>{false, true});
}

TEST_CASE("pairs not linked are left as they are") {
  std::vector<ScoredPair> scores = {{0, 1, 0.3}};
  PairDecision no = linking(0, 1, 0.3);
  no.linked = false;
  std::vector<PairDecision> d = {no};
  join_by_average(2, scores, 0.1, d);
  CHECK_FALSE(d[0].linked);
  CHECK(d[0].reason.empty());
}
