// store/aggregation_input.h — what `firstmile aggregate` reads: the reports in creation order,
// their comment threads a chunk at a time, their labels; and, for `aggregate eval --gold
// duplicates`, the comments that may say "Duplicate of ..." and the duplicate marks that name
// their original (mined through GraphQL).
//
//   for_each_report(store, [&](ReportRow& r) { ... });             // oldest first
//   auto threads = comment_threads(store, {r1.issue_id, r2.issue_id});  // issue id -> comments
//   auto labels = first_failure_causes(store, "rules");             // issue id -> stage, root cause
//
// A report is an issue with a title (its text is known) that is not a pull request.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace firstmile {

class Store;

struct ReportRow {
  int64_t issue_id = 0;
  std::string repository;     // OWNER/NAME
  std::string series, model;  // the repository's; "" when unknown
  int64_t number = 0;
  std::string url, title, body, created_at;  // "" for a NULL body or creation time
};

// Every report, by creation time then id; `each` may move the row's strings out.
void for_each_report(Store& store, const std::function<void(ReportRow&)>& each);

// The ids of every report (in no particular order).
std::vector<int64_t> report_ids(Store& store);

// The comments of the given issues: per issue that has any, their bodies oldest first (then by
// id), each followed by a newline. Only these issues' comments are read, so a caller going
// through the reports a chunk at a time holds one chunk's comments at once.
std::unordered_map<int64_t, std::string> comment_threads(Store& store, const std::vector<int64_t>& issue_ids);

// Whether `source` has annotations.
bool has_annotations(Store& store, const std::string& source);

struct ReportLabel {
  std::string stage, root_cause;  // node ids; "" when not set
};
// The labels of each issue's first failure (failure_index 1) from `source`.
std::unordered_map<int64_t, ReportLabel> first_failure_causes(Store& store, const std::string& source);

// A comment whose body says "duplicate" somewhere (any case), with its issue's repository.
struct DuplicateComment {
  int64_t issue_id = 0;
  std::string owner, name;  // the issue's repository
  std::string body;
};
std::vector<DuplicateComment> comments_mentioning_duplicate(Store& store);

// A "marked as duplicate" (or its undoing) from a stored timeline that names the other issue:
// on the duplicate's timeline the original, on the original's the duplicate.
struct DuplicateMark {
  int64_t issue_id = 0;          // the timeline's issue
  bool marked = true;            // false: the mark was undone
  std::string other_repository;  // OWNER/NAME of the other issue
  int64_t other_number = 0;
  std::string created_at;
};
// Every such mark, oldest first (then by issue and position).
std::vector<DuplicateMark> duplicate_marks(Store& store);

}  // namespace firstmile
