// mine/git_history.h — `firstmile git PATH|URL --repo OWNER/NAME`: a repository's history into
// the commits, commit_files, commit_issue_links and tags tables, through libgit2.
//
//   GitImportOptions o;
//   o.source = "https://github.com/QwenLM/Qwen2.5";   // or a local path, bare or with a work tree
//   o.repository = "QwenLM/Qwen2.5";
//   GitImportSummary s = import_git_history(store, preset, o);
//   s.new_commits, s.file_rows, s.closes_links, s.mentions_links, s.new_tags, s.updated_tags
//   print_git_summary(s, o, "firstmile.db", std::cout);
//
// A URL is cloned (bare, refs/heads/* and refs/tags/* mirrored) into a cache directory, and
// fetched when the clone is there already; a local path is read in place. Every commit
// reachable from the ref is walked (topological, then time order); a commit already stored
// for the repository is skipped, so a re-import is idempotent and a later one adds only new
// commits. Each new commit is stored with its authors, UTC dates, message, parent count and
// its diff against the first parent (a root commit: against the empty tree) with renames
// found, one commit_files row per file, and the issues its message names (see
// base/issue_references.h). Binary files have no line counts (NULL). Every tag under
// refs/tags/ that peels to a commit is upserted: an annotated tag gives its tagger, date and
// message, a lightweight tag the commit's committer date; a moved tag is updated. The rows go
// through store/git_tables.h.
//
// One run is one transaction: an error leaves the database as it was. Errors (not a
// repository, an unknown ref, a failed clone or fetch) throw Error naming the path or URL and
// saying what libgit2 said. Credentials in a URL (https://user:token@host/...) never appear
// in a message nor in the run's recorded argv, and are not written into the clone's config.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace firstmile {

class Store;
struct Preset;

struct GitImportOptions {
  std::string source;                            // local path, or URL to clone (anything with "://", or user@host:path)
  std::string repository;                        // OWNER/NAME the history belongs to (required)
  std::filesystem::path cache_dir;               // clone of a URL; empty: <database file>.git-cache/OWNER/NAME
  std::string ref;                               // branch, tag or revision to walk from; empty: HEAD
  std::string since;                             // ISO 8601 date or time (UTC); commits committed earlier are skipped
  std::vector<std::string> argv;                 // recorded in the run
  unsigned threads = 0;                          // threads diffing commits; 0: one per core
  std::function<void(int64_t walked)> progress;  // every 1,000 commits read, and at the end
};

struct GitImportSummary {
  int64_t run_id = 0;
  int64_t commits_walked = 0;  // reachable from the ref
  int64_t new_commits = 0;
  int64_t known_commits = 0;  // stored by an earlier run, skipped
  int64_t before_since = 0;   // committed before --since, skipped
  int64_t files_without_line_counts = 0;  // changed files whose blobs the clone lacks
  int64_t file_rows = 0;      // commit_files rows written
  int64_t closes_links = 0;
  int64_t mentions_links = 0;
  int64_t new_tags = 0;
  int64_t updated_tags = 0;  // moved, or retagged with another date or message
  int64_t unchanged_tags = 0;
  std::string head;  // sha the walk started from
};

GitImportSummary import_git_history(Store& store, const Preset& preset, const GitImportOptions& options);

// "12000 commits walked": the progress line of `firstmile git`.
std::string git_progress_text(int64_t commits_walked);
// What `firstmile git` prints when done: head, commits, files, issue links and tags.
void print_git_summary(const GitImportSummary& summary, const GitImportOptions& options, const std::string& db,
                       std::ostream& out);

// Whether `source` is a URL to clone rather than a local path.
bool is_git_url(const std::string& source);

}  // namespace firstmile
