// store/issue_scope.h — which issues a command works on: those with text, within the asked bounds.
//
//   IssueScope scope{.repositories = {{"QwenLM", "Qwen2.5"}}, .pull_requests = false, .limit = 100};
//   std::vector<int64_t> ids = issue_ids_in_scope(store, scope);          // classify: ids only
//   for (const ScopedIssue& i : issues_in_scope(store, scope)) ...        // select, label sheets
//
// An issue is in scope when its text is known (a title; placeholders to be mined are not), it
// belongs to one of `repositories` (all when empty; names compare without case, as stored) and
// was created within [since, until] (ISO 8601; a date prefix as `until` bounds the whole day, as
// in AnnotationQuery; issues without a creation time are out when either bound is given).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace firstmile {

class Store;

struct IssueScope {
  std::vector<std::pair<std::string, std::string>> repositories = {};  // (owner, name); empty: all
  std::string since = {}, until = {};
  bool pull_requests = true;  // false: leave pull requests out
  int64_t limit = 0;          // 0: all
  enum class Order { kById, kByRepositoryAndNumber } order = Order::kById;
};

// An issue in scope, with what the selection funnel and the label sheets read.
struct ScopedIssue {
  int64_t id = 0;
  int64_t repository_id = 0;
  std::string owner, name;
  int64_t number = 0;
  std::string url, title, body;  // body "" when none
  std::string state_reason;      // "" when none
  std::string labels;            // JSON array of label names
  bool is_pull_request = false;
};

std::vector<int64_t> issue_ids_in_scope(Store& store, const IssueScope& scope);
std::vector<ScopedIssue> issues_in_scope(Store& store, const IssueScope& scope);

}  // namespace firstmile
