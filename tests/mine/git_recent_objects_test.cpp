// Tests of mine/git_recent_objects.h: what one commit's old side read is kept for the next.
#include <doctest/doctest.h>

#include "mine/git_recent_objects.h"
#include "support/files.h"
#include "support/git_fixture.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

constexpr git_time_t kMay1Noon = 1714564800;

// A repository holding the blobs "a", "b" and a 1,000-byte one, opened a second time as the
// importer opens it.
struct Objects {
  TempDir dir;
  GitFixture fixture{dir.path() / "repo"};
  git_repository* repo = nullptr;
  git_oid a{}, b{}, big{};

  Objects() {
    fixture.commit({{"a.txt", "a\n"}, {"b.txt", "b\n"}, {"big.txt", std::string(1000, 'x')}}, "Add\n", kMay1Noon);
    REQUIRE(git_repository_open(&repo, (dir.path() / "repo").c_str()) == 0);
    git_odb_hash(&a, "a\n", 2, GIT_OBJECT_BLOB);
    git_odb_hash(&b, "b\n", 2, GIT_OBJECT_BLOB);
    const std::string x(1000, 'x');
    git_odb_hash(&big, x.data(), x.size(), GIT_OBJECT_BLOB);
  }
  ~Objects() { git_repository_free(repo); }
  Objects(const Objects&) = delete;
  Objects& operator=(const Objects&) = delete;
};

std::string text(const std::shared_ptr<git_blob>& blob) {
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())), git_blob_rawsize(blob.get()));
}

}  // namespace

TEST_CASE("an object read for a commit's old side is not read again for the next commit") {
  Objects o;
  RecentObjects recent(o.repo);
  int e = 0;
  auto first = recent.blob(o.a, RecentObjects::kOldSide, e);
  REQUIRE(e == 0);
  CHECK(text(first) == "a\n");
  recent.next_commit();
  auto again = recent.blob(o.a, RecentObjects::kNewSide, e);
  CHECK(e == 0);
  CHECK(again.get() == first.get());
  CHECK(recent.reads() == 1);
}

TEST_CASE("a new side's objects, and what the last commit did not use, are read again") {
  Objects o;
  RecentObjects recent(o.repo);
  int e = 0;
  recent.blob(o.a, RecentObjects::kNewSide, e);
  recent.blob(o.b, RecentObjects::kOldSide, e);
  recent.next_commit();
  recent.blob(o.a, RecentObjects::kOldSide, e);  // read again: a new side is not kept
  CHECK(recent.reads() == 3);
  recent.next_commit();  // this commit did not use b: it is let go
  recent.blob(o.b, RecentObjects::kNewSide, e);
  CHECK(recent.reads() == 4);
  recent.blob(o.a, RecentObjects::kNewSide, e);  // kept: the commit before read it as its old side
  CHECK(recent.reads() == 4);
}

TEST_CASE("an object kept over several commits stays while each uses it on its old side") {
  Objects o;
  RecentObjects recent(o.repo);
  int e = 0;
  for (int commit = 0; commit < 5; ++commit) {
    recent.blob(o.a, RecentObjects::kOldSide, e);
    recent.next_commit();
  }
  CHECK(recent.reads() == 1);
}

TEST_CASE("no more than the limit is kept") {
  Objects o;
  RecentObjects recent(o.repo, 100);
  int e = 0;
  recent.blob(o.big, RecentObjects::kOldSide, e);
  recent.blob(o.a, RecentObjects::kOldSide, e);
  recent.next_commit();
  recent.blob(o.big, RecentObjects::kNewSide, e);  // 1,000 bytes: over the limit, read again
  recent.blob(o.a, RecentObjects::kNewSide, e);    // 2 bytes: kept
  CHECK(recent.reads() == 3);
}

TEST_CASE("an object the repository lacks, or of another type, gives libgit2's error and nothing") {
  Objects o;
  RecentObjects recent(o.repo);
  git_oid missing{};
  git_oid_fromstr(&missing, "0123456789abcdef0123456789abcdef01234567");
  int e = 0;
  CHECK(recent.blob(missing, RecentObjects::kOldSide, e) == nullptr);
  CHECK(e == GIT_ENOTFOUND);
  recent.blob(o.a, RecentObjects::kOldSide, e);
  recent.next_commit();
  CHECK(recent.tree_data(o.a, RecentObjects::kNewSide, e) == nullptr);  // kept as a blob, asked as a tree
  CHECK(e < 0);
  CHECK(recent.commit(o.a, RecentObjects::kNewSide, e) == nullptr);
  CHECK(e < 0);
}
