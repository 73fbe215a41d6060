// git_fixture.h — small git repositories built with libgit2 for the tests of `firstmile git`:
// known authors, dates, files and tags, no git binary and no network.
//
//   GitFixture repo(dir / "repo");
//   std::string a = repo.commit({{"a.txt", "1\n2\n"}}, "Add a", 1714564800, 120);   // +02:00
//   std::string b = repo.commit({{"a.txt", std::nullopt}}, "Remove a", 1714568400);  // deletion
//   repo.annotated_tag("v1.0", a, "First release", 1714570000);
#pragma once

#include <git2.h>

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace firstmile::testing {

class GitFixture {
 public:
  explicit GitFixture(const std::filesystem::path& dir) {
    git_libgit2_init();
    ok(git_repository_init(&repo_, dir.c_str(), 0), "init");
  }
  ~GitFixture() {
    git_repository_free(repo_);
    git_libgit2_shutdown();
  }
  GitFixture(const GitFixture&) = delete;
  GitFixture& operator=(const GitFixture&) = delete;

  // A commit on `branch` whose tree is its first parent's with `changes` applied (content, or
  // nullopt to delete); parents default to the branch's tip. Returns its sha.
  std::string commit(const std::map<std::string, std::optional<std::string>>& changes, const std::string& message,
                     git_time_t when, int offset_minutes = 0, std::vector<std::string> parents = {},
                     const std::string& branch = "main", const std::string& author = "Alice Example") {
    if (parents.empty() && tips_.count(branch)) parents.push_back(tips_[branch]);
    git_index* index = nullptr;
    ok(git_index_new(&index), "index");
    std::vector<git_commit*> parent_commits;
    for (const std::string& p : parents) {
      git_oid oid;
      git_oid_fromstr(&oid, p.c_str());
      git_commit* c = nullptr;
      ok(git_commit_lookup(&c, repo_, &oid), "parent");
      parent_commits.push_back(c);
    }
    if (!parent_commits.empty()) {
      git_tree* tree = nullptr;
      ok(git_commit_tree(&tree, parent_commits[0]), "parent tree");
      ok(git_index_read_tree(index, tree), "read tree");
      git_tree_free(tree);
    }
    for (const auto& [path, content] : changes) {
      if (!content) {
        ok(git_index_remove_bypath(index, path.c_str()), "remove");
        continue;
      }
      git_index_entry entry{};
      entry.path = path.c_str();
      entry.mode = modes_.count(path) ? modes_[path] : GIT_FILEMODE_BLOB;
      ok(git_blob_create_from_buffer(&entry.id, repo_, content->data(), content->size()), "blob");
      ok(git_index_add(index, &entry), "add");
    }
    git_oid tree_oid, commit_oid;
    ok(git_index_write_tree_to(&tree_oid, index, repo_), "write tree");
    git_index_free(index);
    git_tree* tree = nullptr;
    ok(git_tree_lookup(&tree, repo_, &tree_oid), "tree");
    git_signature* author_sig = nullptr;
    git_signature* committer_sig = nullptr;
    ok(git_signature_new(&author_sig, author.c_str(), "alice@example.com", when, offset_minutes), "author");
    ok(git_signature_new(&committer_sig, "Carol Committer", "carol@example.com", when + 60, 0), "committer");
    std::vector<const git_commit*> const_parents(parent_commits.begin(), parent_commits.end());
    ok(git_commit_create(&commit_oid, repo_, nullptr, author_sig, committer_sig, nullptr, message.c_str(), tree,
                         const_parents.size(), const_parents.data()),
       "commit");
    git_signature_free(author_sig);
    git_signature_free(committer_sig);
    git_tree_free(tree);
    for (git_commit* c : parent_commits) git_commit_free(c);
    std::string sha = hex(commit_oid);
    set_branch(branch, sha);
    return sha;
  }

  // The mode `path` is written with from the next commit on (default: a regular file).
  void set_mode(const std::string& path, git_filemode_t mode) { modes_[path] = mode; }

  // Points refs/heads/BRANCH at `sha`; HEAD follows main.
  void set_branch(const std::string& branch, const std::string& sha) {
    git_oid oid;
    git_oid_fromstr(&oid, sha.c_str());
    git_reference* ref = nullptr;
    ok(git_reference_create(&ref, repo_, ("refs/heads/" + branch).c_str(), &oid, 1, nullptr), "branch");
    git_reference_free(ref);
    tips_[branch] = sha;
    if (branch == "main") ok(git_repository_set_head(repo_, "refs/heads/main"), "HEAD");
  }

  void lightweight_tag(const std::string& name, const std::string& sha) {
    git_oid oid, tag_oid;
    git_oid_fromstr(&oid, sha.c_str());
    git_object* target = nullptr;
    ok(git_object_lookup(&target, repo_, &oid, GIT_OBJECT_COMMIT), "tag target");
    ok(git_tag_create_lightweight(&tag_oid, repo_, name.c_str(), target, 1), "lightweight tag");
    git_object_free(target);
  }

  void annotated_tag(const std::string& name, const std::string& sha, const std::string& message, git_time_t when) {
    git_oid oid, tag_oid;
    git_oid_fromstr(&oid, sha.c_str());
    git_object* target = nullptr;
    ok(git_object_lookup(&target, repo_, &oid, GIT_OBJECT_COMMIT), "tag target");
    git_signature* tagger = nullptr;
    ok(git_signature_new(&tagger, "Tom Tagger", "tom@example.com", when, 0), "tagger");
    ok(git_tag_create(&tag_oid, repo_, name.c_str(), target, tagger, message.c_str(), 1), "annotated tag");
    git_signature_free(tagger);
    git_object_free(target);
  }

 private:
  static void ok(int rc, const char* what) {
    if (rc < 0) {
      const git_error* e = git_error_last();
      throw std::runtime_error(std::string("git fixture: ") + what + ": " + (e ? e->message : "?"));
    }
  }
  static std::string hex(const git_oid& oid) {
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, &oid);
    return buffer;
  }

  git_repository* repo_ = nullptr;
  std::map<std::string, std::string> tips_;
  std::map<std::string, git_filemode_t> modes_;
};

}  // namespace firstmile::testing
