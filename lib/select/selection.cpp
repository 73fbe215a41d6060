// select/selection.cpp — the funnel's steps over the store, and the rows they leave.
#include "select/selection.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "base/error.h"
#include "base/issue_references.h"
#include "base/json_file.h"
#include "base/text.h"
#include "classify/classifier.h"
#include "dataset/preset.h"
#include "select/failure_filter.h"
#include "store/issue_scope.h"
#include "store/label_rows.h"
#include "store/selections.h"
#include "store/store.h"

namespace firstmile {

namespace {

using nlohmann::json;

struct Candidate {
  int64_t id = 0;
  int64_t repository_id = 0;
  std::string owner, name;
  int64_t number = 0;
  std::string title, body, state_reason;
  std::vector<std::string> labels;
  bool pull_request = false;
  std::vector<std::string> comments;  // loaded for issues that pass the keyword step
  SelectionStep reached = SelectionStep::kMined;
  json excluded_by;  // null while selected

  std::string reference() const { return owner + "/" + name + "#" + std::to_string(number); }
  void exclude(SelectionStep step, json reason) {
    excluded_by = {{"step", step_id(step)}, {"reason", std::move(reason)}};
  }
  void pass(SelectionStep step) { reached = step; }
};

// Issues with text in scope, in id order.
std::vector<Candidate> load_candidates(Store& store, const SelectionOptions& options) {
  IssueScope scope{.since = options.since, .until = options.until};
  for (const std::string& full : options.repositories) scope.repositories.push_back(split_repository(full, "--repo"));
  std::vector<Candidate> out;
  for (ScopedIssue& issue : issues_in_scope(store, scope)) {
    Candidate c;
    c.id = issue.id;
    c.repository_id = issue.repository_id;
    c.owner = std::move(issue.owner);
    c.name = std::move(issue.name);
    c.number = issue.number;
    c.title = std::move(issue.title);
    c.body = std::move(issue.body);
    c.state_reason = std::move(issue.state_reason);
    json labels = json::parse(issue.labels, nullptr, false);
    if (labels.is_array()) {
      for (const json& l : labels) {
        if (l.is_string()) c.labels.push_back(l.get<std::string>());
      }
    }
    c.pull_request = issue.is_pull_request;
    out.push_back(std::move(c));
  }
  return out;
}

void load_comments(Store& store, Candidate& c) {
  if (std::optional<IssueText> text = store.issue_text(c.id)) c.comments = std::move(text->comments);
}

// Step 4 by an annotation source: issue id -> whether any of its annotations is a failure.
std::map<int64_t, bool> failure_by_source(Store& store, const std::string& selector) {
  std::map<int64_t, bool> out = issues_labelled_by(store, {selector});
  if (out.empty()) {
    std::string known;
    for (const SourceCount& s : store.sources()) known += (known.empty() ? "" : ", ") + s.source;
    throw Error("select --by-source '" + selector +
                "': no annotations from that source (sources: " + (known.empty() ? "none" : known) + ")");
  }
  return out;
}

std::string relevance_reason(const Classification& r) {
  std::string reason = "the rules judge it not a failure report";
  if (!r.relevance.hits.empty()) reason += " (" + r.relevance.hits.front().rule->id + ")";
  return reason;
}

// Which routes mark an issue as a duplicate, and the original its "Duplicate of" comment names.
struct DuplicateMark {
  std::vector<std::string> routes;  // 'timeline', 'state_reason', 'label', 'comment'
  std::optional<CommitIssueLink> named;
};

DuplicateMark duplicate_mark(const Candidate& c, const std::set<int64_t>& marked_in_timeline) {
  DuplicateMark m;
  if (marked_in_timeline.count(c.id)) m.routes.push_back("timeline");
  if (c.state_reason == "duplicate") m.routes.push_back("state_reason");
  for (const std::string& l : c.labels) {
    if (to_lower_ascii(normalize_space(l)) == "duplicate") {
      m.routes.push_back("label");
      break;
    }
  }
  for (const std::string& comment : c.comments) {
    if (std::optional<IssueLink> original = duplicate_of(comment, c.owner, c.name)) {
      m.named = CommitIssueLink{original->owner, original->name, original->number, "mentions"};
      break;
    }
  }
  if (m.named) m.routes.push_back("comment");
  return m;
}

class IssueIndex {
 public:
  IssueIndex(Store& store, const std::vector<Candidate>& candidates) : store_(store) {
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i].reached >= SelectionStep::kFailureReport)
        at_[{candidates[i].repository_id, candidates[i].number}] = i;
    }
  }
  // The candidate that reached step 4 a link names (repository names and aliases without case).
  std::optional<size_t> find(const CommitIssueLink& link) {
    std::string key = to_lower_ascii(link.owner + "/" + link.name);
    auto repo = repositories_.find(key);
    if (repo == repositories_.end())
      repo = repositories_.emplace(key, store_.find_repository(link.owner, link.name)).first;
    if (!repo->second) return std::nullopt;
    auto it = at_.find({*repo->second, link.number});
    if (it == at_.end()) return std::nullopt;
    return it->second;
  }

 private:
  Store& store_;
  std::map<std::pair<int64_t, int64_t>, size_t> at_;
  std::map<std::string, std::optional<int64_t>> repositories_;
};

// Step 5. An issue goes when its original stands for it; in a ring of issues marked duplicates of
// each other, the oldest (lowest id) stays, so the failure is counted once.
int64_t drop_duplicates(Store& store, std::vector<Candidate>& candidates) {
  std::set<int64_t> marked_in_timeline = issues_marked_duplicate_in_timeline(store);

  IssueIndex index(store, candidates);
  std::vector<std::optional<size_t>> original(candidates.size());
  std::vector<std::vector<std::string>> routes(candidates.size());
  int64_t kept = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (c.reached < SelectionStep::kFailureReport) continue;
    DuplicateMark m = duplicate_mark(c, marked_in_timeline);
    if (m.routes.empty()) continue;
    if (m.named) original[i] = index.find(*m.named);
    for (size_t k = 0; !original[i] && k < c.comments.size(); ++k) {
      for (const CommitIssueLink& link : issue_links_in_message(c.comments[k], c.owner, c.name)) {
        original[i] = index.find(link);
        if (original[i] == i) original[i].reset();
        if (original[i]) break;
      }
    }
    if (original[i] == i) original[i].reset();
    if (!original[i]) ++kept;
    routes[i] = std::move(m.routes);
  }
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!original[i]) continue;
    // Follow originals: reaching an issue that has none means i is a duplicate; coming back to i
    // means a ring, where only its lowest id stays.
    std::vector<size_t> path = {i};
    size_t at = *original[i];
    bool ring = false;
    while (original[at]) {
      if (at == i) {
        ring = true;
        break;
      }
      if (std::find(path.begin(), path.end(), at) != path.end()) break;  // a ring further on
      path.push_back(at);
      at = *original[at];
    }
    if (ring && std::all_of(path.begin(), path.end(), [&](size_t p) { return candidates[p].id >= candidates[i].id; })) {
      continue;
    }
    candidates[i].exclude(SelectionStep::kNotDuplicate,
                          {{"duplicate_of", candidates[*original[i]].reference()}, {"marked_by", routes[i]}});
  }
  return kept;
}

// Steps 2 to 4, issue by issue: an issue leaves at the first step it fails.
void pass_first_steps(Store& store, const FailureFilter& keywords, const RuleClassifier* relevance,
                      const SelectionOptions& options, std::vector<Candidate>& candidates) {
  std::map<int64_t, bool> by_source;
  if (options.failure_step && !options.by_source.empty()) by_source = failure_by_source(store, options.by_source);
  for (Candidate& c : candidates) {
    if (c.pull_request) {
      c.exclude(SelectionStep::kIssue, "pull request");
      continue;
    }
    c.pass(SelectionStep::kIssue);
    if (options.keyword_step && !keywords.matches(c.title, c.body, c.labels)) {
      c.exclude(SelectionStep::kKeyword, "no failure keyword in title, body or labels");
      continue;
    }
    c.pass(SelectionStep::kKeyword);
    load_comments(store, c);
    if (options.failure_step && !options.by_source.empty()) {
      auto it = by_source.find(c.id);
      if (it == by_source.end() || !it->second) {
        c.exclude(SelectionStep::kFailureReport, it == by_source.end() ? "not labelled by " + options.by_source
                                                                       : options.by_source + ": not a failure report");
        continue;
      }
    } else if (options.failure_step) {
      Classification r = relevance->classify(extract_features(c.title, c.body, c.comments));
      if (!r.is_failure) {
        c.exclude(SelectionStep::kFailureReport, relevance_reason(r));
        continue;
      }
    }
    c.pass(SelectionStep::kFailureReport);
  }
}

// The rows, and a run whose summary holds the options and the funnel, in one transaction.
void save_selection(Store& store, const FailureFilter& keywords, const SelectionOptions& options,
                    const std::vector<Candidate>& candidates, int64_t duplicates_kept) {
  json asked = {{"keywords", options.keyword_step ? keywords.origin() : "(step skipped)"},
                {"failure_report", !options.failure_step       ? "(step skipped)"
                                   : options.by_source.empty() ? "rules"
                                                               : "source " + options.by_source},
                {"duplicates", options.duplicate_step ? "dropped" : "(step skipped)"},
                {"repositories", options.repositories},
                {"since", options.since},
                {"until", options.until}};
  std::vector<SelectionRow> rows;
  StepCounts counts{};
  for (const Candidate& c : candidates) {
    std::optional<std::string> excluded;
    if (!c.excluded_by.is_null()) excluded = json_text(c.excluded_by);
    rows.push_back({c.id, static_cast<int64_t>(c.reached), std::move(excluded)});
    for (size_t k = 0; k < step_index(c.reached) + 1; ++k) ++counts[k];
  }
  json funnel = json::object();
  for (int s = 1; s <= kSelectionSteps; ++s) {
    funnel[step_id(static_cast<SelectionStep>(s))] = counts[static_cast<size_t>(s - 1)];
  }
  Transaction tx(store.db());
  int64_t run_id = store.begin_run("select", options.argv, nullptr);
  replace_selection(store, options.name, rows, run_id);
  store.finish_run(
      run_id, "ok",
      json_text(json{
          {"name", options.name}, {"options", asked}, {"funnel", funnel}, {"duplicates_kept", duplicates_kept}}));
  tx.commit();
}

}  // namespace

SelectionSummary select_issues(Store& store, const FailureFilter& keywords, const RuleClassifier* relevance,
                               const SelectionOptions& options) {
  if (options.name.empty()) throw Error("select: the selection needs a name (--name)");
  if (options.failure_step && options.by_source.empty() && !relevance) {
    throw Error("select: step 4 needs the rule classifier or an annotation source (--by-source)");
  }
  std::vector<Candidate> candidates = load_candidates(store, options);
  pass_first_steps(store, keywords, relevance, options, candidates);
  SelectionSummary summary;
  if (options.duplicate_step) summary.duplicates_kept = drop_duplicates(store, candidates);
  for (Candidate& c : candidates) {
    if (c.reached == SelectionStep::kFailureReport && c.excluded_by.is_null()) c.pass(SelectionStep::kNotDuplicate);
  }
  save_selection(store, keywords, options, candidates, summary.duplicates_kept);
  summary.funnel = load_funnel(store, options.name);
  return summary;
}

void print_selection_summary(const SelectionSummary& s, std::ostream& out) {
  print_funnel_table(s.funnel, out);
  if (s.duplicates_kept) {
    out << s.duplicates_kept << " issues marked duplicate stayed in: their original is unknown or not selected\n";
  }
}

}  // namespace firstmile
