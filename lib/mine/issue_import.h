// mine/issue_import.h — `firstmile import issues FILE...`: GitHub issue JSON from files, offline.
//
//   IssueImportSummary s = import_issue_files(store, preset, {"issues.json", "comments.json"}, {});
//   s.issues, s.comments, s.new_issues, s.updated_issues
//   print_issue_import_summary(s, "firstmile.db", std::cout);
//
// Each file holds issues and/or comments in GitHub's REST shape: one JSON array, the
// concatenated arrays `gh api --paginate` prints, the array of pages `gh api --paginate
// --slurp` prints, or JSON Lines. Comments may be embedded in their issue ("comments": [...])
// or stand in a file of their own (found by their issue_url). The GitHub CLI's own shape —
// `gh issue list --json ...` (an array) and `gh issue view N --json ...` (one object), camelCase
// with comments nested — is read too (mine/gh_cli_json.h).
// Everything is parsed and checked before anything is written, then written in one
// transaction: bad input leaves the database as it was. Re-importing is idempotent, and an
// older copy of an issue never overwrites a newer one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace firstmile {

class Store;
struct Preset;

struct IssueImportOptions {
  std::vector<std::string> argv;  // recorded in the run
};

struct IssueImportSummary {
  int64_t run_id = 0;
  int64_t files = 0;
  int64_t issues = 0;  // issue objects read (pull requests included)
  int64_t pull_requests = 0;
  int64_t comments = 0;    // comment objects read
  int64_t new_issues = 0;  // not in the database before, or only as a placeholder
  int64_t updated_issues = 0;
  int64_t unchanged_issues = 0;
  int64_t older_skipped = 0;  // issues and comments older than what the database holds
  int64_t new_comments = 0;
  int64_t comments_without_issue_text = 0;  // their issue was not in the files nor the database
  int64_t repositories = 0;
};

IssueImportSummary import_issue_files(Store& store, const Preset& preset,
                                      const std::vector<std::filesystem::path>& files,
                                      const IssueImportOptions& options);

// What `firstmile import issues` prints when done.
void print_issue_import_summary(const IssueImportSummary& summary, const std::string& db, std::ostream& out);

}  // namespace firstmile
