// mine/git_history.cpp — open or clone the repository, walk its commits, diff each against its
// first parent, and write commits, files, issue links and tags in one transaction.
#include "mine/git_history.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <unordered_set>

#include <git2.h>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/issue_references.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "dataset/preset.h"
#include "store/git_tables.h"
#include "store/store.h"

namespace firstmile {

namespace {

// Owning pointers to libgit2 objects, freed with their own function.
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
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using PatchPtr = GitPtr<git_patch, git_patch_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using ReferenceIteratorPtr = GitPtr<git_reference_iterator, git_reference_iterator_free>;

// libgit2 is initialised for the duration of an import (its init and shutdown are counted).
struct LibGit2 {
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() { git_libgit2_shutdown(); }
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;
};

// Throws Error for a failed libgit2 call: `what` names the path or URL, then libgit2's own
// words; both are stripped of credentials, since libgit2 may quote the URL it was given.
[[noreturn]] void fail(int rc, const std::string& what) {
  const git_error* e = git_error_last();
  std::string detail = e && e->message ? e->message : "libgit2 error " + std::to_string(rc);
  throw Error(redact_url_credentials(what + ": " + detail));
}

void check(int rc, const std::string& what) {
  if (rc < 0) fail(rc, what);
}

// For calls made per commit or per file: the message is only built on failure.
void check(int rc, const std::string& sha, const char* what) {
  if (rc < 0) fail(rc, "commit " + sha + ": " + what);
}

std::string utc_iso8601(git_time_t seconds) {
  // git_time.time counts seconds since the epoch in UTC; the offset only says which clock the
  // author's wall showed, so the UTC form ignores it.
  return iso8601_utc(static_cast<int64_t>(seconds));
}

std::string oid_hex(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  return hex;
}

std::optional<std::string_view> text_or_null(const char* s) {
  if (!s) return std::nullopt;
  return std::string_view(s);
}

// A bare clone whose local branches and tags mirror the remote's, so that HEAD, --ref BRANCH
// and the tags read the same as in the remote. The remote is anonymous: the URL, which may
// carry credentials, is never written into the clone's config.
RepositoryPtr clone_or_fetch(const std::string& url, const std::filesystem::path& dir) {
  std::string shown = redact_url_credentials(url);
  git_repository* raw = nullptr;
  std::error_code ec;
  if (std::filesystem::exists(dir / "HEAD", ec)) {
    check(git_repository_open_bare(&raw, dir.c_str()), dir.string() + ": cannot open the clone of " + shown);
  } else {
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create the clone directory: " + ec.message());
    check(git_repository_init(&raw, dir.c_str(), 1), dir.string() + ": cannot create a clone of " + shown);
  }
  RepositoryPtr repo(raw);
  git_remote* remote_raw = nullptr;
  check(git_remote_create_anonymous(&remote_raw, repo.get(), url.c_str()), shown + ": not a usable URL");
  RemotePtr remote(remote_raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  check(git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr),
        shown + ": cannot connect");
  git_buf head = GIT_BUF_INIT;
  std::string default_branch;
  if (git_remote_default_branch(&head, remote.get()) == 0) default_branch = head.ptr;
  git_buf_dispose(&head);
  char heads[] = "+refs/heads/*:refs/heads/*";
  char tags[] = "+refs/tags/*:refs/tags/*";
  char* specs[] = {heads, tags};
  git_strarray refspecs = {specs, 2};
  git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
  fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // the refspec takes every tag already
  check(git_remote_download(remote.get(), &refspecs, &fetch), shown + ": cannot fetch");
  check(git_remote_update_tips(remote.get(), &callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, nullptr),
        shown + ": cannot update the clone's refs");
  git_remote_disconnect(remote.get());
  if (!default_branch.empty()) {
    check(git_repository_set_head(repo.get(), default_branch.c_str()),
          dir.string() + ": cannot point HEAD at " + default_branch);
  }
  return repo;
}

RepositoryPtr open_local(const std::string& path) {
  git_repository* raw = nullptr;
  // NO_SEARCH: a folder inside some other repository is not that repository.
  check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
        path + ": not a git repository");
  return RepositoryPtr(raw);
}

const char* status_name(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED: return "added";
    case GIT_DELTA_DELETED: return "deleted";
    case GIT_DELTA_RENAMED: return "renamed";
    case GIT_DELTA_COPIED: return "copied";
    case GIT_DELTA_TYPECHANGE: return "typechange";
    default: return "modified";
  }
}

// The paths of the files that differ between two trees (either may be null: empty), found by
// comparing entries by id, so that folders equal in both are skipped without being opened.
// libgit2's tree-to-tree diff walks both trees whole; handing it these paths as an exact path
// list lets its iterators skip everything else.
// Git's order of tree entries: by name, a folder as if its name ended in '/' ("foo.txt" comes
// before the folder "foo"). Both trees are sorted so, which the merge below relies on; a
// mismatch would only list unchanged paths too, never miss a changed one.
int tree_order(const git_tree_entry* a, const git_tree_entry* b) {
  const char* x = git_tree_entry_name(a);
  const char* y = git_tree_entry_name(b);
  while (*x && *x == *y) ++x, ++y;
  auto next = [](const char* p, const git_tree_entry* e) -> unsigned char {
    return *p ? static_cast<unsigned char>(*p) : git_tree_entry_type(e) == GIT_OBJECT_TREE ? '/' : 0;
  };
  // Names hold no '/', so equal characters here mean the same name and the same kind.
  const unsigned char cx = next(x, a), cy = next(y, b);
  return cx < cy ? -1 : cx > cy ? 1 : 0;
}

void differing_paths(git_repository* repo, const git_tree* a, const git_tree* b, const std::string& prefix,
                     const std::string& sha, std::vector<std::string>& out) {
  auto all_files = [&](const git_tree_entry* e, const std::string& path) {
    if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
      out.push_back(path);
      return;
    }
    git_tree* sub_raw = nullptr;
    check(git_tree_lookup(&sub_raw, repo, git_tree_entry_id(e)), sha + ": " + path, "cannot read a tree");
    TreePtr sub(sub_raw);
    differing_paths(repo, nullptr, sub.get(), path + "/", sha, out);
  };
  const size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
  size_t i = 0, j = 0;
  while (i < na || j < nb) {
    const git_tree_entry* ea = i < na ? git_tree_entry_byindex(a, i) : nullptr;
    const git_tree_entry* eb = j < nb ? git_tree_entry_byindex(b, j) : nullptr;
    int order = !ea ? 1 : !eb ? -1 : tree_order(ea, eb);
    if (order == 0 && git_tree_entry_type(ea) == GIT_OBJECT_TREE && git_tree_entry_type(eb) == GIT_OBJECT_TREE) {
      if (!git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb))) {
        git_tree *ta_raw = nullptr, *tb_raw = nullptr;
        std::string path = prefix + git_tree_entry_name(ea);
        check(git_tree_lookup(&ta_raw, repo, git_tree_entry_id(ea)), sha + ": " + path, "cannot read a tree");
        TreePtr ta(ta_raw);
        check(git_tree_lookup(&tb_raw, repo, git_tree_entry_id(eb)), sha + ": " + path, "cannot read a tree");
        TreePtr tb(tb_raw);
        differing_paths(repo, ta.get(), tb.get(), path + "/", sha, out);
      }
      ++i, ++j;
    } else if (order == 0) {
      if (!git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) ||
          git_tree_entry_filemode(ea) != git_tree_entry_filemode(eb)) {
        std::string path = prefix + git_tree_entry_name(ea);
        all_files(ea, path);
        if (git_tree_entry_type(eb) != git_tree_entry_type(ea)) all_files(eb, path);
      }
      ++i, ++j;
    } else if (order < 0) {
      all_files(ea, prefix + git_tree_entry_name(ea));
      ++i;
    } else {
      all_files(eb, prefix + git_tree_entry_name(eb));
      ++j;
    }
  }
}

// A blob the object database does not hold (a blobless partial clone fetches them on demand,
// and libgit2 cannot): the file is still recorded, without its line counts.
bool missing_object(int error) { return error == GIT_ENOTFOUND; }

std::vector<CommitFileRow> changed_files(git_repository* repo, git_commit* commit, const std::string& sha,
                                         int64_t& missing_blobs) {
  git_tree* tree_raw = nullptr;
  check(git_commit_tree(&tree_raw, commit), sha, "cannot read its tree");
  TreePtr tree(tree_raw);
  TreePtr parent_tree;
  if (git_commit_parentcount(commit) > 0) {
    git_commit* parent_raw = nullptr;
    check(git_commit_parent(&parent_raw, commit, 0), sha, "cannot read its first parent");
    CommitPtr parent(parent_raw);
    check(git_commit_tree(&tree_raw, parent.get()), sha, "cannot read its parent's tree");
    parent_tree.reset(tree_raw);
  }
  std::vector<std::string> paths;
  differing_paths(repo, parent_tree.get(), tree.get(), "", sha, paths);
  if (paths.empty()) return {};
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::vector<char*> pathspec;
  pathspec.reserve(paths.size());
  for (std::string& p : paths) pathspec.push_back(p.data());
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_INCLUDE_TYPECHANGE         // else a type change is a delete plus an add of one path
                  | GIT_DIFF_DISABLE_PATHSPEC_MATCH;  // the paths are exact: the iterators skip the rest
  options.pathspec.strings = pathspec.data();
  options.pathspec.count = pathspec.size();
  git_diff* diff_raw = nullptr;
  check(git_diff_tree_to_tree(&diff_raw, repo, parent_tree.get(), tree.get(), &options), sha, "cannot diff");
  DiffPtr diff(diff_raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  // Rename detection reads the blobs; without them, renames read as a deletion and an addition.
  if (int e = git_diff_find_similar(diff.get(), &find); e != 0 && !missing_object(e)) check(e, sha, "cannot find renames");

  std::vector<CommitFileRow> files;
  size_t count = git_diff_num_deltas(diff.get());
  files.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    git_patch* patch_raw = nullptr;
    if (int e = git_patch_from_diff(&patch_raw, diff.get(), i); e != 0) {
      if (!missing_object(e)) check(e, sha, "cannot diff a file");
      ++missing_blobs;
      patch_raw = nullptr;
    }
    PatchPtr patch(patch_raw);
    // The patch, once made, knows whether the blobs are binary.
    const git_diff_delta* delta = patch ? git_patch_get_delta(patch.get()) : git_diff_get_delta(diff.get(), i);
    CommitFileRow f;
    f.status = status_name(delta->status);
    f.path = delta->status == GIT_DELTA_DELETED ? delta->old_file.path : delta->new_file.path;
    if (delta->status == GIT_DELTA_RENAMED || delta->status == GIT_DELTA_COPIED) f.old_path = delta->old_file.path;
    if (patch && !(delta->flags & GIT_DIFF_FLAG_BINARY)) {
      size_t context = 0, added = 0, deleted = 0;
      check(git_patch_line_stats(&context, &added, &deleted, patch.get()), sha, "cannot count lines");
      f.insertions = static_cast<int64_t>(added);
      f.deletions = static_cast<int64_t>(deleted);
    }
    files.push_back(std::move(f));
  }
  return files;
}

// Writes the new commits of one import, with their files and issue links.
class HistoryWriter {
 public:
  HistoryWriter(Store& store, int64_t repository_id, std::string owner, std::string name)
      : writer_(store),
        repository_id_(repository_id),
        owner_(std::move(owner)),
        name_(std::move(name)),
        known_(stored_commit_shas(store, repository_id)) {}

  bool known(const std::string& sha) const { return known_.count(sha) > 0; }

  void add(git_repository* repo, git_commit* commit, const std::string& sha, GitImportSummary& s) {
    std::vector<CommitFileRow> files = changed_files(repo, commit, sha, s.files_without_line_counts);
    int64_t insertions = 0, deletions = 0;
    for (const CommitFileRow& f : files) {
      insertions += f.insertions.value_or(0);
      deletions += f.deletions.value_or(0);
    }
    const git_signature* author = git_commit_author(commit);
    const git_signature* committer = git_commit_committer(commit);
    const char* message = git_commit_message(commit);
    const std::string authored_at = utc_iso8601(author->when.time), committed_at = utc_iso8601(committer->when.time);
    int64_t commit_id = writer_.add_commit({.repository_id = repository_id_,
                                            .sha = sha,
                                            .author_name = text_or_null(author->name),
                                            .author_email = text_or_null(author->email),
                                            .authored_at = authored_at,
                                            .committer_name = text_or_null(committer->name),
                                            .committer_email = text_or_null(committer->email),
                                            .committed_at = committed_at,
                                            .message = message ? message : "",
                                            .parents = static_cast<int64_t>(git_commit_parentcount(commit)),
                                            .files_changed = static_cast<int64_t>(files.size()),
                                            .insertions = insertions,
                                            .deletions = deletions});
    known_.insert(sha);
    for (const CommitFileRow& f : files) writer_.add_file(commit_id, f);
    s.file_rows += static_cast<int64_t>(files.size());
    for (const CommitIssueLink& l : issue_links_in_message(message ? message : "", owner_, name_)) {
      writer_.add_issue_link(commit_id, l);
      (l.kind == "closes" ? s.closes_links : s.mentions_links) += 1;
    }
  }

 private:
  CommitWriter writer_;
  int64_t repository_id_;
  std::string owner_, name_;
  std::unordered_set<std::string> known_;
};

void walk_commits(git_repository* repo, const git_oid& start, const GitImportOptions& o, HistoryWriter& writer,
                  GitImportSummary& s) {
  git_revwalk* walk_raw = nullptr;
  check(git_revwalk_new(&walk_raw, repo), o.source + ": cannot walk the history");
  RevwalkPtr walk(walk_raw);
  check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), o.source + ": cannot walk the history");
  check(git_revwalk_push(walk.get(), &start), o.source + ": cannot walk the history");
  git_oid oid;
  int rc = 0;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
    ++s.commits_walked;
    if (o.progress && s.commits_walked % 1000 == 0) o.progress(s.commits_walked);
    std::string sha = oid_hex(&oid);
    if (writer.known(sha)) {
      ++s.known_commits;
      continue;
    }
    git_commit* commit_raw = nullptr;
    check(git_commit_lookup(&commit_raw, repo, &oid), sha, "cannot read it");
    CommitPtr commit(commit_raw);
    if (!o.since.empty() && utc_iso8601(git_commit_committer(commit.get())->when.time) < o.since) {
      ++s.before_since;
      continue;
    }
    writer.add(repo, commit.get(), sha, s);
    ++s.new_commits;
  }
  if (rc != GIT_ITEROVER) check(rc, o.source + ": cannot walk the history");
  if (o.progress) o.progress(s.commits_walked);
}

// What a tag ref names: the commit it peels to, and for an annotated tag its tagger, date and
// message (a lightweight tag: the commit's committer date). Nullopt for a tag of a tree or blob.
std::optional<TagRow> tag_row(git_repository* repo, git_reference* ref, const std::string& name,
                              const std::string& where) {
  git_object* commit_raw = nullptr;
  if (git_reference_peel(&commit_raw, ref, GIT_OBJECT_COMMIT) != 0) return std::nullopt;
  ObjectPtr commit(commit_raw);
  TagRow row;
  row.sha = oid_hex(git_object_id(commit.get()));
  // The object the tag ref names, unpeeled: an annotated tag object, or the commit itself.
  git_reference* direct_raw = nullptr;
  check(git_reference_resolve(&direct_raw, ref), where + ": cannot read tag " + name);
  ReferencePtr direct(direct_raw);
  git_object* target_raw = nullptr;
  check(git_object_lookup(&target_raw, repo, git_reference_target(direct.get()), GIT_OBJECT_ANY),
        where + ": cannot read tag " + name);
  ObjectPtr target(target_raw);
  const git_signature* tagger = nullptr;
  if (git_object_type(target.get()) == GIT_OBJECT_TAG) {
    auto* tag = reinterpret_cast<git_tag*>(target.get());
    tagger = git_tag_tagger(tag);
    if (const char* message = git_tag_message(tag)) row.message = message;
  }
  if (tagger) {
    row.tagged_at = utc_iso8601(tagger->when.time);
    row.tagger = std::string(tagger->name) + " <" + tagger->email + ">";
  } else {
    row.tagged_at = utc_iso8601(git_commit_committer(reinterpret_cast<git_commit*>(commit.get()))->when.time);
  }
  return row;
}

void upsert_tags(git_repository* repo, Store& store, int64_t repository_id, const std::string& where,
                 GitImportSummary& s) {
  std::map<std::string, TagRow> stored = stored_tags(store, repository_id);
  git_reference_iterator* it_raw = nullptr;
  check(git_reference_iterator_glob_new(&it_raw, repo, "refs/tags/*"), where + ": cannot list tags");
  ReferenceIteratorPtr it(it_raw);
  git_reference* ref_raw = nullptr;
  while (git_reference_next(&ref_raw, it.get()) == 0) {
    ReferencePtr ref(ref_raw);
    std::string name = git_reference_name(ref.get()) + std::string("refs/tags/").size();
    std::optional<TagRow> row = tag_row(repo, ref.get(), name, where);
    if (!row) continue;
    auto known = stored.find(name);
    if (known != stored.end() && known->second == *row) {
      ++s.unchanged_tags;
      continue;
    }
    (known == stored.end() ? s.new_tags : s.updated_tags) += 1;
    save_tag(store, repository_id, name, *row);
  }
}

}  // namespace

bool is_git_url(const std::string& source) {
  if (source.find("://") != std::string::npos) return true;
  // scp-like user@host:path, as git accepts it; a local path of that shape would be odd.
  auto at = source.find('@');
  auto colon = source.find(':');
  auto slash = source.find('/');
  return at != std::string::npos && colon != std::string::npos && at < colon &&
         (slash == std::string::npos || colon < slash);
}

namespace {

// A URL's clone (in the cache directory), or the local repository.
RepositoryPtr open_repository(Store& store, const GitImportOptions& o, const std::string& owner,
                              const std::string& name) {
  if (!is_git_url(o.source)) return open_local(o.source);
  std::filesystem::path cache = o.cache_dir;
  if (cache.empty()) {
    const std::filesystem::path& db = store.db().path();
    if (db.empty() || db == ":memory:") throw Error("git: a URL needs a clone directory (--cache DIR)");
    cache = std::filesystem::path(db.string() + ".git-cache") / owner / name;
  }
  return clone_or_fetch(o.source, cache);
}

// The commit the walk starts from: `ref` (empty: HEAD) peeled to a commit.
ObjectPtr start_commit(git_repository* repo, const std::string& ref_or_empty, const std::string& where) {
  std::string ref = ref_or_empty.empty() ? "HEAD" : ref_or_empty;
  // libgit2 1.5 does not read .git/shallow: its walk would stop at the first missing parent.
  if (git_repository_is_shallow(repo) == 1) {
    throw Error(where + ": a shallow clone, whose history is cut; fetch all of it first (git fetch --unshallow)");
  }
  git_object* start_raw = nullptr;
  check(git_revparse_single(&start_raw, repo, ref.c_str()), where + ": cannot resolve '" + ref + "'");
  ObjectPtr start(start_raw);
  git_object* commit_raw = nullptr;
  check(git_object_peel(&commit_raw, start.get(), GIT_OBJECT_COMMIT), where + ": '" + ref + "' is not a commit");
  return ObjectPtr(commit_raw);
}

std::string run_summary(const GitImportOptions& o, const GitImportSummary& s) {
  nlohmann::json summary = {
      {"repository", o.repository},         {"head", s.head},           {"commits_walked", s.commits_walked},
      {"new_commits", s.new_commits},       {"file_rows", s.file_rows}, {"closes_links", s.closes_links},
      {"mentions_links", s.mentions_links}, {"new_tags", s.new_tags},   {"updated_tags", s.updated_tags}};
  return json_text(summary);
}

}  // namespace

GitImportSummary import_git_history(Store& store, const Preset& preset, const GitImportOptions& o) {
  auto [owner, name] = split_repository(o.repository, "--repo");
  if (o.source.empty()) throw Error("git: no repository path or URL given");
  if (!o.since.empty() && !valid_iso8601(o.since))
    throw Error("git --since: '" + o.since + "' is not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ)");
  LibGit2 session;
  // libgit2 re-hashes every object it reads unless told not to; git itself does not, and the
  // check costs a tenth of the import.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // The walk reads each tree about twice, one commit apart, so a small object cache serves it
  // as well as the default 256 MiB: on 20,000 commits, same time and 56 MiB less memory.
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(32) << 20);

  RepositoryPtr repo = open_repository(store, o, owner, name);
  std::string where = redact_url_credentials(o.source);
  ObjectPtr start = start_commit(repo.get(), o.ref, where);

  GitImportSummary s;
  s.head = oid_hex(git_object_id(start.get()));
  Transaction tx(store.db());
  s.run_id = store.begin_run("git", o.argv, nullptr);
  int64_t repository_id = store.upsert_repository(repository_info(preset, owner, name));
  HistoryWriter writer(store, repository_id, owner, name);
  walk_commits(repo.get(), *git_object_id(start.get()), o, writer, s);
  upsert_tags(repo.get(), store, repository_id, where, s);
  store.finish_run(s.run_id, "ok", run_summary(o, s));
  tx.commit();
  return s;
}

std::string git_progress_text(int64_t commits_walked) { return std::to_string(commits_walked) + " commits walked"; }

void print_git_summary(const GitImportSummary& s, const GitImportOptions& o, const std::string& db, std::ostream& out) {
  out << "Imported the history of " << o.repository << " at " << s.head.substr(0, 12) << " into " << db << " (run "
      << s.run_id << ")\n"
      << "Commits: " << s.commits_walked << " walked, " << s.new_commits << " new, " << s.known_commits
      << " already stored";
  if (s.before_since) out << ", " << s.before_since << " before " << o.since;
  out << "\nFiles changed: " << s.file_rows << " rows";
  if (s.files_without_line_counts) {
    out << " (" << s.files_without_line_counts
        << " without line counts: their blobs are not in the clone, as in a blobless partial clone)";
  }
  out << "\n"
      << "Issue links: " << s.closes_links << " closes, " << s.mentions_links << " mentions\n"
      << "Tags: " << s.new_tags << " new, " << s.updated_tags << " updated, " << s.unchanged_tags << " unchanged\n";
}

}  // namespace firstmile
