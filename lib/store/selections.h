// store/selections.h — the selection funnel's rows: where each issue in scope stopped, by name.
//
//   replace_selection(store, "default", rows, run_id);     // in the caller's transaction
//   std::optional<SelectionRun> run = last_selection_run(store, "default");
//   for (const SelectionStepCount& c : selection_step_counts(store, "default")) ...
//   std::set<int64_t> marked = issues_marked_duplicate_in_timeline(store);
//
// A selection is written by one `select` run, whose summary holds its name and options (runs
// table); its rows say which step each issue reached (1 mined ... 5 not duplicate) and, for an
// issue that left, why (JSON). The tables are in docs/schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace firstmile {

class Store;

struct SelectionRow {
  int64_t issue_id = 0;
  int64_t step_reached = 1;
  std::optional<std::string> excluded_by;  // JSON {"step": ..., "reason": ...}; none: selected
};

// Replaces the rows of selection `name` with `rows`, recorded as written by `run_id`.
void replace_selection(Store& store, const std::string& name, const std::vector<SelectionRow>& rows, int64_t run_id);

struct SelectionRun {
  int64_t run_id = 0;
  std::string options;  // JSON: what the run was asked; "{}" when it says nothing
};

// The successful `select` run that last wrote selection `name`, even one that found no issue.
std::optional<SelectionRun> last_selection_run(Store& store, const std::string& name);
// The names of the selections written, sorted.
std::vector<std::string> selection_names(Store& store);

struct SelectionStepCount {
  std::string repository;  // "owner/name"
  int64_t step_reached = 1;
  int64_t issues = 0;
};

// Issues per repository and step reached, by repository (without case) and step.
std::vector<SelectionStepCount> selection_step_counts(Store& store, const std::string& name);

// Issues with a 'marked_as_duplicate' event in their stored timeline or among the repository's
// issue events.
std::set<int64_t> issues_marked_duplicate_in_timeline(Store& store);

}  // namespace firstmile
