// Tests of `firstmile package` end to end: the built binary on real SQLite files, as a user runs it.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "store/package_tables.h"
#include "store/store.h"
#include "support/files.h"
#include "support/firstmile_process.h"
#include "support/git_fixture.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out[fs::relative(entry.path(), dir).generic_string()] = file_bytes(entry.path());
  }
  return out;
}

std::string salt_file(const TempDir& dir, const std::string& name, const std::string& salt) {
  write_file(dir / name, salt + "\n");
  return (dir / name).string();
}

CommandResult package(const std::string& db, const fs::path& out, std::vector<std::string> extra) {
  std::vector<std::string> args = {"package", out.string(), "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_firstmile(args);
}

// The sample with its gold labels, classified by the rules, and a git history whose commits
// name people (author, committer, sign-off, a mention of a sample login).
std::string sample_with_people(const TempDir& dir) {
  std::string db = import_sample(dir);
  REQUIRE(run_firstmile({"classify", "--route", "rules", "--db", db}).exit_code == 0);
  GitFixture repo(dir / "repo");
  repo.commit({{"a.txt", "1\n"}}, "Fix loading, thanks @deepseek-dev\n\nSigned-off-by: Alice Example <alice@example.com>",
              1714564800);
  repo.commit({{"a.txt", "2\n"}}, "fixes #1 reported by qwen-maintainer", 1714568400, 0, {}, "main", "Bob Builder");
  CommandResult git = run_firstmile({"git", (dir / "repo").string(), "--repo", "deepseek-ai/DeepSeek-V3", "--db", db});
  REQUIRE_MESSAGE(git.exit_code == 0, git.err);
  return db;
}

bool token_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// Whether `needle` occurs in `text` ignoring case; with `whole`, not inside a longer token.
bool occurs(const std::string& text, const std::string& needle, bool whole) {
  std::string lower_text = to_lower_ascii(text), lower = to_lower_ascii(needle);
  for (size_t at = lower_text.find(lower); at != std::string::npos; at = lower_text.find(lower, at + 1)) {
    size_t end = at + lower.size();
    if (!whole || ((at == 0 || !token_char(lower_text[at - 1])) && (end >= lower_text.size() || !token_char(lower_text[end]))))
      return true;
  }
  return false;
}

// The project's own files copied verbatim into a package (taxonomy, prompt templates): they
// come from the repository, not from the database.
std::set<std::string> project_file_contents() {
  std::set<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(source_file("taxonomy"))) {
    if (entry.is_regular_file()) out.insert(file_bytes(entry.path()));
  }
  return out;
}

// "file: person" for every person of the database found in a file of the package.
std::vector<std::string> people_found(const std::string& db, const fs::path& package_dir) {
  Store store = Store::open(db, Database::kReadOnly);
  PeopleInStore people = people_in_store(store);
  REQUIRE(std::count(people.logins.begin(), people.logins.end(), "deepseek-dev") == 1);
  REQUIRE(people.names.size() >= 3);   // Alice Example, Bob Builder, Carol Committer
  REQUIRE(people.emails.size() >= 2);  // alice@, carol@
  std::set<std::string> project = project_file_contents();
  std::vector<std::string> found;
  for (const auto& [path, bytes] : files_of(package_dir)) {
    if (project.count(bytes)) continue;
    for (const std::string& login : people.logins) {
      if (occurs(bytes, login, true)) found.push_back(path + ": login " + login);
    }
    for (const std::string& name : people.names) {
      if (occurs(bytes, name, true)) found.push_back(path + ": name " + name);
    }
    for (const std::string& email : people.emails) {
      if (occurs(bytes, email, false)) found.push_back(path + ": e-mail " + email);
    }
  }
  return found;
}

}  // namespace

TEST_CASE("package without a salt refuses in one line and writes nothing, unless --keep-logins") {
  TempDir dir;
  std::string db = import_sample(dir);
  CommandResult r = package(db, dir / "pkg", {});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--salt-file") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "pkg"));
  CommandResult kept = package(db, dir / "pkg", {"--keep-logins"});
  CHECK_MESSAGE(kept.exit_code == 0, kept.err);
  CHECK(kept.out.find("NOT pseudonymised") != std::string::npos);
}

TEST_CASE("a package of the sample names no login, name or e-mail of the database in any file") {
  TempDir dir;
  std::string db = sample_with_people(dir);
  std::string salt = salt_file(dir, "study.salt", "0123456789abcdef0123456789abcdef");
  CommandResult r = package(db, dir / "pkg", {"--salt-file", salt, "--include-text", "--include-llm-log"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::vector<std::string> found = people_found(db, dir / "pkg");
  std::string list;
  for (const std::string& f : found) list += "\n  " + f;
  CHECK_MESSAGE(found.empty(), "people in the package:" << list);
  for (const auto& [path, bytes] : files_of(dir / "pkg")) {
    CAPTURE(path);
    CHECK(bytes.find("0123456789abcdef0123456789abcdef") == std::string::npos);  // the salt stays out
  }
  // The text is there, pseudonymised: the check above looked at real content.
  std::string comments = file_bytes(dir / "pkg" / "tables" / "comments.csv");
  CHECK(comments.find("anon-") != std::string::npos);
  CHECK(file_bytes(dir / "pkg" / "tables" / "commits.csv").find("Signed-off-by: anon-") != std::string::npos);

  // The same check finds them when people are kept: it can fail.
  REQUIRE(package(db, dir / "kept", {"--keep-logins", "--include-text"}).exit_code == 0);
  CHECK(people_found(db, dir / "kept").size() > 5);
}

TEST_CASE("one salt gives the same package byte for byte and another salt other pseudonyms") {
  TempDir dir;
  std::string db = sample_with_people(dir);
  std::string a = salt_file(dir, "a.salt", "salt-number-one-0123456789");
  std::string b = salt_file(dir, "b.salt", "salt-number-two-0123456789");
  REQUIRE(package(db, dir / "p1", {"--salt-file", a, "--include-text"}).exit_code == 0);
  REQUIRE(package(db, dir / "p2", {"--salt-file", a, "--include-text"}).exit_code == 0);
  REQUIRE(package(db, dir / "p3", {"--salt-file", b, "--include-text"}).exit_code == 0);
  auto p1 = files_of(dir / "p1"), p2 = files_of(dir / "p2"), p3 = files_of(dir / "p3");
  REQUIRE(p1.size() > 20);
  CHECK(p1 == p2);
  CHECK(p1["tables/issues.csv"] != p3["tables/issues.csv"]);
  CHECK(p1["dataset/DeepSeek/R1/DeepSeek-R1.json"] == p3["dataset/DeepSeek/R1/DeepSeek-R1.json"]);

  // The author of the first issue: one pseudonym in issues, comments and timeline alike.
  auto first_author = [](const std::string& jsonl) {
    return nlohmann::json::parse(jsonl.substr(0, jsonl.find('\n')))["author"].get<std::string>();
  };
  std::string author = first_author(p1["tables/issues.jsonl"]);
  CHECK(author.rfind("anon-", 0) == 0);
  CHECK(author != first_author(p3["tables/issues.jsonl"]));
  CHECK(p1["tables/comments.jsonl"].find("\"author\":\"" + author + "\"") != std::string::npos);
}

TEST_CASE("package --verify passes on a package and names any file changed, removed or added") {
  TempDir dir;
  std::string db = import_sample(dir);
  std::string salt = salt_file(dir, "s.salt", "0123456789abcdef-verify");
  REQUIRE(package(db, dir / "pkg", {"--salt-file", salt}).exit_code == 0);
  CommandResult ok = run_firstmile({"package", "--verify", (dir / "pkg").string()});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
  auto files = files_of(dir / "pkg");
  for (const auto& [path, bytes] : files) {
    if (path == "MANIFEST.json") continue;
    CAPTURE(path);
    write_file(dir / "pkg" / path, bytes + " ");
    CommandResult r = run_firstmile({"package", "--verify", (dir / "pkg").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("file " + path + " was changed") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    write_file(dir / "pkg" / path, bytes);
  }
  fs::remove(dir / "pkg" / "DATASHEET.md");
  CHECK(run_firstmile({"package", "--verify", (dir / "pkg").string()}).err.find("DATASHEET.md is listed") !=
        std::string::npos);
  write_file(dir / "pkg" / "DATASHEET.md", files["DATASHEET.md"]);
  write_file(dir / "pkg" / "tables" / "extra.csv", "x");
  CHECK(run_firstmile({"package", "--verify", (dir / "pkg").string()}).err.find("tables/extra.csv is not listed") !=
        std::string::npos);
}

TEST_CASE("package refuses a non-empty OUT_DIR unless --force, and a failed run leaves no OUT_DIR") {
  TempDir dir;
  std::string db = import_sample(dir);
  std::string salt = salt_file(dir, "s.salt", "0123456789abcdef-force");
  fs::create_directories(dir / "out");
  write_file(dir / "out" / "old.txt", "x");
  CommandResult r = package(db, dir / "out", {"--salt-file", salt});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not empty; --force replaces it") != std::string::npos);
  CHECK(file_bytes(dir / "out" / "old.txt") == "x");
  REQUIRE(package(db, dir / "out", {"--salt-file", salt, "--force"}).exit_code == 0);
  CHECK_FALSE(fs::exists(dir / "out" / "old.txt"));
  CHECK(fs::exists(dir / "out" / "MANIFEST.json"));

  CommandResult failed = package(db, dir / "new", {"--salt-file", salt, "--source", "manual:nobody"});
  CHECK(failed.exit_code == 2);
  CHECK(failed.err.find("no annotations to package") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "new"));
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().filename().string().find(".partial-") == std::string::npos);

  CommandResult inside = package(db, dir / "pkg2", {"--salt-file", salt_file(dir, "x.salt", "0123456789abcdef-x")});
  CHECK(inside.exit_code == 0);
  fs::create_directories(dir / "pkg3");
  write_file(dir / "pkg3" / "in.salt", "0123456789abcdef-inside\n");
  CommandResult in_package = package(db, dir / "pkg3", {"--salt-file", (dir / "pkg3" / "in.salt").string(), "--force"});
  CHECK(in_package.exit_code == 2);
  CHECK(in_package.err.find("must stay outside the package") != std::string::npos);
}

TEST_CASE("import-dataset of a package of the sample reads back the same labels") {
  TempDir dir;
  std::string db = import_sample(dir);
  REQUIRE(package(db, dir / "pkg", {"--keep-logins"}).exit_code == 0);
  std::string again = (dir / "again.db").string();
  CommandResult r = run_firstmile({"import-dataset", (dir / "pkg").string(), "--db", again});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(run_firstmile({"summary", "--format", "json", "--db", again}).out ==
        run_firstmile({"summary", "--format", "json", "--db", db}).out);
}

TEST_CASE("the published dataset survives import-dataset, package, import-dataset: same summary and analysis") {
  fs::path dataset = require_shared("datasets/open-llm-failures");
  TempDir dir;
  std::string first = (dir / "first.db").string(), second = (dir / "second.db").string();
  REQUIRE(run_firstmile({"import-dataset", dataset.string(), "--db", first}).exit_code == 0);
  std::string salt = salt_file(dir, "s.salt", "0123456789abcdef-published");
  auto start = std::chrono::steady_clock::now();
  CommandResult p = package(first, dir / "pkg", {"--salt-file", salt});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_MESSAGE(p.exit_code == 0, p.err);
  MESSAGE("package of the 706-label published dataset: " << ms << " ms");
  REQUIRE(run_firstmile({"import-dataset", (dir / "pkg").string(), "--db", second}).exit_code == 0);
  CommandResult s1 = run_firstmile({"summary", "--format", "json", "--db", first});
  CommandResult s2 = run_firstmile({"summary", "--format", "json", "--db", second});
  REQUIRE(s1.exit_code == 0);
  CHECK(nlohmann::json::parse(s1.out)["annotations"] == 706);
  CHECK(s1.out == s2.out);
  CommandResult a1 = run_firstmile({"analyze", "--format", "json", "--db", first});
  CommandResult a2 = run_firstmile({"analyze", "--format", "json", "--db", second});
  REQUIRE(a1.exit_code == 0);
  CHECK(a1.out == a2.out);
  CHECK(run_firstmile({"package", "--verify", (dir / "pkg").string()}).exit_code == 0);
}
