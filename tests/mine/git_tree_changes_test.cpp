// Tests of mine/git_tree_changes.h: raw trees compared as libgit2 would read them.
#include <doctest/doctest.h>

#include <string>

#include "base/error.h"
#include "mine/git_tree_changes.h"
#include "support/files.h"
#include "support/git_fixture.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

constexpr git_time_t kMay1Noon = 1714564800;

struct Repo {
  TempDir dir;
  GitFixture fixture{dir.path() / "repo"};
  git_repository* repo = nullptr;
  Repo() { REQUIRE(git_repository_open(&repo, (dir.path() / "repo").c_str()) == 0); }
  ~Repo() { git_repository_free(repo); }
  Repo(const Repo&) = delete;
  Repo& operator=(const Repo&) = delete;

  git_oid tree_of(const std::string& sha) {
    git_oid id;
    git_oid_fromstr(&id, sha.c_str());
    git_commit* c = nullptr;
    REQUIRE(git_commit_lookup(&c, repo, &id) == 0);
    git_oid tree = *git_commit_tree_id(c);
    git_commit_free(c);
    return tree;
  }

  // A tree object written byte for byte, however odd.
  git_oid raw_tree(const std::string& bytes) {
    git_odb* odb = nullptr;
    REQUIRE(git_repository_odb(&odb, repo) == 0);
    git_oid id;
    REQUIRE(git_odb_write(&id, odb, bytes.data(), bytes.size(), GIT_OBJECT_TREE) == 0);
    git_odb_free(odb);
    return id;
  }
};

std::string raw_id(const git_oid& id) { return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ); }

std::string listed(const std::vector<TreeChange>& changes) {
  std::string out;
  for (const TreeChange& c : changes) {
    out += c.path + " " + std::to_string(c.old_mode) + ">" + std::to_string(c.new_mode) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the files that differ between two trees, deep, added, deleted and with folders named like files") {
  Repo r;
  std::string a = r.fixture.commit({{"foo.txt", "1\n"}, {"foo/a.txt", "a\n"}, {"same/x.txt", "x\n"},
                                    {"gone/deep/y.txt", "y\n"}, {"f", "f\n"}},
                                   "A\n", kMay1Noon);
  std::string b = r.fixture.commit({{"foo.txt", "2\n"}, {"foo/a.txt", "b\n"}, {"gone/deep/y.txt", std::nullopt},
                                    {"new/z.txt", "z\n"}, {"f", std::nullopt}, {"f/g.txt", "g\n"}},
                                   "B\n", kMay1Noon + 60);
  RecentObjects recent(r.repo);
  const git_oid ta = r.tree_of(a), tb = r.tree_of(b);
  std::vector<TreeChange> changes;
  changed_paths(recent, &ta, &tb, b, changes);
  CHECK(listed(changes) ==
        "f 33188>0\n"
        "f/g.txt 0>33188\n"
        "foo.txt 33188>33188\n"
        "foo/a.txt 33188>33188\n"
        "gone/deep/y.txt 33188>0\n"
        "new/z.txt 0>33188\n");
  const size_t reads = recent.reads();
  changes.clear();
  changed_paths(recent, nullptr, &ta, a, changes);  // a root commit: every file added
  CHECK(changes.size() == 5);
  CHECK(recent.reads() > reads);
}

TEST_CASE("a folder equal on both sides is not read") {
  Repo r;
  std::map<std::string, std::optional<std::string>> files;
  for (int i = 0; i < 50; ++i) files["big/f" + std::to_string(i) + ".txt"] = std::to_string(i) + "\n";
  files["a.txt"] = "1\n";
  std::string a = r.fixture.commit(files, "A\n", kMay1Noon);
  std::string b = r.fixture.commit({{"a.txt", "2\n"}}, "B\n", kMay1Noon + 60);
  RecentObjects recent(r.repo);
  const git_oid ta = r.tree_of(a), tb = r.tree_of(b);
  std::vector<TreeChange> changes;
  changed_paths(recent, &ta, &tb, b, changes);
  CHECK(listed(changes) == "a.txt 33188>33188\n");
  CHECK(recent.reads() == 2);  // the two root trees, not big/
}

TEST_CASE("modes read as libgit2 reads them, and a mode libgit2 calls the same is no change") {
  Repo r;
  git_oid blob;
  REQUIRE(git_blob_create_from_buffer(&blob, r.repo, "x\n", 2) == 0);
  for (unsigned mode : {0100644u, 0100755u, 0100664u, 0100600u, 0100700u, 0120000u, 0120755u, 0160000u, 040000u,
                        040755u, 0644u, 0u}) {
    CAPTURE(mode);
    char octal[16];
    std::snprintf(octal, sizeof octal, "%o", mode);
    const git_oid tree = r.raw_tree(std::string(octal) + " name" + std::string(1, '\0') + raw_id(blob));
    git_tree* parsed = nullptr;
    REQUIRE(git_tree_lookup(&parsed, r.repo, &tree) == 0);
    CHECK(normalized_filemode(mode) == git_tree_entry_filemode(git_tree_entry_byindex(parsed, 0)));
    git_tree_free(parsed);
  }
  const git_oid old_tree = r.raw_tree("100664 a.txt" + std::string(1, '\0') + raw_id(blob));
  const git_oid new_tree = r.raw_tree("100644 a.txt" + std::string(1, '\0') + raw_id(blob));
  RecentObjects recent(r.repo);
  std::vector<TreeChange> changes;
  changed_paths(recent, &old_tree, &new_tree, "c0ffee", changes);
  CHECK(changes.empty());
}

TEST_CASE("a malformed tree is an error naming the commit") {
  Repo r;
  git_oid blob;
  REQUIRE(git_blob_create_from_buffer(&blob, r.repo, "x\n", 2) == 0);
  const git_oid good = r.raw_tree("100644 a" + std::string(1, '\0') + raw_id(blob));
  std::string bad;
  SUBCASE("no mode") { bad = " a" + std::string(1, '\0') + raw_id(blob); }
  SUBCASE("no space") { bad = "100644a" + std::string(1, '\0') + raw_id(blob); }
  SUBCASE("no name") { bad = "100644 " + std::string(1, '\0') + raw_id(blob); }
  SUBCASE("a short id") { bad = "100644 a" + std::string(1, '\0') + raw_id(blob).substr(0, 10); }
  SUBCASE("a mode too large") { bad = "1000000 a" + std::string(1, '\0') + raw_id(blob); }
  const git_oid broken = r.raw_tree(bad);
  RecentObjects recent(r.repo);
  std::vector<TreeChange> changes;
  CHECK_THROWS_WITH_AS(changed_paths(recent, &good, &broken, "c0ffee", changes), "commit c0ffee: a malformed tree",
                       Error);
}
