// mine/git_objects.h — what the git readers share: owning pointers to libgit2 objects, freed
// with their own function, and errors thrown from libgit2's return codes.
//
//   git_tree* raw = nullptr;
//   check(git_commit_tree(&raw, commit), sha, "cannot read its tree");   // throws Error
//   TreePtr tree(raw);
#pragma once

#include <memory>
#include <string>

#include <git2.h>

#include "base/error.h"
#include "base/redact.h"

namespace firstmile {

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;
using RepositoryPtr = GitPtr<git_repository, git_repository_free>;
using RemotePtr = GitPtr<git_remote, git_remote_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using PatchPtr = GitPtr<git_patch, git_patch_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using ReferenceIteratorPtr = GitPtr<git_reference_iterator, git_reference_iterator_free>;

// Throws Error for a failed libgit2 call: `what` names the path or URL, then libgit2's own
// words (of this thread's last error); both are stripped of credentials, since libgit2 may
// quote the URL it was given.
[[noreturn]] inline void fail(int rc, const std::string& what) {
  const git_error* e = git_error_last();
  std::string detail = e && e->message ? e->message : "libgit2 error " + std::to_string(rc);
  throw Error(redact_url_credentials(what + ": " + detail));
}

inline void check(int rc, const std::string& what) {
  if (rc < 0) fail(rc, what);
}

// For calls made per commit or per file: the message is only built on failure.
inline void check(int rc, const std::string& sha, const char* what) {
  if (rc < 0) fail(rc, "commit " + sha + ": " + what);
}

}  // namespace firstmile
