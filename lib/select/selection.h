// select/selection.h — the selection funnel: from every mined issue to the failure reports.
//
//   FailureFilter keywords = FailureFilter::load();          // taxonomy/selection.json
//   RuleClassifier relevance(taxonomy, rules);
//   SelectionSummary s = select_issues(store, keywords, &relevance, {.name = "default"});
//   Funnel f = load_funnel(store, "default");
//   f.total.counts[step_index(SelectionStep::kKeyword)]      // issues that passed the keyword filter
//
// The study went from 5,302 mined issues to 2,176 by a keyword filter, to 1,180 after screening
// titles and bodies, to 705 failures after reading whole threads. These are the automatic steps,
// in order; an issue leaves at the first step it fails:
//   1 mined          every issue with text (title known), within --repo/--since/--until
//   2 issue          not a pull request
//   3 keyword        the keyword filter (FailureFilter) on title, body and labels
//   4 failure report the rule classifier's relevance decision, or the is_failure of an annotation
//                    source (`by_source`: an issue it did not label is not a failure report;
//                    an unknown is_failure counts as one, as gold datasets hold failures only)
//   5 not duplicate  not a duplicate of another issue that reached step 4
// An issue is marked duplicate by a 'marked_as_duplicate' timeline event, state_reason
// 'duplicate', a 'duplicate' label (which 'not_planned' duplicates carry), or a comment saying
// "Duplicate of #N". Its original is the issue that comment names, else the first issue its
// comments refer to that reached step 4 ("same as #12"). A duplicate whose original is unknown or
// did not reach step 4 stays in: dropping it would lose the report.
//
// A run replaces the named selection's rows (table selections) in one transaction and records a
// run whose summary holds the options and the funnel. Same database, same options: same rows.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "select/funnel.h"

namespace firstmile {

class FailureFilter;
class RuleClassifier;
class Store;

struct SelectionOptions {
  std::string name = "default";
  std::string by_source = {};                  // annotation source (selector) deciding step 4; empty: the rules
  std::vector<std::string> repositories = {};  // OWNER/NAME; empty: all
  std::string since = {}, until = {};          // on created_at (ISO 8601; a date prefix bounds whole days)
  bool keyword_step = true;                    // false: step 3 keeps every issue
  bool failure_step = true;                    // false: step 4 keeps every issue
  bool duplicate_step = true;                  // false: step 5 keeps every issue
  std::vector<std::string> argv = {};
};

struct SelectionSummary {
  Funnel funnel;
  int64_t duplicates_kept = 0;  // marked duplicate, but the original is unknown or not selected
};

// `relevance` decides step 4 unless options.by_source is set (then it may be null).
// Throws Error for a bad --repo or when step 4 has nothing to decide with.
SelectionSummary select_issues(Store& store, const FailureFilter& keywords, const RuleClassifier* relevance,
                               const SelectionOptions& options);

// What `firstmile select` prints: the funnel table, and the duplicates that stayed in.
void print_selection_summary(const SelectionSummary& summary, std::ostream& out);

}  // namespace firstmile
