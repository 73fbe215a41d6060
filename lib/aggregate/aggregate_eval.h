// aggregate/aggregate_eval.h — `firstmile aggregate eval`: an aggregation against gold incidents.
//
//   AggregationScores s = evaluate_aggregation(store, "default", "storms/incidents.csv");
//   print_aggregation_scores(s, std::cout);              // a line and a table
//   std::cout << aggregation_scores_json(s).dump(2);      // or JSON
//
// The gold is a CSV of (issue URL or OWNER/NAME#N, incident) rows, or "duplicates": issues
// joined by the "Duplicate of ..." comments mined from GitHub (base/issue_references.h,
// duplicate_of) and by the "marked as duplicate" events that name the original (`mine
// --cross-references` through GraphQL); a mark undone later unjoins its pair. Scores are COLA's
// pairwise precision, recall and F1 over the issues the gold names, and the purity of the
// predicted groups; with the candidate pairs' scores, Recall@k and candidate recall as the
// duplicate-detection literature reports them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;

// Pairwise precision, recall and F1 and purity of predicted groups against gold incidents;
// `gold[i]` and `predicted[i]` label report i (0: in no incident).
struct PairwiseScores {
  int64_t reports = 0, gold_pairs = 0, predicted_pairs = 0, true_pairs = 0;
  double precision = 0, recall = 0, f1 = 0, purity = 0;
  int64_t gold_incidents = 0, predicted_incidents = 0;
};
PairwiseScores pairwise_scores(const std::vector<int64_t>& gold, const std::vector<int64_t>& predicted);

// Gold incidents by issue id: from the CSV (incident 0 or empty: in none; names that are not
// numbers get numbers of their own; issues not in the database are left out; the first row of
// an issue listed twice counts), or for "duplicates" the groups the duplicate comments and
// marks join (each named by its smallest issue id), every other report in none.
std::map<int64_t, int64_t> load_gold_incidents(Store& store, const std::string& gold);
// The incident number of every member of the aggregation `name` (0 for the rest is implied);
// throws Error when there is no such aggregation.
std::map<int64_t, int64_t> load_predicted_incidents(Store& store, const std::string& name);

// Duplicate-detection metrics of the candidate pairs and their scores (`aggregate --pairs-out`):
// Recall@k, of the gold reports that have a gold partner, the share with one among their k
// best-scored candidates; candidate recall, the share of gold pairs that are candidates at all.
struct RankingScores {
  int64_t reports_with_partner = 0, gold_pairs = 0, candidate_gold_pairs = 0;
  double recall_at_1 = 0, recall_at_5 = 0, recall_at_10 = 0, candidate_recall = 0;
};

struct AggregationScores {
  std::string name;  // the aggregation
  std::string gold;  // as given
  PairwiseScores scores;
  std::optional<RankingScores> ranking;  // with a pairs file
};
// Throws Error when the gold names no issue of the database. With `pairs` (a CSV `aggregate
// --pairs-out` wrote: issue_a, issue_b, score, ...), also the ranking scores; a row naming an
// issue the database does not know is an Error naming the file and line.
AggregationScores evaluate_aggregation(Store& store, const std::string& name, const std::string& gold,
                                       const std::string& pairs = "");

void print_aggregation_scores(const AggregationScores& scores, std::ostream& out);
nlohmann::json aggregation_scores_json(const AggregationScores& scores);

}  // namespace firstmile
