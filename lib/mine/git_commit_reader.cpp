// mine/git_commit_reader.cpp — commits and their first-parent diffs, read on all cores and
// handed over in order.
#include "mine/git_commit_reader.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <unordered_map>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "mine/git_objects.h"
#include "mine/git_pack_reader.h"
#include "mine/git_recent_objects.h"
#include "mine/git_tree_changes.h"

namespace firstmile {

namespace {

using SharedBlob = std::shared_ptr<git_blob>;

// A blob the object database does not hold (a blobless partial clone fetches them on demand,
// and libgit2 cannot): the file is still recorded, without its line counts.
bool missing_object(int error) { return error == GIT_ENOTFOUND; }

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

void count_lines(git_patch* patch, const std::string& sha, CommitFileRow& f) {
  // The patch, once made, knows whether the blobs are binary: those get no counts.
  if (git_patch_get_delta(patch)->flags & GIT_DIFF_FLAG_BINARY) return;
  size_t context = 0, added = 0, deleted = 0;
  check(git_patch_line_stats(&context, &added, &deleted, patch), sha, "cannot count lines");
  f.insertions = static_cast<int64_t>(added);
  f.deletions = static_cast<int64_t>(deleted);
}

// Whether a gitattributes file could give a path a diff driver (binary, text or named), found
// by looking where libgit2 looks: the system and global files, info/attributes, and every
// folder of the path in the work tree. libgit2 looks again for every file it diffs (two stats
// and an access per blob pair, most of a commit's system time); with no such file, the blobs
// are diffed without the repository and get the driver they would get anyway (the content decides), as plain buffers.
// When unsure, it says yes: that costs time, never a different count.
class AttributeFiles {
 public:
  explicit AttributeFiles(git_repository* repo) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto exists = [&](const fs::path& p) { return fs::exists(p, ec) || ec; };
    git_buf system = GIT_BUF_INIT;
    if (git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, &system) == 0 && system.ptr) {
      std::string dirs = system.ptr;
      for (size_t start = 0; start <= dirs.size();) {
        size_t end = std::min(dirs.find(GIT_PATH_LIST_SEPARATOR, start), dirs.size());
        if (end > start && exists(fs::path(dirs.substr(start, end - start)) / "gitattributes")) everywhere_ = true;
        start = end + 1;
      }
    } else {
      everywhere_ = true;
    }
    git_buf_dispose(&system);
    const char* home = std::getenv("HOME");
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if ((xdg && exists(fs::path(xdg) / "git/attributes")) || (home && exists(fs::path(home) / ".config/git/attributes")))
      everywhere_ = true;
    git_config* config = nullptr;
    if (git_repository_config_snapshot(&config, repo) == 0) {
      git_buf file = GIT_BUF_INIT;
      if (git_config_get_path(&file, config, "core.attributesfile") != GIT_ENOTFOUND) everywhere_ = true;
      git_buf_dispose(&file);
      git_config_free(config);
    } else {
      everywhere_ = true;
    }
    if (exists(fs::path(git_repository_path(repo)) / "info/attributes")) everywhere_ = true;
    if (const char* workdir = git_repository_workdir(repo)) workdir_ = workdir;
  }

  bool may_apply(const std::string& path) {
    if (everywhere_) return true;
    if (workdir_.empty()) return false;
    return in_folder(path.substr(0, std::min(path.rfind('/'), path.size())));
  }

 private:
  // Whether the folder ("" the top) or one above it holds a .gitattributes in the work tree.
  bool in_folder(const std::string& folder) {
    if (auto known = folders_.find(folder); known != folders_.end()) return known->second;
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::path(workdir_) / folder / ".gitattributes";
    bool found = std::filesystem::exists(file, ec) || ec;
    if (!found && !folder.empty()) {
      size_t slash = folder.rfind('/');
      found = in_folder(slash == std::string::npos ? std::string() : folder.substr(0, slash));
    }
    return folders_[folder] = found;
  }

  bool everywhere_ = false;
  std::string workdir_;
  std::unordered_map<std::string, bool> folders_;
};

// Whether the changes can be diffed blob against blob, without libgit2's tree diff: only
// regular files whose content changed, and no rename possible — a rename needs a deleted and
// an added file, and renames are all libgit2's diff would find beyond that (no copies, no
// rewrites). Links, submodules, type and mode-only changes go the general way.
bool blob_diffable(const std::vector<TreeChange>& changes) {
  auto regular = [](git_filemode_t m) { return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE; };
  bool added = false, deleted = false;
  for (const TreeChange& c : changes) {
    if (!c.old_mode) added = true;
    if (!c.new_mode) deleted = true;
    if ((c.old_mode && !regular(c.old_mode)) || (c.new_mode && !regular(c.new_mode))) return false;
    if (c.old_mode && c.new_mode && git_oid_equal(&c.old_id, &c.new_id)) return false;
  }
  return !(added && deleted);
}

// Lines added and deleted between two blobs (either null: empty), as libgit2's patch of them
// counts them, read from its hunk headers alone: with no context lines, a hunk's old and new
// line counts are its deleted and added lines, and no patch (hunks, lines) is built. Binary
// blobs (by content, or by a gitattributes driver) get no counts. `path` names the file for
// the gitattributes lookup; empty, libgit2 looks nothing up and the content decides.
void count_blob_lines(const git_blob* old_blob, const git_blob* new_blob, const char* path, const std::string& sha,
                      CommitFileRow& f) {
  struct Counts {
    size_t added = 0, deleted = 0;
    bool binary = false;
  } counts;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;
  options.interhunk_lines = 0;
  auto binary = [](const git_diff_delta*, const git_diff_binary*, void* payload) {
    static_cast<Counts*>(payload)->binary = true;
    return 0;
  };
  auto hunk = [](const git_diff_delta*, const git_diff_hunk* h, void* payload) {
    auto* c = static_cast<Counts*>(payload);
    c->deleted += static_cast<size_t>(h->old_lines);
    c->added += static_cast<size_t>(h->new_lines);
    return 0;
  };
  check(git_diff_blobs(old_blob, path, new_blob, path, &options, nullptr, binary, hunk, nullptr, &counts), sha,
        "cannot diff a file");
  if (counts.binary) return;
  f.insertions = static_cast<int64_t>(counts.added);
  f.deletions = static_cast<int64_t>(counts.deleted);
}

// Each change diffed blob against blob (the same line diff, driver and binary check as the
// tree diff's patches). Nullopt when a blob is missing: the general way then records what it
// can.
std::optional<std::vector<CommitFileRow>> blob_diffs(RecentObjects& recent, const std::vector<TreeChange>& changes,
                                                     const std::string& sha, AttributeFiles& attributes) {
  std::vector<CommitFileRow> files;
  files.reserve(changes.size());
  auto blob = [&](git_filemode_t mode, const git_oid& id, RecentObjects::Side side, SharedBlob& out) {
    if (!mode) return true;
    int e = 0;
    out = recent.blob(id, side, e);
    if (missing_object(e)) return false;
    check(e, sha, "cannot read a file");
    return true;
  };
  for (const TreeChange& c : changes) {
    SharedBlob old_blob, new_blob;
    if (!blob(c.old_mode, c.old_id, RecentObjects::kOldSide, old_blob) ||
        !blob(c.new_mode, c.new_id, RecentObjects::kNewSide, new_blob))
      return std::nullopt;
    CommitFileRow& f = files.emplace_back();
    f.path = c.path;
    f.status = !c.old_mode ? "added" : !c.new_mode ? "deleted" : "modified";
    // Without a gitattributes file that could apply, no path: libgit2 then skips its lookups
    // (four file-system calls per file) and the automatic driver, the content, decides.
    count_blob_lines(old_blob.get(), new_blob.get(), attributes.may_apply(c.path) ? c.path.c_str() : "", sha, f);
  }
  return files;
}

// The general way: libgit2's tree-to-tree diff restricted to the changed paths (an exact path
// list, so its iterators skip the rest), renames found, a patch per file.
std::vector<CommitFileRow> tree_diffs(git_repository* repo, const git_tree* parent_tree, const git_tree* tree,
                                      const std::vector<TreeChange>& changes, const std::string& sha,
                                      int64_t& missing_blobs) {
  std::vector<char*> pathspec;
  pathspec.reserve(changes.size());
  for (const TreeChange& c : changes) pathspec.push_back(const_cast<char*>(c.path.c_str()));
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_INCLUDE_TYPECHANGE         // else a type change is a delete plus an add of one path
                  | GIT_DIFF_DISABLE_PATHSPEC_MATCH;  // the paths are exact: the iterators skip the rest
  options.pathspec.strings = pathspec.data();
  options.pathspec.count = pathspec.size();
  git_diff* diff_raw = nullptr;
  check(git_diff_tree_to_tree(&diff_raw, repo, const_cast<git_tree*>(parent_tree), const_cast<git_tree*>(tree),
                              &options),
        sha, "cannot diff");
  DiffPtr diff(diff_raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  // Rename detection reads the blobs; without them, renames read as a deletion and an addition.
  if (int e = git_diff_find_similar(diff.get(), &find); e != 0 && !missing_object(e)) check(e, sha, "cannot find renames");

  std::vector<CommitFileRow> files;
  const size_t count = git_diff_num_deltas(diff.get());
  files.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    git_patch* patch_raw = nullptr;
    if (int e = git_patch_from_diff(&patch_raw, diff.get(), i); e != 0) {
      if (!missing_object(e)) check(e, sha, "cannot diff a file");
      ++missing_blobs;
      patch_raw = nullptr;
    }
    PatchPtr patch(patch_raw);
    const git_diff_delta* delta = patch ? git_patch_get_delta(patch.get()) : git_diff_get_delta(diff.get(), i);
    CommitFileRow& f = files.emplace_back();
    f.status = status_name(delta->status);
    f.path = delta->status == GIT_DELTA_DELETED ? delta->old_file.path : delta->new_file.path;
    if (delta->status == GIT_DELTA_RENAMED || delta->status == GIT_DELTA_COPIED) f.old_path = delta->old_file.path;
    if (patch) count_lines(patch.get(), sha, f);
  }
  std::sort(files.begin(), files.end(), [](const CommitFileRow& x, const CommitFileRow& y) { return x.path < y.path; });
  return files;
}

std::optional<std::string> text_or_null(const char* s) {
  if (!s) return std::nullopt;
  return std::string(s);
}

// What one thread reads commits with: its repository, and what it keeps between commits.
struct CommitReader {
  explicit CommitReader(git_repository* r) : repo(r), attributes(r), recent(r) {
    add_pack_reader(r);  // delta bases kept: a read builds one delta, not a chain (mine/git_pack_reader.h)
  }
  git_repository* repo;
  AttributeFiles attributes;
  RecentObjects recent;
};

std::vector<CommitFileRow> changed_files(CommitReader& reader, git_commit* commit, const std::string& sha,
                                         int64_t& missing_blobs);

CommitRecord read_commit(CommitReader& reader, const git_oid& oid, const std::string& since) {
  CommitRecord r;
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  r.sha = hex;
  int e = 0;
  std::shared_ptr<git_commit> commit = reader.recent.commit(oid, RecentObjects::kNewSide, e);
  check(e, r.sha, "cannot read it");
  const git_signature* author = git_commit_author(commit.get());
  const git_signature* committer = git_commit_committer(commit.get());
  // git_time.time counts seconds since the epoch in UTC; the offset only says which clock the
  // author's wall showed, so the UTC form ignores it.
  r.committed_at = iso8601_utc(static_cast<int64_t>(committer->when.time));
  if (!since.empty() && r.committed_at < since) {
    r.before_since = true;
    return r;
  }
  r.authored_at = iso8601_utc(static_cast<int64_t>(author->when.time));
  r.author_name = text_or_null(author->name), r.author_email = text_or_null(author->email);
  r.committer_name = text_or_null(committer->name), r.committer_email = text_or_null(committer->email);
  if (const char* message = git_commit_message(commit.get())) r.message = message;
  r.parents = static_cast<int64_t>(git_commit_parentcount(commit.get()));
  r.files = changed_files(reader, commit.get(), r.sha, r.files_without_line_counts);
  reader.recent.next_commit();
  return r;
}

// The files `commit` changed against its first parent. Files whose blobs are missing are
// listed without line counts, and counted in `missing_blobs`.
std::vector<CommitFileRow> changed_files(CommitReader& reader, git_commit* commit, const std::string& sha,
                                         int64_t& missing_blobs) {
  RecentObjects& recent = reader.recent;
  const git_oid* parent_tree_id = nullptr;
  std::shared_ptr<git_commit> parent;
  if (git_commit_parentcount(commit) > 0) {
    int e = 0;
    parent = recent.commit(*git_commit_parent_id(commit, 0), RecentObjects::kOldSide, e);
    check(e, sha, "cannot read its first parent");
    parent_tree_id = git_commit_tree_id(parent.get());
  }
  std::vector<TreeChange> changes;
  changed_paths(recent, parent_tree_id, git_commit_tree_id(commit), sha, changes);
  if (changes.empty()) return {};
  std::sort(changes.begin(), changes.end(), [](const TreeChange& x, const TreeChange& y) { return x.path < y.path; });
  if (blob_diffable(changes)) {
    if (auto files = blob_diffs(recent, changes, sha, reader.attributes)) return std::move(*files);
  }
  // The general way needs both trees parsed (libgit2's tree diff); few commits come here.
  auto tree = [&](const git_oid* id) {
    if (!id) return std::shared_ptr<git_tree>();
    int e = 0;
    auto t = std::reinterpret_pointer_cast<git_tree>(recent.object(*id, GIT_OBJECT_TREE, RecentObjects::kNewSide, e));
    check(e, sha, "cannot read its tree");
    return t;
  };
  auto parent_tree = tree(parent_tree_id), new_tree = tree(git_commit_tree_id(commit));
  return tree_diffs(reader.repo, parent_tree.get(), new_tree.get(), changes, sha, missing_blobs);
}

}  // namespace

void read_commits(git_repository* repo, const std::vector<git_oid>& commits, const CommitReadOptions& options,
                  const std::function<void(CommitRecord&)>& consume) {
  const size_t n = commits.size();
  // By default one reading thread per core: the thread that consumes (here: writes SQLite) needs
  // a tenth of the time, and shares a core. On 20,000 commits and two cores, two readers took
  // 0.6-0.7 of one's time; on a machine whose cores are busy elsewhere they cost a third more
  // CPU time than one (`--threads 1`).
  size_t threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  if (!(git_libgit2_features() & GIT_FEATURE_THREADS)) threads = 1;
  threads = std::min(threads, n / 64 + 1);  // a few dozen commits are not worth a thread
  if (threads <= 1) {
    CommitReader reader(repo);
    for (const git_oid& oid : commits) {
      CommitRecord r = read_commit(reader, oid, options.since);
      consume(r);
    }
    return;
  }
  // The path `repo` was opened with: a work tree's, so that its .gitattributes apply alike.
  const std::string path = git_repository_workdir(repo) ? git_repository_workdir(repo) : git_repository_path(repo);
  // Commit i waits in slots[i % window] for its turn; a thread takes commit i only once commit
  // i - window is handed over, which bounds memory whatever the history's length.
  struct Slot {
    std::optional<CommitRecord> record;
    std::exception_ptr error;
    bool filled() const { return record || error; }
  };
  // Long runs of consecutive commits: what a thread kept from one commit (objects, delta bases)
  // serves its next; with blocks of 16, two threads took 6-16% more CPU time than with 256. A
  // short history still gets a few blocks per thread.
  const size_t kBlock = std::clamp<size_t>(n / (threads * 4), 16, 256);
  std::vector<Slot> slots(4096);
  const size_t window = slots.size();
  std::mutex mutex;
  std::condition_variable filled, freed;
  size_t next = 0, handed_over = 0;
  bool stop = false;
  auto work = [&] {
    RepositoryPtr own;
    std::optional<CommitReader> reader;
    for (;;) {
      // Commits are taken and handed back in blocks: one lock and one wake-up per block.
      size_t first = 0, end = 0;
      {
        std::unique_lock lock(mutex);
        freed.wait(lock, [&] { return stop || next >= n || next + kBlock <= handed_over + window; });
        if (stop || next >= n) return;
        first = next;
        end = next = std::min(n, next + kBlock);
      }
      std::vector<Slot> done(end - first);
      bool failed = false;
      for (size_t i = first; i < end && !failed; ++i) {
        Slot& s = done[i - first];
        try {
          if (!own) {
            git_repository* raw = nullptr;
            check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
                  path + ": cannot open it again");
            own.reset(raw);
            reader.emplace(own.get());
          }
          s.record = read_commit(*reader, commits[i], options.since);
        } catch (...) {
          s.error = std::current_exception();
          failed = true;
        }
      }
      {
        std::lock_guard lock(mutex);
        for (size_t i = first; i < end; ++i) slots[i % window] = std::move(done[i - first]);
      }
      filled.notify_all();
      if (failed) return;  // the error is rethrown in its turn; later commits are not needed
    }
  };
  std::vector<std::jthread> pool;
  auto finish = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    freed.notify_all();
    pool.clear();  // joins
  };
  try {
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(work);
    std::vector<Slot> ready;
    for (size_t i = 0; i < n;) {
      ready.clear();
      {
        std::unique_lock lock(mutex);
        filled.wait(lock, [&] { return slots[i % window].filled(); });
        for (size_t k = i; k < n && slots[k % window].filled(); ++k) {
          ready.push_back(std::move(slots[k % window]));
          slots[k % window] = Slot{};
        }
        handed_over += ready.size();
      }
      freed.notify_all();
      for (Slot& s : ready) {
        if (s.error) std::rethrow_exception(s.error);
        consume(*s.record);
      }
      i += ready.size();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace firstmile
