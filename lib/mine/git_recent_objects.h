// mine/git_recent_objects.h — the objects read for a commit's parent side, kept for the next
// commit. A history walked newest first diffs each commit against its first parent, and that
// parent is usually the next commit walked: the trees, blobs and the commit read as one
// commit's old side are the next one's new side. Keeping them reads each object once, without
// libgit2's object cache (shared, locked, hashed and evicted at random: on 20,000 commits it
// cost more time than it saved and held 150 MiB).
//
//   RecentObjects recent(repo);
//   int e = 0;
//   auto blob = recent.blob(id, RecentObjects::kOldSide, e);   // null and e < 0 if unreadable
//   ...
//   recent.next_commit();   // what the old side read is kept; the rest is freed
//
// Memory is bounded: an object is only kept while the kept objects' contents stay under a
// limit (a commit adding thousands of files keeps none of them). Not shared between threads.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <git2.h>

namespace firstmile {

class RecentObjects {
 public:
  enum Side { kNewSide, kOldSide };  // only an old side's objects are kept for the next commit

  explicit RecentObjects(git_repository* repo, size_t kept_bytes = size_t{32} << 20);
  ~RecentObjects();
  RecentObjects(const RecentObjects&) = delete;
  RecentObjects& operator=(const RecentObjects&) = delete;

  // The object `id` of `type`, kept from the commit before or read now; null with `error` set
  // to libgit2's code when it cannot be read (GIT_ENOTFOUND: the pack lacks it).
  std::shared_ptr<git_object> object(const git_oid& id, git_object_t type, Side side, int& error);
  std::shared_ptr<git_blob> blob(const git_oid& id, Side side, int& error) {
    return std::reinterpret_pointer_cast<git_blob>(object(id, GIT_OBJECT_BLOB, side, error));
  }
  std::shared_ptr<git_commit> commit(const git_oid& id, Side side, int& error) {
    return std::reinterpret_pointer_cast<git_commit>(object(id, GIT_OBJECT_COMMIT, side, error));
  }
  // A tree as its raw bytes (git_odb_object_data), unparsed: read it with mine/git_tree_changes.h.
  std::shared_ptr<git_odb_object> tree_data(const git_oid& id, Side side, int& error);

  // Call after each commit: the objects its old side read are kept, the others let go.
  void next_commit();

  size_t reads() const { return reads_; }  // objects read from the object database so far

 private:
  struct OidHash {
    size_t operator()(const git_oid& id) const {
      size_t h;
      std::memcpy(&h, id.id, sizeof h);  // an object id is already a hash
      return h;
    }
  };
  struct OidEqual {
    bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
  };
  // An object as libgit2 parsed it (git_object), or its raw bytes (git_odb_object).
  struct Kept {
    std::shared_ptr<void> object;
    git_object_t type = GIT_OBJECT_INVALID;
    bool raw = false;
    size_t bytes = 0;
  };
  using Objects = std::unordered_map<git_oid, Kept, OidHash, OidEqual>;

  template <typename Read>
  std::shared_ptr<void> find_or_read(const git_oid& id, git_object_t type, bool raw, Side side, int& error, Read read);
  void keep(const git_oid& id, const Kept& kept);

  git_repository* repo_;
  git_odb* odb_ = nullptr;  // the repository's, read directly for raw trees
  size_t limit_;
  Objects kept_;  // the previous commit's old side
  Objects next_;  // this commit's old side, kept at next_commit()
  size_t next_bytes_ = 0;
  size_t reads_ = 0;
};

}  // namespace firstmile
