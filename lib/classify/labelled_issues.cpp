// classify/labelled_issues.cpp — gold labels of the issues with text, as features and examples.
#include "classify/labelled_issues.h"

#include <map>
#include <set>

#include "base/error.h"
#include "classify/rules.h"
#include "labels/source_labels.h"
#include "store/label_rows.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

std::vector<LabelledIssue> labelled_issues(Store& store, const Taxonomy& taxonomy, const LabelledIssueQuery& query,
                                           const std::string& command) {
  std::set<int64_t> excluded;
  if (!query.except.empty()) {
    const std::string except = resolve_source(store, query.except);
    for (const auto& [key, f] : load_source_labels(store, except, direct_resolver(taxonomy)))
      excluded.insert(key.first);
  }
  std::map<int64_t, std::pair<GoldLabel, std::string>> gold_of;
  for (const LabelRow& row : first_failure_labels(store, taxonomy.id())) {
    if (!source_matches(query.gold, row.source) || excluded.count(row.issue_id)) continue;
    std::string group = row.repository;
    if (query.group_by == "issue")
      group = row.url.empty() ? row.repository + "#" + std::to_string(row.number) : row.url;
    gold_of[row.issue_id] = {{row.stage, row.symptom, row.root_cause}, group};
  }
  std::vector<LabelledIssue> out;
  for (const auto& [id, labels] : gold_of) {
    if (std::optional<IssueText> t = store.issue_text(id))
      out.push_back({extract_features(t->title, t->body, t->comments), labels.first, labels.second});
  }
  if (out.empty()) {
    throw Error(command + ": no issues with text labelled by '" + query.gold + "' under taxonomy " + taxonomy.id() +
                (query.except.empty() ? "" : " outside the issues of '" + query.except + "'") +
                " (import issue text and labels first)");
  }
  return out;
}

TrainingExample training_example(const LabelledIssue& issue, const RuleSet& rules, const Taxonomy& taxonomy) {
  std::vector<std::string> rule_ids;
  for (const RuleHit& h : rules.match(issue.features)) rule_ids.push_back(h.rule->id);
  TrainingExample e;
  e.tokens = model_tokens(issue.features, rule_ids);
  const std::pair<const char*, const std::string*> labels[] = {
      {"stage", &issue.gold.stage}, {"symptom", &issue.gold.symptom}, {"root_cause", &issue.gold.root_cause}};
  for (const auto& [dimension, label] : labels) {
    if (label->empty()) continue;
    if (const TaxonomyNode* n = taxonomy.find(*label)) e.labels[dimension] = taxonomy.ancestor_at_level(*n, 1).id;
  }
  return e;
}

}  // namespace firstmile
