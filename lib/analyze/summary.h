// analyze/summary.h — `firstmile summary`: counts by series, model, stage, symptom and root cause.
//
//   LabelView view(store, taxonomy, {});
//   Summary s = summarize(store, view, {.source = "gold"});
//   print_summary_table(s, std::cout);   // or summary_to_json(s), print_summary_csv(s, out)
//
// Counts are of annotations (one per failure; an issue with two failures counts twice), at
// the top level of each taxonomy dimension. Every category of the taxonomy is listed, in
// taxonomy order, including those with no annotation.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;
class LabelView;

struct SummaryOptions {
  std::string source;               // selector; empty: the store's default source
  std::vector<std::string> series;  // filters; empty: all
  std::vector<std::string> models;
};

struct CategoryCount {
  std::string id;  // node id, or the series/model name
  std::string name;
  int64_t count = 0;
};

struct SummaryTable {
  std::string dimension;  // "series", "model", "stage", "symptom", "root_cause"
  std::string title;      // "Series", "Symptom", ...
  std::vector<CategoryCount> rows;
  int64_t unlabelled = 0;  // annotations without a label in this dimension
};

struct Summary {
  std::string source;
  std::string taxonomy;
  int64_t annotations = 0;
  int64_t issues = 0;
  int64_t unmapped = 0;
  std::vector<SummaryTable> tables;
  // Reactions on the issues counted and their comments (store.reaction_totals).
  int64_t issues_with_reactions = 0, issue_reactions = 0, comment_reactions = 0;
};

Summary summarize(Store& store, LabelView& view, const SummaryOptions& options);

void print_summary_table(const Summary& summary, std::ostream& out);
void print_summary_csv(const Summary& summary, std::ostream& out);
nlohmann::ordered_json summary_to_json(const Summary& summary);

}  // namespace firstmile
