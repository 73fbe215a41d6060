// labels/evaluation_report.h — an Evaluation as terminal tables, JSON and CSV files.
//
//   print_evaluation(e, {.dimension = "symptom", .level = 1, .disagreements = 20}, std::cout);
//   write_evaluation_csvs(e, "eval/");   // summary.csv, per_class.csv, confusion_*.csv, ...
//
// Numbers are printed with fixed decimals and rows in a fixed order, so the files of two runs
// on the same database are byte for byte the same.
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "labels/evaluation.h"

namespace firstmile {

struct EvaluationPrintOptions {
  std::string dimension = "symptom";  // the per-class table, confusion matrix and disagreements
  int level = 1;
  size_t disagreements = 20;  // at most this many listed
};

void print_evaluation(const Evaluation& e, const EvaluationPrintOptions& options, std::ostream& out);
// One row per dimension and level: n, accuracy, macro-F1, kappa.
void print_evaluation_summary_csv(const Evaluation& e, std::ostream& out);
// The summaries of evaluate_by_language side by side: per language, the issues compared and a
// row per dimension and level.
void print_evaluation_by_language(const std::vector<Evaluation>& by_language, std::ostream& out);
// evaluation_to_json of each, in a list.
nlohmann::json evaluations_to_json(const std::vector<Evaluation>& evaluations);
nlohmann::json evaluation_to_json(const Evaluation& e);

// Writes summary.csv, coverage.csv, per_class.csv, disagreements.csv and one
// confusion_<dimension>_l<level>.csv per dimension and level; returns the files written.
std::vector<std::filesystem::path> write_evaluation_csvs(const Evaluation& e, const std::filesystem::path& dir);

}  // namespace firstmile
