// mine/git_commit_reader.h — the commits of a history read on several cores: each one's authors,
// dates and message, and its diff against its first parent (a root commit: against the empty
// tree) with renames found, handed over one by one in the order they were given.
//
//   std::vector<git_oid> oids = ...;                        // e.g. from a revwalk, newest first
//   read_commits(repo, oids, {.since = "2024-01-01"}, [&](CommitRecord& c) {
//     store(c.sha, c.files);                                // called on this thread, in oids' order
//   });
//
// A commit whose changes are all content changes of regular files, and that cannot hold a
// rename (no file both deleted and added), is diffed blob against blob, without libgit2's
// tree diff, and without its gitattributes lookups where no gitattributes file exists; any
// other goes through libgit2's tree diff with rename detection. Both give the same counts.
// libgit2 repositories cannot be shared between threads, so each thread opens its own (the
// same path as `repo`, hence the same .gitattributes); results wait in a bounded window until
// their turn, so memory does not grow with the history. The output is the same whatever the
// number of threads. An error on any thread (or thrown by `consume`) stops the others and is
// rethrown here, the first in commit order. Each thread reads objects through
// mine/git_pack_reader.h (delta bases kept) and keeps a commit's parent side for the next
// commit (mine/git_recent_objects.h), so consecutive commits go to one thread in runs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <git2.h>

#include "store/git_tables.h"

namespace firstmile {

struct CommitRecord {
  std::string sha;
  std::optional<std::string> author_name, author_email, committer_name, committer_email;
  std::string authored_at, committed_at;  // UTC, ISO 8601
  std::string message;
  int64_t parents = 0;
  bool before_since = false;               // committed before CommitReadOptions::since: not diffed
  std::vector<CommitFileRow> files;        // in path order
  int64_t files_without_line_counts = 0;   // blobs the clone lacks (a blobless partial clone)
};

struct CommitReadOptions {
  std::string since;     // ISO 8601 (UTC); commits committed earlier come back with before_since
  unsigned threads = 0;  // reading threads; 0: one per core (one core: this thread only); 1: this thread only
};

void read_commits(git_repository* repo, const std::vector<git_oid>& commits, const CommitReadOptions& options,
                  const std::function<void(CommitRecord&)>& consume);

}  // namespace firstmile
