// select/funnel.h — the selection's steps and the count of issues that reached each, per repository.
//
//   Funnel f = load_funnel(store, "default");
//   f.total.counts[step_index(SelectionStep::kKeyword)]      // issues that passed the keyword filter
//   print_funnel_table(f, std::cout);
//
// select_issues (selection.h) writes a funnel with every selection it makes; load_funnel reads
// the last one back from the run that wrote it.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;

enum class SelectionStep { kMined = 1, kIssue, kKeyword, kFailureReport, kNotDuplicate };
inline constexpr int kSelectionSteps = 5;
constexpr size_t step_index(SelectionStep step) { return static_cast<size_t>(step) - 1; }
const char* step_id(SelectionStep step);     // "mined", "issue", "keyword", "failure_report", "not_duplicate"
const char* step_title(SelectionStep step);  // "mined", "issues (not PRs)", "keyword", ...

using StepCounts = std::array<int64_t, kSelectionSteps>;  // issues that reached each step

struct FunnelRow {
  std::string repository;  // OWNER/NAME
  StepCounts counts{};
};

struct Funnel {
  std::string name;
  int64_t run_id = 0;
  std::string options;                  // JSON: what the run was asked (keywords, source, filters)
  std::vector<FunnelRow> repositories;  // by name
  FunnelRow total;                      // repository "total"
};

// The funnel of the named selection as last written. Throws Error naming the selections there
// are when `name` has none.
Funnel load_funnel(Store& store, const std::string& name);

// The funnel for a paper: one row per repository and a total, one column per step.
void print_funnel_table(const Funnel& funnel, std::ostream& out);  // with each step's share of mined
void print_funnel_csv(const Funnel& funnel, std::ostream& out);
nlohmann::json funnel_to_json(const Funnel& funnel);
// In `format`: "table", "csv" or "json" (indented).
void print_funnel(const Funnel& funnel, const std::string& format, std::ostream& out);

}  // namespace firstmile
