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

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/issue_references.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "mine/git_commit_reader.h"
#include "mine/git_objects.h"
#include "dataset/preset.h"
#include "store/git_tables.h"
#include "store/store.h"

namespace firstmile {

namespace {

// libgit2 is initialised for the duration of an import (its init and shutdown are counted).
struct LibGit2 {
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() {
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);  // as it was for other libgit2 users in this process
    git_libgit2_shutdown();
  }
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;
};

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

  void add(const CommitRecord& c, GitImportSummary& s) {
    int64_t insertions = 0, deletions = 0;
    for (const CommitFileRow& f : c.files) {
      insertions += f.insertions.value_or(0);
      deletions += f.deletions.value_or(0);
    }
    auto text = [](const std::optional<std::string>& t) -> std::optional<std::string_view> {
      if (!t) return std::nullopt;
      return std::string_view(*t);
    };
    int64_t commit_id = writer_.add_commit({.repository_id = repository_id_,
                                            .sha = c.sha,
                                            .author_name = text(c.author_name),
                                            .author_email = text(c.author_email),
                                            .authored_at = c.authored_at,
                                            .committer_name = text(c.committer_name),
                                            .committer_email = text(c.committer_email),
                                            .committed_at = c.committed_at,
                                            .message = c.message,
                                            .parents = c.parents,
                                            .files_changed = static_cast<int64_t>(c.files.size()),
                                            .insertions = insertions,
                                            .deletions = deletions});
    known_.insert(c.sha);
    for (const CommitFileRow& f : c.files) writer_.add_file(commit_id, f);
    s.file_rows += static_cast<int64_t>(c.files.size());
    s.files_without_line_counts += c.files_without_line_counts;
    for (const CommitIssueLink& l : issue_links_in_message(c.message, owner_, name_)) {
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
  // The walk is quick; reading and diffing the new commits is the work, spread over all cores.
  std::vector<git_oid> fresh;
  git_oid oid;
  int rc = 0;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
    ++s.commits_walked;
    if (writer.known(oid_hex(&oid))) {
      ++s.known_commits;
      continue;
    }
    fresh.push_back(oid);
  }
  if (rc != GIT_ITEROVER) check(rc, o.source + ": cannot walk the history");
  int64_t done = s.known_commits;
  read_commits(repo, fresh, {.since = o.since, .threads = o.threads}, [&](CommitRecord& c) {
    if (o.progress && ++done % 1000 == 0) o.progress(done);
    if (c.before_since) {
      ++s.before_since;
      return;
    }
    writer.add(c, s);
    ++s.new_commits;
  });
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
  // The walk reads each object about twice, one commit apart: the commit reader keeps what the
  // next commit needs (mine/git_recent_objects.h), and libgit2's own object cache, locked,
  // hashed and evicted at random, cost a third of the import and 150 MiB on 20,000 commits.
  git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);

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
