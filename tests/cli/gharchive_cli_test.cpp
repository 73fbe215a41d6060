// End-to-end tests of `firstmile import gharchive`: summary, --repo, exit codes, files left untouched.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <cstdint>
#include <thread>

#include "fake_github.h"
#include "store/store.h"
#include "support/files.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;

namespace {

uint32_t crc32_of(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A gzip member of stored (uncompressed) deflate blocks: a valid .gz without linking zlib.
std::string gzip_stored(const std::string& data) {
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  size_t at = 0;
  do {
    size_t n = std::min<size_t>(65535, data.size() - at);
    bool last = at + n == data.size();
    out += static_cast<char>(last ? 1 : 0);
    out += static_cast<char>(n & 0xFF);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(~n & 0xFF);
    out += static_cast<char>((~n >> 8) & 0xFF);
    out += data.substr(at, n);
    at += n;
  } while (at < data.size());
  put32(out, crc32_of(data));
  put32(out, static_cast<uint32_t>(data.size()));
  return out;
}

std::string issue_event(const std::string& repo, int number, const std::string& title) {
  return R"({"id":"1","type":"IssuesEvent","actor":{"login":"a"},"repo":{"id":1,"name":")" + repo +
         R"("},"payload":{"action":"opened","issue":{"id":)" + std::to_string(number) + R"(,"number":)" +
         std::to_string(number) + R"(,"title":")" + title +
         R"(","body":null,"user":{"login":"a"},"labels":[],"updated_at":"2024-05-01T10:00:00Z"}},"public":true})" +
         "\n";
}

std::string comment_event(const std::string& repo, int number, int comment_id) {
  return R"({"id":"2","type":"IssueCommentEvent","repo":{"name":")" + repo +
         R"("},"payload":{"action":"created","issue":{"number":)" + std::to_string(number) +
         R"(,"title":"t","updated_at":"2024-05-01T10:00:00Z"},"comment":{"id":)" + std::to_string(comment_id) +
         R"(,"body":"me too","updated_at":"2024-05-01T11:00:00Z"}}})" + "\n";
}

const std::string kPush = R"({"id":"3","type":"PushEvent","repo":{"name":"x/y"},"payload":{}})"
                          "\n";

}  // namespace

TEST_CASE("import gharchive imports the issue events of a dump and prints a summary") {
  TempDir dir;
  write_file(dir / "h.json.gz", gzip_stored(kPush + issue_event("QwenLM/Qwen2.5", 1, "OOM") +
                                            comment_event("QwenLM/Qwen2.5", 1, 10) + kPush));
  std::string db = (dir / "t.db").string();
  CommandResult r = run_firstmile({"import", "gharchive", (dir / "h.json.gz").string(), "--db", db});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("4 events read, 2 issue and comment events imported, 1 repositories") != std::string::npos);
  CHECK(r.out.find("Comments: 1 events: 1 new") != std::string::npos);
  CHECK(r.err.empty());  // no progress line when stderr is not a terminal
  CommandResult again = run_firstmile({"import", "gharchive", (dir / "h.json.gz").string(), "--db", db});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("0 new, 0 updated") != std::string::npos);
}

TEST_CASE("import gharchive --repo, given twice, keeps only those repositories") {
  TempDir dir;
  write_file(dir / "h.json.gz",
             gzip_stored(issue_event("QwenLM/Qwen2.5", 1, "a") + issue_event("meta-llama/llama3", 2, "b") +
                         issue_event("other/repo", 3, "c")));
  CommandResult r = run_firstmile({"import", "gharchive", (dir / "h.json.gz").string(), "--repo", "qwenlm/qwen2.5",
                                   "--repo", "meta-llama/llama3", "--db", (dir / "t.db").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("2 issue and comment events imported, 2 repositories") != std::string::npos);
}

TEST_CASE("import gharchive of a truncated dump exits 2 naming the file and leaves the database unchanged") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  write_file(dir / "good.json.gz", gzip_stored(issue_event("o/r", 1, "a")));
  REQUIRE(run_firstmile({"import", "gharchive", (dir / "good.json.gz").string(), "--db", db}).exit_code == 0);
  std::string before = file_bytes(db);
  std::string whole = gzip_stored(issue_event("o/r", 2, "b") + issue_event("o/r", 3, "c"));
  write_file(dir / "cut.json.gz", whole.substr(0, whole.size() - 20));
  CommandResult r = run_firstmile({"import", "gharchive", (dir / "cut.json.gz").string(), "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cut.json.gz: line") != std::string::npos);
  CHECK(r.err.find("truncated") != std::string::npos);
  // Byte for byte: the import writes through the WAL, and a rolled-back transaction never
  // reaches the database file.
  std::string after = file_bytes(db);
  CHECK(after == before);
}

TEST_CASE("import gharchive of a dump with bytes glued after its gzip data exits 2 and imports nothing of it") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  write_file(dir / "good.json.gz", gzip_stored(issue_event("o/r", 1, "a")));
  REQUIRE(run_firstmile({"import", "gharchive", (dir / "good.json.gz").string(), "--db", db}).exit_code == 0);
  std::string before = file_bytes(db);
  write_file(dir / "tail.json.gz", gzip_stored(issue_event("o/r", 2, "b")) + "<html>502 Bad Gateway</html>\n");
  CommandResult r = run_firstmile({"import", "gharchive", (dir / "tail.json.gz").string(), "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("tail.json.gz: line 2: unexpected bytes after the end of the gzip data") != std::string::npos);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("import gharchive with a malformed issue event exits 2 naming file and line") {
  TempDir dir;
  std::string bad = issue_event("o/r", 2, "b");
  write_file(dir / "bad.json.gz", gzip_stored(kPush + kPush + bad.substr(0, bad.size() - 3) + "\n"));
  CommandResult r =
      run_firstmile({"import", "gharchive", (dir / "bad.json.gz").string(), "--db", (dir / "t.db").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.json.gz: line 3") != std::string::npos);
}

TEST_CASE("two imports started together both succeed, and readers are answered while one runs") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  // Two dumps of 20,000 issues each: long enough for the second import and the reader to meet
  // the first one's open transaction.
  for (int k : {1, 2}) {
    std::string events;
    for (int n = 1; n <= 20000; ++n) events += issue_event("acme/model" + std::to_string(k), n, "issue " + std::to_string(n));
    write_file(dir / ("d" + std::to_string(k) + ".json.gz"), gzip_stored(events));
  }
  REQUIRE(run_firstmile({"import", "gharchive", (dir / "d1.json.gz").string(), "--db", db, "--repo", "none/none"})
              .exit_code == 0);  // the database exists, empty of issues
  int first = start_firstmile({"import", "gharchive", (dir / "d1.json.gz").string(), "--db", db});
  int second = start_firstmile({"import", "gharchive", (dir / "d2.json.gz").string(), "--db", db});
  // `check` reads every table: 0 or 1 (findings), never 2 (an error such as "database is locked").
  CommandResult reader = run_firstmile({"check", "--db", db});
  CHECK_MESSAGE(reader.exit_code != 2, reader.err);
  CHECK(wait_firstmile(first) == 0);
  CHECK(wait_firstmile(second) == 0);
  firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kMustExist);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 40000);
}

TEST_CASE("an import killed with SIGKILL leaves the database readable by read-only commands at once") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  std::string events;
  for (int n = 1; n <= 40000; ++n) events += issue_event("acme/model", n, "issue " + std::to_string(n));
  write_file(dir / "d.json.gz", gzip_stored(events));
  REQUIRE(run_firstmile({"import", "gharchive", (dir / "d.json.gz").string(), "--db", db, "--repo", "none/none"})
              .exit_code == 0);
  int pid = start_firstmile({"import", "gharchive", (dir / "d.json.gz").string(), "--db", db});
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  kill(pid, SIGKILL);
  wait_firstmile(pid);
  CommandResult check = run_firstmile({"check", "--db", db});
  CHECK_MESSAGE(check.exit_code != 2, check.err);
  CHECK(check.err.find("readonly") == std::string::npos);
  // All or nothing: the killed import wrote none of its issues, or (if it had finished) all.
  firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kReadOnly);
  int64_t issues = store.db().query_int("SELECT count(*) FROM issues");
  CHECK((issues == 0 || issues == 40000));
}

TEST_CASE("gharchive-coverage lists the hour missing from a run of hourly dumps, as text and as JSON") {
  TempDir dir;
  std::vector<std::string> args = {"gharchive-coverage"};
  for (int hour : {0, 1, 2, 4, 5}) {  // 03:00 is gone
    std::string text;
    for (int i = 0; i < 30; ++i) {
      text += R"({"type":"PushEvent","repo":{"name":"o/r"},"payload":{},"created_at":"2024-05-01T0)" +
              std::to_string(hour) + ":" + (i < 10 ? "0" : "") + std::to_string(i) + ":00Z\"}\n";
    }
    std::string file = (dir / ("2024-05-01-" + std::to_string(hour) + ".json.gz")).string();
    write_file(file, gzip_stored(text));
    args.push_back(file);
  }
  args.insert(args.end(), {"--repo", "O/R"});
  CommandResult text = run_firstmile(args);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("5 files, 150 events (0 issue events), 2024-05-01 00:00 to 2024-05-01 05:00 UTC (6 hours)") !=
        std::string::npos);
  CHECK(text.out.find("Hours without any event: 1 run\n  2024-05-01 03:00 (1 hour, 25 events expected)") !=
        std::string::npos);
  CHECK(text.out.find("o/r: 150 events (0 issue events), 25.00 an hour") != std::string::npos);
  args.insert(args.end(), {"--format", "json"});
  CommandResult json = run_firstmile(args);
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"from\": \"2024-05-01 03:00\"") != std::string::npos);
  CommandResult bad = run_firstmile({"gharchive-coverage", (dir / "missing.json.gz").string()});
  CHECK(bad.exit_code == 2);
}

TEST_CASE("gharchive-coverage --fill-from-api fetches the numbers never opened, stores those found, counts the rest") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 12, 0, 5));
  TempDir dir;
  std::string text;
  for (int number : {1, 2, 5, 9, 15}) {  // 3, 4, 6-8, 10-14 never opened; the server has 1-12
    text += R"({"type":"IssuesEvent","repo":{"name":"acme/model"},"payload":{"action":"opened","issue":{"number":)" +
            std::to_string(number) + R"(}},"created_at":"2024-05-01T01:00:00Z"})" + "\n";
  }
  write_file(dir / "h.json", text);
  const std::string db = (dir / "t.db").string();
  std::vector<std::string> args = {"gharchive-coverage", (dir / "h.json").string(), "--repo", "acme/model",
                                   "--fill-from-api", "--api-url", server.url(), "--db", db};
  unsetenv("GITHUB_TOKEN");
  unsetenv("GH_TOKEN");
  CommandResult no_token = run_firstmile(args);
  CHECK(no_token.exit_code == 2);
  CHECK(no_token.err.find("--fill-from-api needs a token") != std::string::npos);
  CHECK(server.stats().requests == 0);
  setenv("GITHUB_TOKEN", "ghp_test", 1);
  CommandResult r = run_firstmile(args);
  unsetenv("GITHUB_TOKEN");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("10 never opened: #3, #4, #6, #7, #8, #10, #11, #12, #13, #14") != std::string::npos);
  CHECK(r.out.find("Filled from the API: 10 numbers asked for in 10 requests; 8 stored (of them 1 pull requests), 2 not there "
                   "(404/410") != std::string::npos);
  firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kReadOnly);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 8);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE number IN (13, 14)") == 0);
  CHECK(r.out.find("ghp_test") == std::string::npos);
}
