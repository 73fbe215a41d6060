// mine/git_recent_objects.cpp — a commit's old side kept for the next commit.
#include "mine/git_recent_objects.h"

namespace firstmile {

namespace {

// What an object holds, roughly: its raw size (a parsed tree adds its entries' array).
size_t object_bytes(git_object* object) {
  switch (git_object_type(object)) {
    case GIT_OBJECT_BLOB: return static_cast<size_t>(git_blob_rawsize(reinterpret_cast<git_blob*>(object)));
    case GIT_OBJECT_TREE: return 64 * git_tree_entrycount(reinterpret_cast<git_tree*>(object)) + 64;
    default: return 512;
  }
}

}  // namespace

std::shared_ptr<git_object> RecentObjects::object(const git_oid& id, git_object_t type, Side side, int& error) {
  error = 0;
  for (Objects* objects : {&kept_, &next_}) {
    if (auto found = objects->find(id); found != objects->end() && git_object_type(found->second.get()) == type) {
      if (side == kOldSide && objects == &kept_ && !next_.count(id)) keep(id, found->second);
      return found->second;
    }
  }
  git_object* raw = nullptr;
  error = git_object_lookup(&raw, repo_, &id, type);
  if (error < 0) return nullptr;
  ++reads_;
  std::shared_ptr<git_object> object(raw, git_object_free);
  if (side == kOldSide) keep(id, object);
  return object;
}

void RecentObjects::keep(const git_oid& id, const std::shared_ptr<git_object>& object) {
  const size_t bytes = object_bytes(object.get());
  if (next_bytes_ + bytes > limit_) return;
  next_bytes_ += bytes;
  next_.emplace(id, object);
}

void RecentObjects::next_commit() {
  kept_.swap(next_);
  next_.clear();
  next_bytes_ = 0;
}

}  // namespace firstmile
