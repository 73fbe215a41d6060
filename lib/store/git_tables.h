// store/git_tables.h — a repository's git history: the commits, commit_files,
// commit_issue_links and tags tables.
//
//   std::unordered_set<std::string> known = stored_commit_shas(store, repo);
//   CommitWriter writer(store);                      // its statements live as long as it does
//   int64_t id = writer.add_commit({.repository_id = repo, .sha = sha, ...});
//   writer.add_file(id, {"README.md", "modified", std::nullopt, 3, 1});
//   writer.add_issue_link(id, {"QwenLM", "Qwen2.5", 12, "closes"});
//
//   std::map<std::string, TagRow> tags = stored_tags(store, repo);   // by name
//   save_tag(store, repo, "v1.0", row);                               // insert or update
//
// The importer (mine/git_history.h) writes millions of commit_files rows: CommitWriter checks
// its three statements out once, for the whole import. Text fields are views, read during the
// call only. Tables are documented in docs/schema.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/issue_references.h"
#include "store/database.h"

namespace firstmile {

class Store;

struct CommitRow {
  int64_t repository_id = 0;
  std::string_view sha;
  std::optional<std::string_view> author_name, author_email;
  std::string_view authored_at;  // ISO 8601, UTC
  std::optional<std::string_view> committer_name, committer_email;
  std::string_view committed_at;
  std::string_view message;
  int64_t parents = 0;
  int64_t files_changed = 0, insertions = 0, deletions = 0;
};

// One changed file of a commit, against its first parent.
struct CommitFileRow {
  std::string path;
  const char* status = "modified";               // added, deleted, renamed, copied, typechange, modified
  std::optional<std::string> old_path;           // renamed and copied files
  std::optional<int64_t> insertions, deletions;  // none for binary files
};

// The shas of the repository's stored commits.
std::unordered_set<std::string> stored_commit_shas(Store& store, int64_t repository_id);

class CommitWriter {
 public:
  explicit CommitWriter(Store& store);

  // The new commit's row id.
  int64_t add_commit(const CommitRow& commit);
  void add_file(int64_t commit_id, const CommitFileRow& file);
  void add_issue_link(int64_t commit_id, const CommitIssueLink& link);

 private:
  Database& db_;
  Query insert_commit_;  // checked out once for the whole import, not per commit
  Query insert_file_;
  Query insert_link_;
};

struct TagRow {
  std::string sha;  // of the commit the tag peels to
  std::optional<std::string> tagged_at, tagger, message;
  bool operator==(const TagRow&) const = default;
};

// The repository's tags, by name.
std::map<std::string, TagRow> stored_tags(Store& store, int64_t repository_id);
// Inserts the tag, or updates the one of that name.
void save_tag(Store& store, int64_t repository_id, const std::string& name, const TagRow& tag);

}  // namespace firstmile
