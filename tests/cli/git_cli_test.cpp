// End-to-end tests of `firstmile git`: summary, idempotent re-run, errors and exit codes.
#include <doctest/doctest.h>

#include "base/content_hash.h"
#include "store/store.h"
#include "support/firstmile_process.h"
#include "support/git_fixture.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {
constexpr git_time_t kMay1Noon = 1714564800;  // 2024-05-01T12:00:00Z

void build_small_history(GitFixture& repo) {
  std::string first = repo.commit({{"README.md", "# demo\n"}}, "Initial commit", kMay1Noon);
  repo.commit({{"README.md", "# demo\n\nusage\n"}}, "Fixes #2", kMay1Noon + 3600);
  repo.lightweight_tag("v0.1", first);
}
}  // namespace

TEST_CASE("firstmile git imports a local repository and prints what it stored") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_small_history(repo);
  std::string db = (dir / "t.db").string();
  CommandResult r = run_firstmile({"git", (dir / "repo").string(), "--repo", "acme/demo", "--db", db});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Commits: 2 walked, 2 new, 0 already stored") != std::string::npos);
  CHECK(r.out.find("Issue links: 1 closes, 0 mentions") != std::string::npos);
  CHECK(r.out.find("Tags: 1 new") != std::string::npos);
  CHECK(r.err.empty());  // no progress line when stderr is not a terminal

  CommandResult again = run_firstmile({"git", (dir / "repo").string(), "--repo", "acme/demo", "--db", db});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("Commits: 2 walked, 0 new, 2 already stored") != std::string::npos);
}

TEST_CASE("firstmile git clones a file:// URL into --cache") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_small_history(repo);
  CommandResult r = run_firstmile({"git", "file://" + (dir / "repo").string(), "--repo", "acme/demo", "--cache",
                                   (dir / "clone").string(), "--db", (dir / "t.db").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("2 new") != std::string::npos);
  CHECK(fs::exists(dir / "clone/HEAD"));
}

TEST_CASE("firstmile git on a folder that is not a repository exits 2 naming it, database unchanged") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_small_history(repo);
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"git", (dir / "repo").string(), "--repo", "acme/demo", "--db", db}).exit_code == 0);
  std::string before = file_bytes(db);
  fs::create_directories(dir / "plain");
  CommandResult r = run_firstmile({"git", (dir / "plain").string(), "--repo", "acme/demo", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find((dir / "plain").string() + ": not a git repository") != std::string::npos);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("firstmile git needs --repo as OWNER/NAME") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_small_history(repo);
  std::string db = (dir / "t.db").string();
  CHECK(run_firstmile({"git", (dir / "repo").string(), "--db", db}).exit_code == 2);
  CommandResult r = run_firstmile({"git", (dir / "repo").string(), "--repo", "demo", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--repo") != std::string::npos);
}

TEST_CASE("firstmile git never prints credentials of a URL") {
  TempDir dir;
  CommandResult r = run_firstmile({"git", "https://bob:ghp_s3cret@127.0.0.1:1/acme/demo.git", "--repo", "acme/demo",
                                   "--db", (dir / "t.db").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("ghp_s3cret") == std::string::npos);
  CHECK(r.out.find("ghp_s3cret") == std::string::npos);
  CHECK(r.err.find("https://<redacted>@127.0.0.1:1/acme/demo.git") != std::string::npos);
}

TEST_CASE("firstmile git --since refuses what is not a date, naming it") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  build_small_history(repo);
  std::string db = (dir / "t.db").string();
  for (const char* bad : {"yesterday", "2099-13-45"}) {
    CommandResult r = run_firstmile({"git", (dir / "repo").string(), "--repo", "acme/demo", "--db", db, "--since", bad});
    CHECK(r.exit_code == 2);
    CHECK(r.err == std::string("firstmile: git --since: '") + bad +
                       "' is not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ)\n");
  }
  CHECK(run_firstmile({"git", (dir / "repo").string(), "--repo", "acme/demo", "--db", db, "--since", "2020-01-01"})
            .exit_code == 0);
}

TEST_CASE("a clone missing a blob imports every commit, the file without its line counts, and says so") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  repo.commit({{"a.txt", "1\n2\n"}, {"b.txt", "x\n"}}, "Add a and b", 1714564800);
  repo.commit({{"a.txt", "1\n2\n3\n"}}, "Grow a", 1714568400);
  // Delete the loose object of the second version of a.txt, as a blobless clone lacks it.
  std::filesystem::path objects = dir / "repo" / ".git" / "objects";
  std::string content = "1\n2\n3\n";
  std::string id = firstmile::git_blob_hash(content);
  std::filesystem::path loose = objects / id.substr(0, 2) / id.substr(2);
  REQUIRE(std::filesystem::exists(loose));
  std::filesystem::remove(loose);
  std::string db = (dir / "t.db").string();
  CommandResult r = run_firstmile({"git", (dir / "repo").string(), "--repo", "acme/demo", "--db", db});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("Commits: 2 walked, 2 new") != std::string::npos);
  CHECK(r.out.find("(1 without line counts: their blobs are not in the clone") != std::string::npos);
  firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kReadOnly);
  CHECK(store.db().query_int("SELECT count(*) FROM commit_files WHERE path = 'a.txt' AND insertions IS NULL") == 1);
}
