// mine/git_recent_objects.cpp — a commit's old side kept for the next commit.
#include "mine/git_recent_objects.h"

namespace firstmile {

RecentObjects::RecentObjects(git_repository* repo, size_t kept_bytes) : repo_(repo), limit_(kept_bytes) {
  if (git_repository_odb(&odb_, repo) < 0) odb_ = nullptr;  // tree_data then says why, through libgit2's error
}

RecentObjects::~RecentObjects() {
  kept_.clear();
  next_.clear();
  git_odb_free(odb_);
}

template <typename Read>
std::shared_ptr<void> RecentObjects::find_or_read(const git_oid& id, git_object_t type, bool raw, Side side,
                                                  int& error, Read read) {
  error = 0;
  for (Objects* objects : {&kept_, &next_}) {
    if (auto found = objects->find(id); found != objects->end() && found->second.type == type &&
                                        found->second.raw == raw) {
      if (side == kOldSide && objects == &kept_ && !next_.count(id)) keep(id, found->second);
      return found->second.object;
    }
  }
  Kept kept{.object = nullptr, .type = type, .raw = raw, .bytes = 0};
  error = read(kept);
  if (error < 0) return nullptr;
  ++reads_;
  if (side == kOldSide) keep(id, kept);
  return kept.object;
}

std::shared_ptr<git_object> RecentObjects::object(const git_oid& id, git_object_t type, Side side, int& error) {
  return std::static_pointer_cast<git_object>(find_or_read(id, type, false, side, error, [&](Kept& k) -> int {
    git_object* raw = nullptr;
    const int e = git_object_lookup(&raw, repo_, &id, type);
    if (e < 0) return e;
    k.object = std::shared_ptr<git_object>(raw, git_object_free);
    // Roughly what it holds: a blob its content, a commit its text.
    k.bytes = type == GIT_OBJECT_BLOB ? static_cast<size_t>(git_blob_rawsize(reinterpret_cast<git_blob*>(raw))) : 512;
    return 0;
  }));
}

std::shared_ptr<git_odb_object> RecentObjects::tree_data(const git_oid& id, Side side, int& error) {
  return std::static_pointer_cast<git_odb_object>(find_or_read(id, GIT_OBJECT_TREE, true, side, error, [&](Kept& k) -> int {
    if (!odb_) {
      if (const int e = git_repository_odb(&odb_, repo_); e < 0) return e;
    }
    git_odb_object* raw = nullptr;
    const int e = git_odb_read(&raw, odb_, &id);
    if (e < 0) return e;
    std::shared_ptr<git_odb_object> object(raw, git_odb_object_free);
    if (git_odb_object_type(raw) != GIT_OBJECT_TREE) {
      git_error_set_str(GIT_ERROR_INVALID, "the object is not a tree");
      return static_cast<int>(GIT_EINVALIDSPEC);
    }
    k.object = object;
    k.bytes = git_odb_object_size(raw);
    return 0;
  }));
}

void RecentObjects::keep(const git_oid& id, const Kept& kept) {
  if (next_bytes_ + kept.bytes > limit_) return;
  next_bytes_ += kept.bytes;
  next_.emplace(id, kept);
}

void RecentObjects::next_commit() {
  kept_.swap(next_);
  next_.clear();
  next_bytes_ = 0;
}

}  // namespace firstmile
