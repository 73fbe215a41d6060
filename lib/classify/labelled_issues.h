// classify/labelled_issues.h — the labelled reports learning reads: text features and gold labels.
//
//   std::vector<LabelledIssue> issues = labelled_issues(store, taxonomy, {.gold = "gold"}, "calibrate");
//   issues[0].features.error_lines; issues[0].gold.symptom; issues[0].group  // "qwenlm/qwen3"
//   TrainingExample e = training_example(issues[0], rules, taxonomy);       // for the text model
//
// `firstmile calibrate` and `firstmile train` learn from the same thing: every issue with text
// that a labelled source (a selector such as 'gold') labelled, the first failure of each, in
// issue order. The group is what a cross-validation fold keeps together: the repository, or
// the issue itself (its link). `except` leaves out the issues another source labelled, so a
// model never learns from the reports it will be evaluated on.
#pragma once

#include <string>
#include <vector>

#include "classify/features.h"
#include "classify/text_model.h"

namespace firstmile {

class Store;
class Taxonomy;
class RuleSet;

struct GoldLabel {
  std::string stage, symptom, root_cause;  // node ids; "" when not labelled
};

struct LabelledIssue {
  IssueFeatures features;
  GoldLabel gold;
  std::string group;
};

struct LabelledIssueQuery {
  std::string gold = "gold";            // selector of the labelled source
  std::string group_by = "repository";  // or "issue"
  std::string except{};                 // selector of a source whose issues are left out ("" none)
};

// Throws Error, prefixed with `command`, when no issue with text is labelled by the source.
std::vector<LabelledIssue> labelled_issues(Store& store, const Taxonomy& taxonomy, const LabelledIssueQuery& query,
                                           const std::string& command);

// Its tokens (with the rules that fire on it) and its top-level labels.
TrainingExample training_example(const LabelledIssue& issue, const RuleSet& rules, const Taxonomy& taxonomy);

}  // namespace firstmile
