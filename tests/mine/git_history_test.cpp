// Tests of mine/git_history.h on repositories built with libgit2.
#include <doctest/doctest.h>

#include "base/error.h"
#include "dataset/preset.h"
#include "mine/git_history.h"
#include "store/store.h"
#include "support/files.h"
#include "support/git_fixture.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

constexpr git_time_t kMay1Noon = 1714564800;  // 2024-05-01T12:00:00Z
constexpr git_time_t kHour = 3600;

Preset preset() { return load_preset(source_file("data/presets/open-llm-failures.json").string()); }

// A history with every kind of change: root, modify/delete/rename, a side branch, a merge, tags.
struct History {
  std::string root, changes, side, merge;
};

History build_history(GitFixture& repo) {
  History h;
  h.root = repo.commit({{"a.txt", "1\n2\n3\n"}, {"b.txt", "x\n"}, {"old.txt", "keep\nthese\nfour\nlines\n"}},
                       "Initial commit\n\nSee #3, not abc#12 nor colour #fff.\n", kMay1Noon, 120);
  h.changes = repo.commit({{"a.txt", "1\n2\nthree\n4\n"},
                           {"b.txt", std::nullopt},
                           {"old.txt", std::nullopt},
                           {"new.txt", "keep\nthese\nfour\nlines\n"}},
                          "Fixes #12, closes QwenLM/Qwen2.5#7\n", kMay1Noon + kHour, -300);
  h.side = repo.commit({{"side.txt", "s\n"}}, "Side work, see https://github.com/QwenLM/Qwen2.5/issues/306\n",
                       kMay1Noon + 2 * kHour, 0, {h.root}, "side");
  h.merge = repo.commit({{"side.txt", "s\n"}}, "Merge branch 'side'\n\nResolves: https://github.com/acme/demo/pull/5\n",
                        kMay1Noon + 3 * kHour, 0, {h.changes, h.side});
  repo.lightweight_tag("v0.1", h.root);
  repo.annotated_tag("v1.0", h.changes, "First release\n", kMay1Noon + 10 * kHour);
  return h;
}

GitImportSummary import(Store& store, const fs::path& source, const std::string& ref = "") {
  GitImportOptions o;
  o.source = source.string();
  o.repository = "acme/demo";
  o.ref = ref;
  o.argv = {"git", source.string(), "--repo", "acme/demo"};
  return import_git_history(store, preset(), o);
}

// Rows of a query with `columns` columns, joined by '|', rows by '\n'; NULL spelled out.
std::string rows(Store& store, const std::string& sql, int columns = 1) {
  std::string out;
  Query s = store.db().query(sql);
  while (s.step()) {
    for (int c = 0; c < columns; ++c) {
      if (c > 0) out += "|";
      out += s.column_is_null(c) ? "NULL" : s.column_text(c);
    }
    out += "\n";
  }
  return out;
}

int64_t count(Store& store, const std::string& table) { return store.db().query_int("SELECT count(*) FROM " + table); }

std::string table_counts(Store& store) {
  std::string out;
  for (const char* t : {"commits", "commit_files", "commit_issue_links", "tags", "repositories"}) {
    out += std::string(t) + "=" + std::to_string(count(store, t)) + " ";
  }
  return out;
}

}  // namespace

TEST_CASE("commits are stored with authors, UTC dates, message and parent count") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  GitImportSummary s = import(store, dir / "repo");
  CHECK(s.commits_walked == 4);
  CHECK(s.new_commits == 4);
  CHECK(s.head == h.merge);
  Query c = store.db().query(
      "SELECT author_name, author_email, authored_at, committer_name, committed_at, message, parents "
      "FROM commits WHERE sha = ?");
  c.bind(1, h.changes);
  REQUIRE(c.step());
  CHECK(c.column_text(0) == "Alice Example");
  CHECK(c.column_text(1) == "alice@example.com");
  CHECK(c.column_text(2) == "2024-05-01T13:00:00Z");  // written at 08:00-05:00
  CHECK(c.column_text(3) == "Carol Committer");
  CHECK(c.column_text(4) == "2024-05-01T13:01:00Z");
  CHECK(c.column_text(5) == "Fixes #12, closes QwenLM/Qwen2.5#7\n");
  CHECK(c.column_int(6) == 1);
  CHECK(store.db().query_int("SELECT parents FROM commits WHERE sha = '" + h.merge + "'") == 2);
  CHECK(store.db().query_int("SELECT parents FROM commits WHERE sha = '" + h.root + "'") == 0);
}

TEST_CASE("the repository is created with the preset's series") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  repo.commit({{"a.txt", "a\n"}}, "One", kMay1Noon);
  Store store = Store::open_memory();
  GitImportOptions o;
  o.source = (dir / "repo").string();
  o.repository = "QwenLM/Qwen2.5";
  import_git_history(store, preset(), o);
  CHECK(rows(store, "SELECT owner, name, series FROM repositories", 3) == "QwenLM|Qwen2.5|Qwen\n");
}

TEST_CASE("each changed file is stored with its status, old path and line counts") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  std::string files_of_changes =
      rows(store,
           "SELECT f.path, f.status, f.old_path, f.insertions, f.deletions FROM commit_files f "
           "JOIN commits c ON c.id = f.commit_id WHERE c.sha = '" +
               h.changes + "' ORDER BY f.path",
           5);
  CHECK(files_of_changes ==
        "a.txt|modified|NULL|2|1\n"
        "b.txt|deleted|NULL|0|1\n"
        "new.txt|renamed|old.txt|0|0\n");
  CHECK(rows(store, "SELECT files_changed, insertions, deletions FROM commits WHERE sha = '" + h.changes + "'", 3) ==
        "3|2|2\n");
}

TEST_CASE("a root commit is diffed against the empty tree") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  CHECK(rows(store,
             "SELECT f.path, f.status, f.insertions, f.deletions FROM commit_files f JOIN commits c ON "
             "c.id = f.commit_id WHERE c.sha = '" +
                 h.root + "' ORDER BY f.path",
             4) == "a.txt|added|3|0\nb.txt|added|1|0\nold.txt|added|4|0\n");
}

TEST_CASE("a merge commit is diffed against its first parent") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  CHECK(rows(store,
             "SELECT f.path, f.status, f.insertions FROM commit_files f JOIN commits c ON "
             "c.id = f.commit_id WHERE c.sha = '" +
                 h.merge + "'",
             3) == "side.txt|added|1\n");
}

TEST_CASE("changes deep in folders, whole folders added and removed, and moves across folders are all found") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  repo.commit({{"src/a.txt", "a\n"},
               {"src/deep/b.txt", "b1\nb2\n"},
               {"docs/c.txt", "c\n"},
               {"top.txt", "one\ntwo\nthree\nfour\n"},
               {"same/s.txt", "s\n"},
               {"x", "file\n"},
               {"same.txt", "t\n"}},  // git sorts the file same.txt before the folder same
              "Start", 1714564800);
  std::string next = repo.commit({{"src/deep/b.txt", "b1\nB2\nb3\n"},
                                  {"docs/c.txt", std::nullopt},
                                  {"new/d.txt", "d\n"},
                                  {"top.txt", std::nullopt},
                                  {"src/top.txt", "one\ntwo\nthree\nfour\n"},
                                  {"x", std::nullopt},
                                  {"x/y.txt", "y\n"},
                                  {"same.txt", "T\n"}},
                                 "Reorganise", 1714568400);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  // Unchanged folders (same/) and files (src/a.txt) are not listed; a file replaced by a folder
  // of the same name is the file deleted and the folder's files added.
  CHECK(rows(store,
             "SELECT f.path, f.status, f.old_path, f.insertions, f.deletions FROM commit_files f JOIN commits c "
             "ON c.id = f.commit_id WHERE c.sha = '" +
                 next + "' ORDER BY f.path",
             5) ==
        "docs/c.txt|deleted|NULL|0|1\n"
        "new/d.txt|added|NULL|1|0\n"
        "same.txt|modified|NULL|1|1\n"
        "src/deep/b.txt|modified|NULL|2|1\n"
        "src/top.txt|renamed|top.txt|0|0\n"
        "x|deleted|NULL|0|1\n"
        "x/y.txt|added|NULL|1|0\n");
}

TEST_CASE("binary files have no line counts") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  repo.commit({{"logo.png", std::string("\x89PNG\0\0\x01\x02", 8)}, {"a.txt", "a\n"}}, "Add a logo", kMay1Noon);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  CHECK(rows(store, "SELECT path, status, insertions, deletions FROM commit_files ORDER BY path", 4) ==
        "a.txt|added|1|0\nlogo.png|added|NULL|NULL\n");
  CHECK(rows(store, "SELECT files_changed, insertions, deletions FROM commits", 3) == "2|1|0\n");
}

TEST_CASE("a modified binary file has no line counts either (diffed blob against blob)") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  repo.commit({{"logo.png", std::string("\x89PNG\0\0\x01\x02", 8)}, {"a.txt", "a\n"}}, "Add a logo", kMay1Noon);
  std::string change = repo.commit({{"logo.png", std::string("\x89PNG\0\0\x03\x04\n", 9)}, {"a.txt", "a\nb\n"}},
                                   "New logo", kMay1Noon + kHour);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  CHECK(rows(store,
             "SELECT f.path, f.status, f.insertions, f.deletions FROM commit_files f JOIN commits c "
             "ON c.id = f.commit_id WHERE c.sha = '" + change + "' ORDER BY f.path",
             4) == "a.txt|modified|1|0\nlogo.png|modified|NULL|NULL\n");
}

TEST_CASE("a gitattributes file marking files binary is obeyed, as libgit2's tree diff obeys it") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  repo.commit({{"data/a.txt", "a\n"}, {"b.txt", "b\n"}}, "Add", kMay1Noon);
  repo.commit({{"data/a.txt", "a\nmore\n"}, {"b.txt", "b\nmore\n"}}, "Change", kMay1Noon + kHour);
  std::string expected;
  SUBCASE("in the work tree's folder") {
    write_file(dir / "repo" / "data" / ".gitattributes", "*.txt binary\n");
    expected = "b.txt|1|0\ndata/a.txt|NULL|NULL\n";
  }
  SUBCASE("in info/attributes") {
    fs::create_directories(dir / "repo" / ".git" / "info");
    write_file(dir / "repo" / ".git" / "info" / "attributes", "b.txt -diff\n");
    expected = "b.txt|NULL|NULL\ndata/a.txt|1|0\n";
  }
  Store store = Store::open_memory();
  import(store, dir / "repo");
  CHECK(rows(store,
             "SELECT f.path, f.insertions, f.deletions FROM commit_files f JOIN commits c ON c.id = f.commit_id "
             "WHERE c.parents = 1 ORDER BY f.path",
             3) == expected);
}

TEST_CASE("the rows are the same whatever the number of threads, and in commit order") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  for (int i = 0; i < 150; ++i) {
    std::map<std::string, std::optional<std::string>> change = {
        {"f" + std::to_string(i % 7) + ".txt", "line\n" + std::to_string(i) + "\n"}};
    if (i % 10 == 9) change["old" + std::to_string(i) + ".txt"] = std::nullopt;  // a rename now and then
    if (i % 10 == 8) change["old" + std::to_string(i + 1) + ".txt"] = "moved\nfile\n" + std::to_string(i) + "\n";
    if (i % 10 == 9) change["new" + std::to_string(i) + ".txt"] = "moved\nfile\n" + std::to_string(i - 1) + "\n";
    repo.commit(change, "Change " + std::to_string(i) + (i % 7 ? "" : " fixes #" + std::to_string(i)),
                kMay1Noon + i * kHour);
  }
  auto dump = [&](unsigned threads) {
    Store store = Store::open_memory();
    GitImportOptions o;
    o.source = (dir / "repo").string();
    o.repository = "acme/demo";
    o.threads = threads;
    import_git_history(store, preset(), o);
    return rows(store,
                "SELECT c.id, c.sha, c.files_changed, c.insertions, c.deletions, f.path, f.status, f.old_path, "
                "f.insertions FROM commits c LEFT JOIN commit_files f ON f.commit_id = c.id ORDER BY c.id, f.path",
                9) +
           rows(store, "SELECT commit_id, number, kind FROM commit_issue_links ORDER BY 1, 2", 3);
  };
  std::string one = dump(1);
  CHECK(one.find("|renamed|old9.txt|") != std::string::npos);
  CHECK(dump(3) == one);
  CHECK(dump(8) == one);
}

TEST_CASE("annotated tags give tagger, date and message, lightweight tags the commit's date") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  GitImportSummary s = import(store, dir / "repo");
  CHECK(s.new_tags == 2);
  CHECK(rows(store, "SELECT name, sha, tagged_at, tagger, message FROM tags ORDER BY name", 5) ==
        "v0.1|" + h.root + "|2024-05-01T12:01:00Z|NULL|NULL\n" + "v1.0|" + h.changes +
            "|2024-05-01T22:00:00Z|Tom Tagger <tom@example.com>|First release\n\n");
}

TEST_CASE("issue links from commit messages are stored as closes or mentions") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  GitImportSummary s = import(store, dir / "repo");
  CHECK(rows(store,
             "SELECT c.sha = '" + h.root + "', c.sha = '" + h.changes + "', c.sha = '" + h.side +
                 "', l.owner, l.name, l.number, l.kind FROM commit_issue_links l JOIN commits c ON "
                 "c.id = l.commit_id ORDER BY l.owner, l.name, l.number",
             7) ==
        "1|0|0|acme|demo|3|mentions\n"
        "0|0|0|acme|demo|5|closes\n"
        "0|1|0|acme|demo|12|closes\n"
        "0|1|0|QwenLM|Qwen2.5|7|closes\n"
        "0|0|1|QwenLM|Qwen2.5|306|mentions\n");
  CHECK(s.closes_links == 3);
  CHECK(s.mentions_links == 2);
}

TEST_CASE("re-importing is idempotent") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_history(repo);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  std::string before = table_counts(store);
  GitImportSummary again = import(store, dir / "repo");
  CHECK(table_counts(store) == before);
  CHECK(again.commits_walked == 4);
  CHECK(again.new_commits == 0);
  CHECK(again.known_commits == 4);
  CHECK(again.file_rows == 0);
  CHECK(again.new_tags == 0);
  CHECK(again.updated_tags == 0);
  CHECK(again.unchanged_tags == 2);
}

TEST_CASE("a commit made after the first import is added incrementally") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_history(repo);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  std::string next = repo.commit({{"c.txt", "c\nc\n"}}, "Add c, fixes #40", kMay1Noon + 24 * kHour);
  GitImportSummary s = import(store, dir / "repo");
  CHECK(s.new_commits == 1);
  CHECK(s.known_commits == 4);
  CHECK(s.file_rows == 1);
  CHECK(s.closes_links == 1);
  CHECK(count(store, "commits") == 5);
  CHECK(rows(store, "SELECT insertions FROM commits WHERE sha = '" + next + "'") == "2\n");
}

TEST_CASE("a moved tag is updated") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  import(store, dir / "repo");
  repo.lightweight_tag("v0.1", h.merge);
  GitImportSummary s = import(store, dir / "repo");
  CHECK(s.updated_tags == 1);
  CHECK(s.unchanged_tags == 1);
  CHECK(rows(store, "SELECT sha, tagged_at FROM tags WHERE name = 'v0.1'", 2) == h.merge + "|2024-05-01T15:01:00Z\n");
}

TEST_CASE("--ref walks from another branch, and --since skips older commits") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open_memory();
  GitImportSummary side = import(store, dir / "repo", "side");
  CHECK(side.head == h.side);
  CHECK(side.new_commits == 2);
  GitImportOptions o;
  o.source = (dir / "repo").string();
  o.repository = "acme/demo";
  o.since = "2024-05-01T13:00:30Z";
  GitImportSummary later = import_git_history(store, preset(), o);
  CHECK(later.new_commits == 2);  // the changes and the merge: root and side are stored already
  CHECK(later.before_since == 0);
  Store fresh = Store::open_memory();
  GitImportSummary since = import_git_history(fresh, preset(), o);
  CHECK(since.new_commits == 3);   // committed at 13:01, 14:01 and 15:01
  CHECK(since.before_since == 1);  // the root, committed at 12:01
}

TEST_CASE("a URL is cloned into the cache directory, then fetched on the next import") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  History h = build_history(repo);
  Store store = Store::open(dir / "t.db");
  GitImportOptions o;
  o.source = "file://" + (dir / "repo").string();
  o.repository = "acme/demo";
  GitImportSummary first = import_git_history(store, preset(), o);
  CHECK(first.new_commits == 4);
  CHECK(first.head == h.merge);
  CHECK(first.new_tags == 2);
  CHECK(fs::exists(dir / "t.db.git-cache/acme/demo/HEAD"));
  repo.commit({{"c.txt", "c\n"}}, "Later", kMay1Noon + 24 * kHour);
  repo.annotated_tag("v1.0", h.merge, "Moved\n", kMay1Noon + 30 * kHour);
  GitImportSummary second = import_git_history(store, preset(), o);
  CHECK(second.new_commits == 1);
  CHECK(second.updated_tags == 1);
  CHECK(count(store, "commits") == 5);
}

TEST_CASE("URLs and scp-like user@host:path sources are cloned, plain paths are read in place") {
  CHECK(is_git_url("https://github.com/a/b"));
  CHECK(is_git_url("file:///tmp/x"));
  CHECK(is_git_url("git@github.com:a/b.git"));
  CHECK_FALSE(is_git_url("/tmp/repo"));
  CHECK_FALSE(is_git_url("repos/a@b"));
}

TEST_CASE("a path that is not a repository is an error naming it, and the database is unchanged") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_history(repo);
  fs::create_directories(dir / "plain");
  Store store = Store::open(dir / "t.db");
  import(store, dir / "repo");
  std::string before = table_counts(store) + std::to_string(count(store, "runs"));
  try {
    import(store, dir / "plain");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find((dir / "plain").string() + ": not a git repository") != std::string::npos);
  }
  CHECK(table_counts(store) + std::to_string(count(store, "runs")) == before);
}

TEST_CASE("an unknown ref is an error naming it") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_history(repo);
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import(store, dir / "repo", "no-such-branch"),
                       doctest::Contains("cannot resolve 'no-such-branch'"), Error);
  CHECK(count(store, "commits") == 0);
}

TEST_CASE("credentials in a URL appear neither in the error message nor in the runs table") {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  GitImportOptions o;
  o.source = "https://alice:s3cret-token@127.0.0.1:1/acme/demo.git";  // nothing listens on port 1
  o.repository = "acme/demo";
  o.argv = {"git", o.source, "--repo", "acme/demo"};
  try {
    import_git_history(store, preset(), o);
    FAIL("no error");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(message.find("s3cret") == std::string::npos);
    CHECK(message.find("https://<redacted>@127.0.0.1:1/acme/demo.git") != std::string::npos);
  }
  CHECK(count(store, "runs") == 0);

  GitFixture repo(dir / "repo");
  build_history(repo);
  o.source = (dir / "repo").string();
  import_git_history(store, preset(), o);  // argv still carries the URL
  std::string argv = rows(store, "SELECT argv FROM runs");
  CHECK(argv.find("s3cret") == std::string::npos);
  CHECK(argv.find("https://<redacted>@127.0.0.1:1/acme/demo.git") != std::string::npos);
}

TEST_CASE("the progress line counts the commits walked") { CHECK(git_progress_text(12000) == "12000 commits walked"); }
