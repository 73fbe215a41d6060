// Tests of mine/git_pack_reader.h: packs written by git itself (ofs- and ref-deltas) read
// object for object as libgit2 reads them, and git deltas applied or refused.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "mine/git_pack_reader.h"
#include "support/files.h"
#include "support/git_fixture.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

constexpr git_time_t kMay1Noon = 1714564800;

// A history of 30 versions of a few files in folders, so that git's packs hold delta chains.
void build(GitFixture& repo) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "line " + std::to_string(i) + "\n";
  for (int v = 0; v < 30; ++v) {
    text.replace(text.find("line " + std::to_string(v * 3)), 4, "LINE");
    repo.commit({{"src/a.txt", text}, {"src/deep/b.txt", text + std::to_string(v) + "\n"}, {"c.txt", text.substr(v)}},
                "v" + std::to_string(v) + "\n", kMay1Noon + v * 60);
  }
}

// Runs git on the repository with no user or system configuration; true if it succeeded.
bool git(const fs::path& repo, const fs::path& home, const std::string& args) {
  const std::string command = "env GIT_CONFIG_NOSYSTEM=1 HOME='" + home.string() + "' git -C '" + repo.string() +
                              "' " + args + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

std::vector<git_oid> all_objects(git_repository* repo) {
  git_odb* odb = nullptr;
  REQUIRE(git_repository_odb(&odb, repo) == 0);
  std::vector<git_oid> ids;
  git_odb_foreach(
      odb,
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &ids);
  git_odb_free(odb);
  return ids;
}

std::string read_object(git_repository* repo, const git_oid& id) {
  git_odb* odb = nullptr;
  REQUIRE(git_repository_odb(&odb, repo) == 0);
  git_odb_object* object = nullptr;
  REQUIRE(git_odb_read(&object, odb, &id) == 0);
  std::string out = std::to_string(git_odb_object_type(object)) + ":" +
                    std::string(static_cast<const char*>(git_odb_object_data(object)), git_odb_object_size(object));
  git_odb_object_free(object);
  git_odb_free(odb);
  return out;
}

std::string delta_varint(size_t n) {
  std::string out;
  do {
    unsigned char c = n & 0x7f;
    n >>= 7;
    out += static_cast<char>(n ? c | 0x80 : c);
  } while (n);
  return out;
}

bool apply(const std::string& base, const std::string& delta, std::string& out) {
  return apply_git_delta(reinterpret_cast<const unsigned char*>(base.data()), base.size(),
                         reinterpret_cast<const unsigned char*>(delta.data()), delta.size(), out);
}

}  // namespace

TEST_CASE("every object of a pack git wrote reads the same through the pack reader as through libgit2") {
  TempDir dir;
  const fs::path path = dir / "repo";
  {
    GitFixture fixture(path);
    build(fixture);
  }
  fs::create_directories(dir / "home");
  std::string repack;
  SUBCASE("offset deltas") { repack = "repack -adfq"; }
  SUBCASE("deltas naming their base") { repack = "-c repack.useDeltaBaseOffset=false repack -adfq"; }
  REQUIRE_MESSAGE(git(path, dir / "home", repack), "git repack failed (is git installed? scripts/install-deps.sh)");

  git_libgit2_init();
  git_repository *plain = nullptr, *ours = nullptr;
  REQUIRE(git_repository_open(&plain, path.c_str()) == 0);
  REQUIRE(git_repository_open(&ours, path.c_str()) == 0);
  const PackReaderStats* stats = add_pack_reader(ours, 1 << 16);  // small: bases evicted as well as kept
  REQUIRE(stats);
  CHECK(stats->packs == 1);
  const std::vector<git_oid> ids = all_objects(plain);
  CHECK(ids.size() > 100);
  for (const git_oid& id : ids) {
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &id);
    CAPTURE(hex);
    CHECK(read_object(ours, id) == read_object(plain, id));
  }
  CHECK(stats->served == ids.size());  // none left to libgit2's own reader
  CHECK(stats->base_hits > 0);
  git_repository_free(plain);
  git_repository_free(ours);
  git_libgit2_shutdown();
}

TEST_CASE("an object outside the packs is left to libgit2, and a repository without packs gets no reader") {
  TempDir dir;
  const fs::path path = dir / "repo";
  GitFixture fixture(path);
  build(fixture);
  git_repository* repo = nullptr;
  REQUIRE(git_repository_open(&repo, path.c_str()) == 0);
  CHECK(add_pack_reader(repo) == nullptr);  // all loose
  fs::create_directories(dir / "home");
  REQUIRE(git(path, dir / "home", "repack -adq"));
  const std::string loose = fixture.commit({{"new.txt", "new\n"}}, "After the repack\n", kMay1Noon + 9999);
  git_repository* packed = nullptr;
  REQUIRE(git_repository_open(&packed, path.c_str()) == 0);
  const PackReaderStats* stats = add_pack_reader(packed);
  REQUIRE(stats);
  git_oid id;
  git_oid_fromstr(&id, loose.c_str());
  git_commit* commit = nullptr;
  REQUIRE(git_commit_lookup(&commit, packed, &id) == 0);  // loose: libgit2's
  CHECK(stats->served == 0);
  git_commit* parent = nullptr;
  REQUIRE(git_commit_parent(&parent, commit, 0) == 0);  // packed: ours
  CHECK(stats->served == 1);
  git_commit_free(parent);
  git_commit_free(commit);
  git_repository_free(packed);
  git_repository_free(repo);
}

TEST_CASE("a git delta copies from its base and inserts its own bytes") {
  const std::string base = "hello world";
  std::string out;
  // copy 5 bytes from offset 0, insert " there"
  std::string delta = delta_varint(base.size()) + delta_varint(11) + "\x90\x05" + "\x06 there";
  CHECK(apply(base, delta, out));
  CHECK(out == "hello there");
  // copy "world" from offset 6 (offset and size bytes both given), then insert "!"
  delta = delta_varint(base.size()) + delta_varint(6) + std::string("\x91\x06\x05", 3) + "\x01!";
  CHECK(apply(base, delta, out));
  CHECK(out == "world!");
}

TEST_CASE("a malformed git delta is refused") {
  const std::string base = "hello world";
  std::string out;
  const std::string header = delta_varint(base.size()) + delta_varint(5);
  CHECK_FALSE(apply(base, delta_varint(3) + delta_varint(5) + "\x90\x05", out));           // wrong base size
  CHECK_FALSE(apply(base, header + std::string("\x91\x08\x05", 3), out));                   // copies past the base
  CHECK_FALSE(apply(base, header + "\x09" + "abc", out));                                   // inserts past the delta
  CHECK_FALSE(apply(base, header + std::string(1, '\0'), out));                             // op 0
  CHECK_FALSE(apply(base, header + "\x90\x04", out));                                       // 4 bytes, not 5
  CHECK_FALSE(apply(base, header + "\x90\x05" + "\x01x", out));                            // more than 5
  CHECK_FALSE(apply(base, delta_varint(base.size()), out));                                 // no target size
}
