// mine/git_tree_changes.h — the files that differ between two trees, found by comparing their
// entries by object id, so that a folder equal on both sides is skipped without being opened.
// libgit2's tree-to-tree diff walks both trees whole (its cost grows with the tree, not the
// change), and parsing a tree into a git_tree costs more than comparing its raw entries: here
// the trees are read as raw bytes ("<octal mode> <name>\0<20-byte id>" per entry) and compared
// in place.
//
//   std::vector<TreeChange> changes;
//   changed_paths(recent, parent_tree_id, tree_id, sha, changes);   // either id may be null: empty
//   for (const TreeChange& c : changes) c.path, c.old_id, c.new_id, c.old_mode, c.new_mode
//
// Modes are normalised as libgit2's git_tree_entry_filemode does (100664 reads 100644), and two
// entries of one name with the same normalised mode and id are the same. A malformed tree
// throws Error naming the commit `sha`.
#pragma once

#include <string>
#include <vector>

#include <git2.h>

#include "mine/git_recent_objects.h"

namespace firstmile {

// One path that differs between a commit's tree and its parent's; a mode of 0 means absent on
// that side (added or deleted).
struct TreeChange {
  std::string path;
  git_oid old_id{}, new_id{};
  git_filemode_t old_mode = GIT_FILEMODE_UNREADABLE, new_mode = GIT_FILEMODE_UNREADABLE;
};

// Appends the changed files (not folders) between the trees `old_tree` and `new_tree`, in tree
// order; the old side's trees are read as RecentObjects::kOldSide, kept for the next commit.
void changed_paths(RecentObjects& recent, const git_oid* old_tree, const git_oid* new_tree, const std::string& sha,
                   std::vector<TreeChange>& out);

// The mode libgit2's git_tree_entry_filemode gives a raw tree entry's mode.
git_filemode_t normalized_filemode(unsigned mode);

}  // namespace firstmile
