// `firstmile mine` end to end against the loopback GitHub server: secrets, kill -9, locking.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "fake_github.h"
#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToken = "ghp_TopSecretToken0123456789abcdefABCDEF";

// The rows a mine produces, in a stable order, without the columns that record when.
std::string content_of(const fs::path& db_path) {
  firstmile::Store store = firstmile::Store::open(db_path, firstmile::Database::kMustExist);
  const char* const queries[] = {
      "SELECT owner, name, series, model, architecture FROM repositories ORDER BY owner, name",
      "SELECT owner, name, reason FROM repository_aliases ORDER BY owner, name",
      "SELECT i.number, i.github_id, i.title, i.body, i.state, i.state_reason, i.author, i.author_association, "
      "i.labels, i.comments_count, i.created_at, i.updated_at, i.closed_at, i.is_pull_request, i.url "
      "FROM issues i ORDER BY i.repository_id, i.number",
      "SELECT c.github_id, i.number, c.author, c.author_association, c.body, c.created_at, c.updated_at, c.url "
      "FROM comments c JOIN issues i ON i.id = c.issue_id ORDER BY c.github_id",
      "SELECT i.number, e.position, e.event, e.github_id, e.actor, e.created_at, e.commit_id, e.source_url, e.detail "
      "FROM timeline_events e JOIN issues i ON i.id = e.issue_id ORDER BY i.number, e.position",
      "SELECT i.number, e.github_id, e.event, e.actor, e.created_at, e.commit_id, e.detail "
      "FROM issue_events e JOIN issues i ON i.id = e.issue_id ORDER BY e.github_id",
      "SELECT i.number, t.for_updated_at, t.events FROM issue_timelines t JOIN issues i ON i.id = t.issue_id "
      "ORDER BY i.number",
      "SELECT resource, next_url, pages FROM sync_state ORDER BY repository_id, resource"};
  std::string out;
  for (const char* sql : queries) {
    firstmile::Query q = store.db().query(sql);
    while (q.step()) {
      for (int c = 0; c < 16; ++c) {
        if (q.column_is_null(c)) out += "<null>";
        out += q.column_text(c);
        out += '\x1f';
      }
      out += '\n';
    }
    out += "--\n";
  }
  return out;
}

std::vector<std::string> mine_args(const FakeGithub& server, const fs::path& db) {
  return {"mine", "acme/model", "--db", db.string(), "--api-url", server.url(), "--retry-wait", "1", "--quiet"};
}

// The same, with the per-issue timelines of failure-like issues (cross-references).
std::vector<std::string> mine_cross_references_args(const FakeGithub& server, const fs::path& db) {
  std::vector<std::string> args = mine_args(server, db);
  args.push_back("--cross-references");
  return args;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the token is sent to GitHub but never shown in output, verbose logs, errors or the database") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 120, 80, 4));
  FakeFaults faults;
  faults.fail_next = 2;
  faults.required_token = kToken;
  server.set_faults(faults);
  TempDir dir;
  setenv("GITHUB_TOKEN", kToken, 1);
  std::vector<std::string> args = mine_args(server, dir / "t.db");
  args.push_back("--verbose");
  CommandResult ok = run_firstmile(args);
  CHECK(ok.exit_code == 0);
  CHECK(contains(ok.err, "GET " + server.url() + "/repos/acme/model"));  // --verbose logs requests
  REQUIRE_FALSE(server.stats().authorizations.empty());
  CHECK(server.stats().authorizations.front() == std::string("Bearer ") + kToken);

  // A malformed answer and a rejected token: the errors name the URL, not the token.
  faults = {};
  faults.malformed_when = "/issues?";
  faults.required_token = kToken;
  server.set_faults(faults);
  server.edit_issue("acme/model", 1, "RuntimeError: edited");
  CommandResult broken = run_firstmile(args);
  CHECK(broken.exit_code == 2);
  CHECK(contains(broken.err, server.url() + "/repos/acme/model/issues?"));
  setenv("GITHUB_TOKEN", "ghp_WrongTokenWrongTokenWrongToken0000", 1);
  CommandResult rejected = run_firstmile(args);
  CHECK(rejected.exit_code == 2);
  CHECK(contains(rejected.err, "401"));
  unsetenv("GITHUB_TOKEN");

  for (const CommandResult* r : {&ok, &broken, &rejected}) {
    CHECK_FALSE(contains(r->out, kToken));
    CHECK_FALSE(contains(r->err, kToken));
    CHECK_FALSE(contains(r->err, "WrongToken"));
  }
  for (const char* file : {"t.db", "t.db-wal", "t.db.lock"}) {
    if (fs::exists(dir / file)) CHECK_FALSE(contains(file_bytes(dir / file), "TopSecret"));
  }
}

TEST_CASE("a server that echoes the token it refused puts it neither on screen nor in the database") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 20, 10, 4));
  FakeFaults faults;
  faults.required_token = "ghp_TheRightOneTheRightOneTheRight00";
  faults.echo_authorization = true;
  server.set_faults(faults);
  TempDir dir;
  const std::string token = "EchoedTopSecret-1234567";  // no known key shape: only registration hides it
  setenv("GITHUB_TOKEN", token.c_str(), 1);
  std::vector<std::string> args = mine_args(server, dir / "t.db");
  args.push_back("--verbose");
  CommandResult rejected = run_firstmile(args);
  unsetenv("GITHUB_TOKEN");
  CHECK(rejected.exit_code == 2);
  INFO(rejected.err);
  CHECK(contains(rejected.err, "HTTP 401 Bad credentials (Authorization: <redacted>"));  // to the end of the line
  CHECK_FALSE(contains(rejected.err, token));
  CHECK_FALSE(contains(rejected.out, token));
  for (const char* file : {"t.db", "t.db-wal", "t.db.lock"}) {
    if (fs::exists(dir / file)) CHECK_FALSE(contains(file_bytes(dir / file), "EchoedTopSecret"));
  }
}

TEST_CASE("a mine killed with SIGKILL at 20 random moments and resumed ends with the uninterrupted database") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 220, 350, 11));
  FakeFaults slow;
  slow.delay_ms = 3;  // spreads a run over a few hundred ms so kills land in every phase
  server.set_faults(slow);
  TempDir dir;
  auto started = std::chrono::steady_clock::now();
  REQUIRE(run_firstmile(mine_cross_references_args(server, dir / "reference.db")).exit_code == 0);
  auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  const std::string reference = content_of(dir / "reference.db");
  REQUIRE(contains(reference, "cross-referenced"));
  REQUIRE(contains(reference, "labeled"));  // from the events listing

  std::mt19937 rng(20261125);
  int killed_mid_run = 0;
  for (int trial = 0; trial < 20; ++trial) {
    fs::path db = dir / ("trial" + std::to_string(trial) + ".db");
    // One to three kills in a row before the run that is let finish.
    int kills = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < kills; ++k) {
      int pid = start_firstmile(mine_cross_references_args(server, db));
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % static_cast<uint32_t>(full_ms.count() + 1)));
      kill(pid, SIGKILL);
      killed_mid_run += wait_firstmile(pid) == -SIGKILL;
    }
    CommandResult resumed = run_firstmile(mine_cross_references_args(server, db));
    REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
    CHECK_MESSAGE(content_of(db) == reference, "trial " << trial);
  }
  CHECK(killed_mid_run >= 10);  // most kills hit a running mine, not a finished one
}

TEST_CASE("a second mine on the same database refuses with a clear message while the first runs") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 200, 0, 4));
  FakeFaults slow;
  slow.delay_ms = 300;
  server.set_faults(slow);
  TempDir dir;
  int first = start_firstmile(mine_args(server, dir / "t.db"));
  // The miner takes the lock before its first request, and its 300 ms answers (a few dozen,
  // timelines included) keep it running long after the server has seen that request.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (server.stats().targets.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<std::string> seen = server.stats().targets;
  REQUIRE_MESSAGE(!seen.empty(), "the first mine sent no request within a minute");
  CHECK(seen.front() == "/repos/acme/model");
  CommandResult second = run_firstmile(mine_args(server, dir / "t.db"));
  kill(first, SIGKILL);
  wait_firstmile(first);
  CHECK(second.exit_code == 2);
  CHECK(contains(second.err, "in use by firstmile mine (pid " + std::to_string(first)));
  server.set_faults({});
  CHECK(run_firstmile(mine_args(server, dir / "t.db")).exit_code == 0);  // the lock died with its holder
}

TEST_CASE("mine reports what it did, and a missing repository fails naming the URL") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 40, 10, 4));
  TempDir dir;
  CommandResult r = run_firstmile(mine_args(server, dir / "t.db"));
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "acme/model"));
  CHECK(contains(r.out, "requests"));
  std::vector<std::string> args = mine_args(server, dir / "t.db");
  args[1] = "acme/nothing";
  CommandResult missing = run_firstmile(args);
  CHECK(missing.exit_code == 2);
  CHECK(contains(missing.err, server.url() + "/repos/acme/nothing: HTTP 404"));
  CHECK(contains(run_firstmile({"mine", "--help"}).out, "GITHUB_TOKEN"));
}

TEST_CASE("mine --preset open-llm-failures mines the study's 14 repositories with their series and models") {
  FakeGithub server;
  const char* const repos[] = {"deepseek-ai/DeepSeek-V3",
                               "deepseek-ai/DeepSeek-R1",
                               "deepseek-ai/DeepSeek-V2",
                               "deepseek-ai/DeepSeek-MoE",
                               "deepseek-ai/DeepSeek-Coder",
                               "deepseek-ai/DeepSeek-Coder-V2",
                               "deepseek-ai/DeepSeek-Math",
                               "meta-llama/llama",
                               "meta-llama/llama3",
                               "meta-llama/codellama",
                               "QwenLM/Qwen",
                               "QwenLM/Qwen3",
                               "QwenLM/Qwen2.5-Coder",
                               "QwenLM/Qwen2.5-Math"};
  uint32_t seed = 100;
  for (const char* full : repos) {
    std::string s = full;
    auto slash = s.find('/');
    auto repo = make_repository(s.substr(0, slash), s.substr(slash + 1), 5, 3, seed++);
    if (s == "QwenLM/Qwen3") repo.renamed_from = "QwenLM/Qwen2.5";  // as on GitHub since the study
    server.add(repo);
  }
  TempDir dir;
  CommandResult r = run_firstmile({"mine", "--preset", "open-llm-failures", "--db", (dir / "t.db").string(),
                                   "--api-url", server.url(), "--no-timelines", "-q"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(contains(r.out, "QwenLM/Qwen2.5 -> QwenLM/Qwen3"));
  firstmile::Store store = firstmile::Store::open(dir / "t.db", firstmile::Database::kMustExist);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories") == 14);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 70);
  CHECK(store.db().query_int("SELECT count(DISTINCT series) FROM repositories") == 3);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories WHERE name = 'Qwen2.5' AND model = 'Qwen2.5'") == 1);
}

TEST_CASE("mine without repositories or preset says what it needs") {
  TempDir dir;
  CommandResult r = run_firstmile({"mine", "--db", (dir / "t.db").string()});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "no repositories given"));
}

TEST_CASE("mine --cross-references prints its cost before it starts, even with --quiet, --no-events excludes it") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 40, 10, 4));
  TempDir dir;
  std::vector<std::string> args = mine_cross_references_args(server, dir / "t.db");  // --quiet too
  CommandResult r = run_firstmile(args);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "acme/model  cross-references: "));
  CHECK(contains(r.err, " requests (one per failure-like issue"));
  CommandResult plain = run_firstmile({"mine", "acme/model", "--db", (dir / "u.db").string(), "--api-url",
                                       server.url()});
  REQUIRE(plain.exit_code == 0);
  CHECK_FALSE(contains(plain.err, "cross-references"));
  args.push_back("--no-events");
  CommandResult both = run_firstmile(args);
  CHECK(both.exit_code != 0);
  CHECK(contains(both.err, "--no-events"));
}

TEST_CASE("with a token, mine --cross-references goes through GraphQL: cost first, errors named, kills resumed") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 900, 0, 12));  // 772 issues: 8 queries with --timeline
  TempDir dir;
  setenv("GITHUB_TOKEN", kToken, 1);
  auto timeline_args = [&](const fs::path& db) {
    std::vector<std::string> args = mine_args(server, db);
    args.push_back("--timeline");
    return args;
  };
  CommandResult reference = run_firstmile(timeline_args(dir / "reference.db"));
  REQUIRE_MESSAGE(reference.exit_code == 0, reference.err);
  CHECK(contains(reference.err, "acme/model  cross-references: 8 GraphQL queries (100 issues a query, for 772 issues"));
  CHECK(server.stats().graphql_requests == 8);
  CHECK(server.stats().timeline_requests == 0);
  const std::string expected = content_of(dir / "reference.db");
  REQUIRE(contains(expected, "cross-referenced"));

  // An error GraphQL answers: exit 2, the message names it, the database as it was.
  REQUIRE(run_firstmile(mine_args(server, dir / "t.db")).exit_code == 0);
  const std::string before = content_of(dir / "t.db");
  FakeFaults refusing;
  refusing.graphql_answer = R"({"data":null,"errors":[{"type":"INSUFFICIENT_SCOPES","message":"Your token has )"
                            R"(not been granted the required scopes"}]})";
  server.set_faults(refusing);
  CommandResult refused = run_firstmile(timeline_args(dir / "t.db"));
  CHECK(refused.exit_code == 2);
  CHECK(contains(refused.err, server.url() + "/graphql: GraphQL error: INSUFFICIENT_SCOPES: Your token has not"));
  CHECK(content_of(dir / "t.db") == before);

  // Killed between and during queries, then resumed: the rows of the uninterrupted run. Each
  // kill comes once the server has seen a few queries, a few ms after one of them.
  FakeFaults slow;
  slow.delay_ms = 20;
  server.set_faults(slow);
  std::mt19937 rng(20261203);
  int partial = 0;  // kills that left some batches written and some not
  auto written = [&] {
    firstmile::Store store = firstmile::Store::open(dir / "t.db", firstmile::Database::kMustExist);
    return store.db().query_int("SELECT count(*) FROM issue_timelines");
  };
  for (int trial = 0; trial < 5; ++trial) {
    server.reset_stats();
    const int64_t left = (772 - written() + 99) / 100;  // queries the next run sends
    if (left < 2) break;
    const int64_t queries = 1 + static_cast<int64_t>(rng() % static_cast<uint32_t>(left - 1));
    int pid = start_firstmile(timeline_args(dir / "t.db"));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (server.stats().graphql_requests < queries && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 30));
    kill(pid, SIGKILL);
    wait_firstmile(pid);
    partial += written() > 0 && written() < 772;
  }
  CHECK(partial >= 1);
  server.set_faults({});
  CommandResult resumed = run_firstmile(timeline_args(dir / "t.db"));
  unsetenv("GITHUB_TOKEN");
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(content_of(dir / "t.db") == expected);
  CHECK_FALSE(contains(file_bytes(dir / "t.db"), "TopSecret"));

  // --cross-references-via: rest takes the timelines even with a token; graphql without one is refused.
  server.reset_stats();
  setenv("GITHUB_TOKEN", kToken, 1);
  std::vector<std::string> rest = timeline_args(dir / "rest.db");
  rest.insert(rest.end(), {"--cross-references-via", "rest"});
  CommandResult by_rest = run_firstmile(rest);
  unsetenv("GITHUB_TOKEN");
  CHECK(by_rest.exit_code == 0);
  CHECK(server.stats().graphql_requests == 0);
  CHECK(server.stats().timeline_requests == 772);
  std::vector<std::string> graphql = timeline_args(dir / "graphql.db");
  graphql.insert(graphql.end(), {"--cross-references-via", "graphql"});
  CommandResult no_token = run_firstmile(graphql);
  CHECK(no_token.exit_code == 2);
  CHECK(contains(no_token.err, "cross-references through GraphQL need a token"));
}
