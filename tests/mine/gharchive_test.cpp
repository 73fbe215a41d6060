// Tests of mine/gharchive.h on small GH Archive dumps written with zlib at test time.
#include <doctest/doctest.h>

#include <zlib.h>

#include "base/error.h"
#include "dataset/preset.h"
#include "mine/gharchive.h"
#include "store/store.h"
#include "support.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

Preset preset() { return load_preset(source_file("data/presets/open-llm-failures.json").string()); }

// An issue as GH Archive's payloads carry it; trimmed (no html_url) like recent dumps.
json issue(int64_t number, const std::string& updated_at, const std::string& title = "Model fails to load") {
  return {{"id", 1000 + number},   {"number", number},       {"title", title},
          {"body", "Traceback (most recent call last):\n  ..."},     {"state", "open"},
          {"user", {{"login", "alice"}, {"type", "User"}}},          {"labels", json::array({{{"name", "bug"}}})},
          {"comments", 0},         {"created_at", "2024-05-01T10:00:00Z"}, {"updated_at", updated_at}};
}

json comment(int64_t id, const std::string& body, const std::string& updated_at = "2024-05-01T11:00:00Z") {
  return {{"id", id}, {"body", body}, {"user", {{"login", "bob"}}}, {"created_at", "2024-05-01T11:00:00Z"},
          {"updated_at", updated_at}};
}

std::string event(const std::string& type, const std::string& repo, const json& payload) {
  json e = {{"id", "26000000001"}, {"type", type},       {"actor", {{"id", 1}, {"login", "alice"}}},
            {"repo", {{"id", 7}, {"name", repo}, {"url", "https://api.github.com/repos/" + repo}}},
            {"payload", payload},    {"public", true}, {"created_at", "2024-05-01T12:00:00Z"}};
  return e.dump() + "\n";
}

std::string issues_event(const std::string& repo, const json& issue_object, const std::string& action = "opened") {
  return event("IssuesEvent", repo, {{"action", action}, {"issue", issue_object}});
}

std::string comment_event(const std::string& repo, const json& issue_object, const json& comment_object,
                          const std::string& action = "created") {
  return event("IssueCommentEvent", repo, {{"action", action}, {"issue", issue_object}, {"comment", comment_object}});
}

const std::string kPush = R"({"id":"2","type":"PushEvent","actor":{"login":"x"},"repo":{"id":1,"name":"a/b"},"payload":{"commits":[]}})" "\n";
const std::string kWatch = R"({"id":"3","type":"WatchEvent","actor":{"login":"y"},"repo":{"id":2,"name":"c/d"},"payload":{"action":"started"}})" "\n";

// Each string becomes one gzip member of the file: GH Archive files may be concatenations.
void write_gzip(const std::filesystem::path& path, const std::vector<std::string>& members) {
  std::filesystem::remove(path);
  for (const std::string& m : members) {
    gzFile f = gzopen(path.c_str(), "ab");
    REQUIRE(f != nullptr);
    REQUIRE(gzwrite(f, m.data(), static_cast<unsigned>(m.size())) == static_cast<int>(m.size()));
    REQUIRE(gzclose(f) == Z_OK);
  }
}

std::string database_content(Store& store) {
  std::string out;
  Query s = store.db().query(
      "SELECT i.number, i.title, i.body, i.state, i.labels, i.is_pull_request, i.updated_at, i.url, "
      "(SELECT group_concat(github_id || '=' || body, '|') FROM comments c WHERE c.issue_id = i.id) "
      "FROM issues i ORDER BY i.id");
  while (s.step()) {
    for (int c = 0; c < 9; ++c) out += s.column_text(c) + ";";
    out += "\n";
  }
  return out + "runs=" + std::to_string(store.db().query_int("SELECT count(*) FROM runs"));
}

}  // namespace

TEST_CASE("issue and comment events fill issues and comments, with the repository from the event") {
  TempDir dir;
  write_gzip(dir / "h.json.gz", {issues_event("QwenLM/Qwen2.5", issue(5, "2024-05-01T10:00:00Z")) +
                                 comment_event("QwenLM/Qwen2.5", issue(5, "2024-05-01T11:00:00Z"), comment(77, "try bf16"))});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(s.events == 2);
  CHECK(s.new_issues == 1);
  // The first snapshot is superseded by the later one in the same file: not written.
  CHECK(s.superseded_issues == 1);
  CHECK(s.updated_issues == 0);
  CHECK(s.new_comments == 1);
  CHECK(s.repositories == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE url = 'https://github.com/QwenLM/Qwen2.5/issues/5' "
                             "AND updated_at = '2024-05-01T11:00:00Z'") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM comments WHERE github_id = 77 AND body = 'try bf16'") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories WHERE series = 'Qwen' AND model = 'Qwen2.5'") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM runs WHERE command = 'import gharchive' AND status = 'ok'") == 1);
}

TEST_CASE("events other than issue events are skipped unparsed, malformed or not") {
  TempDir dir;
  std::string broken_push = R"({"id":"4","type":"PushEvent","payload":{"commits":[)" "\n";
  write_gzip(dir / "h.json.gz", {kPush + broken_push + kWatch + issues_event("o/r", issue(1, "2024-05-01T10:00:00Z"))});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(s.lines == 4);
  CHECK(s.events == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories") == 1);
}

TEST_CASE("--repo keeps only the named repositories, matched case-insensitively") {
  TempDir dir;
  write_gzip(dir / "h.json.gz", {issues_event("QwenLM/Qwen2.5", issue(1, "2024-05-01T10:00:00Z")) +
                                 issues_event("meta-llama/llama3", issue(2, "2024-05-01T10:00:00Z")) +
                                 issues_event("other/repo", issue(3, "2024-05-01T10:00:00Z"))});
  Store store = Store::open_memory();
  GharchiveOptions options;
  options.repositories = {"qwenlm/qwen2.5", "META-LLAMA/Llama3"};
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, options);
  CHECK(s.lines == 3);
  CHECK(s.events == 2);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories WHERE owner = 'other'") == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 2);
}

TEST_CASE("an older issue event never overwrites a newer one") {
  TempDir dir;
  write_gzip(dir / "new.json.gz", {issues_event("o/r", issue(1, "2024-06-01T00:00:00Z", "new title"))});
  write_gzip(dir / "old.json.gz", {issues_event("o/r", issue(1, "2024-05-01T00:00:00Z", "old title"))});
  Store store = Store::open_memory();
  import_gharchive(store, preset(), {dir / "new.json.gz"}, {});
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "old.json.gz"}, {});
  CHECK(s.older_issues == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE title = 'new title'") == 1);
}

TEST_CASE("a deleted comment event removes the comment") {
  TempDir dir;
  json i = issue(1, "2024-05-01T10:00:00Z");
  write_gzip(dir / "h.json.gz", {comment_event("o/r", i, comment(77, "spam")) + comment_event("o/r", i, comment(78, "keep")) +
                                 comment_event("o/r", i, comment(77, "spam"), "deleted")});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(s.new_comments == 2);
  CHECK(s.deleted_comments == 1);
  CHECK(store.db().query_int("SELECT group_concat(github_id) FROM comments") == 78);
}

TEST_CASE("an issue event of a pull request flags the issue as a pull request") {
  TempDir dir;
  json pr = issue(9, "2024-05-01T10:00:00Z", "Fix the loader");
  pr["pull_request"] = {{"url", "https://api.github.com/repos/o/r/pulls/9"}, {"merged_at", nullptr}};
  write_gzip(dir / "h.json.gz", {issues_event("o/r", pr, "closed") + issues_event("o/r", issue(10, "2024-05-01T10:00:00Z"))});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(s.pull_requests == 1);
  CHECK(store.db().query_int("SELECT number FROM issues WHERE is_pull_request = 1") == 9);
}

TEST_CASE("concatenated gzip members read as one file, even with a line cut between members") {
  TempDir dir;
  std::string second = issues_event("o/r", issue(2, "2024-05-01T10:00:00Z"));
  write_gzip(dir / "h.json.gz", {issues_event("o/r", issue(1, "2024-05-01T10:00:00Z")) + second.substr(0, 40),
                                 second.substr(40), kPush + issues_event("o/r", issue(3, "2024-05-01T10:00:00Z"))});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(s.lines == 4);
  CHECK(s.new_issues == 3);
}

TEST_CASE("Chinese text and null bodies are stored as given") {
  TempDir dir;
  json chinese = issue(1, "2024-05-01T10:00:00Z", "显存不足 when fine-tuning");
  chinese["body"] = "模型加载失败，请问如何解决？";
  json empty = issue(2, "2024-05-01T10:00:00Z");
  empty["body"] = nullptr;
  json silent = comment(5, "");
  silent["body"] = nullptr;
  write_gzip(dir / "h.json.gz", {issues_event("o/r", chinese) + comment_event("o/r", empty, silent)});
  Store store = Store::open_memory();
  import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE title = '显存不足 when fine-tuning' "
                             "AND body = '模型加载失败，请问如何解决？'") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE number = 2 AND body IS NULL") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM comments WHERE body IS NULL") == 1);
}

TEST_CASE("a malformed issue event is an error naming file and line, and leaves the database as it was") {
  TempDir dir;
  write_gzip(dir / "good.json.gz", {issues_event("o/r", issue(1, "2024-05-01T10:00:00Z"))});
  std::string broken = issues_event("o/r", issue(2, "2024-05-01T10:00:00Z"));
  broken = broken.substr(0, broken.size() - 2) + "\n";  // the closing brace cut off
  write_gzip(dir / "bad.json.gz", {kPush + issues_event("o/r", issue(3, "2024-05-01T10:00:00Z")) + broken + kWatch});
  Store store = Store::open(dir / "t.db");
  import_gharchive(store, preset(), {dir / "good.json.gz"}, {});
  std::string before = database_content(store);
  CHECK_THROWS_WITH_AS(import_gharchive(store, preset(), {dir / "good.json.gz", dir / "bad.json.gz"}, {}),
                       doctest::Contains("bad.json.gz: line 3, column"), Error);
  CHECK(database_content(store) == before);
}

TEST_CASE("an issue event with a field of the wrong type names file, line and field") {
  TempDir dir;
  json bad = issue(1, "2024-05-01T10:00:00Z");
  bad["title"] = 5;
  write_gzip(dir / "bad.json.gz", {kPush + issues_event("o/r", bad)});
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import_gharchive(store, preset(), {dir / "bad.json.gz"}, {}),
                       doctest::Contains("bad.json.gz: line 2: payload.issue: field 'title' must be a string, got number"),
                       Error);
}

TEST_CASE("a truncated gzip file is an error saying so, and nothing is written") {
  TempDir dir;
  std::string lines;
  for (int i = 1; i <= 200; ++i) lines += issues_event("o/r", issue(i, "2024-05-01T10:00:00Z"));
  write_gzip(dir / "full.json.gz", {lines});
  std::string bytes = file_bytes(dir / "full.json.gz");
  write_file(dir / "cut.json.gz", bytes.substr(0, bytes.size() - 100));
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import_gharchive(store, preset(), {dir / "cut.json.gz"}, {}),
                       doctest::Contains("cut.json.gz: line"), Error);
  CHECK_THROWS_WITH_AS(import_gharchive(store, preset(), {dir / "cut.json.gz"}, {}), doctest::Contains("truncated"),
                       Error);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a corrupt gzip stream is an error naming the file") {
  TempDir dir;
  std::string lines;
  for (int i = 1; i <= 200; ++i) lines += issues_event("o/r", issue(i, "2024-05-01T10:00:00Z"));
  write_gzip(dir / "full.json.gz", {lines});
  std::string bytes = file_bytes(dir / "full.json.gz");
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  write_file(dir / "corrupt.json.gz", bytes);
  write_file(dir / "text.json.gz", lines);
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(import_gharchive(store, preset(), {dir / "corrupt.json.gz"}, {}),
                       doctest::Contains("corrupt.json.gz: line"), Error);
  CHECK_THROWS_WITH_AS(import_gharchive(store, preset(), {dir / "text.json.gz"}, {}),
                       doctest::Contains("text.json.gz: not a gzip file"), Error);
  CHECK(store.db().query_int("SELECT count(*) FROM issues") == 0);
}

TEST_CASE("a file not ending in .gz is read as plain JSON Lines") {
  TempDir dir;
  write_file(dir / "h.jsonl", kPush + issues_event("o/r", issue(1, "2024-05-01T10:00:00Z")));
  Store store = Store::open_memory();
  CHECK(import_gharchive(store, preset(), {dir / "h.jsonl"}, {}).new_issues == 1);
}

TEST_CASE("a BigQuery row whose payload is a string of JSON is imported like an event") {
  TempDir dir;
  json payload = {{"action", "created"}, {"issue", issue(4, "2024-05-01T10:00:00Z")}, {"comment", comment(40, "same here")}};
  json row = {{"type", "IssueCommentEvent"},
              {"repo", {{"name", "QwenLM/Qwen2.5"}}},
              {"created_at", "2024-05-01 12:00:00 UTC"},
              {"payload", payload.dump()}};
  write_gzip(dir / "bq.json.gz", {row.dump() + "\n"});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "bq.json.gz"}, {});
  CHECK(s.new_issues == 1);
  CHECK(s.new_comments == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM comments WHERE body = 'same here'") == 1);
}

TEST_CASE("re-importing the same dump leaves the database as it was") {
  TempDir dir;
  json i = issue(1, "2024-05-01T10:00:00Z");
  json later = issue(1, "2024-05-01T12:00:00Z");
  later["state"] = "closed";
  write_gzip(dir / "h.json.gz", {issues_event("o/r", i) + comment_event("o/r", i, comment(1, "first")) +
                                 comment_event("o/r", i, comment(2, "spam")) + comment_event("o/r", i, comment(2, "spam"), "deleted") +
                                 issues_event("o/r", later, "closed") + kPush});
  Store store = Store::open_memory();
  import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  std::string before = database_content(store);
  GharchiveImportSummary again = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(again.new_issues == 0);
  CHECK(database_content(store) == before.substr(0, before.size() - 1) + "2");  // one more run, nothing else
}

TEST_CASE("progress is reported with bytes read and events so far") {
  TempDir dir;
  write_gzip(dir / "h.json.gz", {issues_event("o/r", issue(1, "2024-05-01T10:00:00Z")) + kPush});
  Store store = Store::open_memory();
  GharchiveOptions options;
  GharchiveProgress last;
  options.progress = [&](const GharchiveProgress& p) { last = p; };
  import_gharchive(store, preset(), {dir / "h.json.gz"}, options);
  CHECK(last.compressed_bytes_total == static_cast<int64_t>(std::filesystem::file_size(dir / "h.json.gz")));
  CHECK(last.compressed_bytes > 0);
  CHECK(last.compressed_bytes <= last.compressed_bytes_total);
}

namespace {

// A few thousand issue events (and noise) over a few dozen issues, deterministic: storms of
// snapshots of the same issue, some older than the one before, some tied; comments created,
// edited, re-sent older and deleted; bodies of a few KB with escapes, Chinese, emoji and
// nulls; some payloads as BigQuery strings. Several megabytes, so many batches.
std::vector<std::string> storm_lines() {
  uint64_t state = 42;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  const std::vector<std::string> repos = {"QwenLM/Qwen2.5", "o/r", "deepseek-ai/DeepSeek-V3"};
  const std::vector<std::string> texts = {"Traceback:\n  File \"x.py\", line 1\n\tKeyError: 'a\\b'", "显存不足，模型加载失败。",
                                          "emoji \xF0\x9F\x98\x80 and a tab\t and a /slash/", "plain words here"};
  std::vector<std::string> lines;
  std::vector<int64_t> comment_ids;
  for (int i = 0; i < 4000; ++i) {
    if (next(10) == 0) {
      lines.push_back(i % 2 ? kPush : kWatch);
      continue;
    }
    int64_t number = 1 + static_cast<int64_t>(next(40));
    const std::string& repo = repos[static_cast<size_t>(number % 3)];
    // Mostly newer as the file goes on; sometimes an hour older, sometimes the same second.
    int64_t minute = i / 10 - static_cast<int64_t>(next(4) == 0 ? 60 : 0);
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "2024-05-%02d T%02d:%02d:00Z", 1 + static_cast<int>(minute / 1440 % 28),
                  static_cast<int>(minute / 60 % 24), static_cast<int>(minute % 60));
    std::string updated = stamp;
    updated.erase(10, 1);
    json object = issue(number, updated, "title " + std::to_string(next(3)) + " " + texts[next(texts.size())]);
    std::string body;
    for (uint64_t k = 0, n = 1 + next(60); k < n; ++k) body += texts[next(texts.size())] + " ";
    object["body"] = next(12) == 0 ? json(nullptr) : json(body);
    object["labels"] = json::array();
    for (uint64_t k = 0, n = next(3); k < n; ++k) object["labels"].push_back({{"name", "label" + std::to_string(next(5))}});
    if (number % 7 == 0) object["pull_request"] = {{"url", "x"}};
    if (next(2)) object["html_url"] = "https://github.com/" + repo + "/issues/" + std::to_string(number);
    std::string line;
    if (next(3) == 0) {
      line = issues_event(repo, object, next(2) ? "edited" : "closed");
    } else {
      int64_t id;
      std::string action = "created";
      if (!comment_ids.empty() && next(4) == 0) {
        id = comment_ids[next(comment_ids.size())];
        action = next(3) == 0 ? "deleted" : "edited";
      } else {
        id = 5000 + i;
        comment_ids.push_back(id);
      }
      size_t cut = next(body.size() + 1);
      while (cut < body.size() && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;  // whole characters
      json c = comment(id, next(10) == 0 ? "" : body.substr(0, cut), updated);
      if (next(8) == 0) c["body"] = nullptr;
      line = comment_event(repo, object, c, action);
    }
    if (next(5) == 0) {  // BigQuery's shape: the payload as a string of JSON
      json e = json::parse(line);
      e["payload"] = e["payload"].dump();
      line = e.dump() + "\n";
    }
    lines.push_back(line);
  }
  return lines;
}

// Every row's content, by key: repositories by id (upserted in file order either way), issues
// by (repository, number), comments by github_id with their issue's key. Not by row id: an
// import that leaves out superseded snapshots creates an issue's row when it first writes it,
// which may be after other issues a serial import created later, and likewise for comments.
std::string full_content(Store& store) {
  std::string out;
  const std::pair<const char*, int> tables[] = {
      {"SELECT id, owner, name, series, model, architecture FROM repositories ORDER BY id", 6},
      {"SELECT repository_id, number, github_id, title, body, state, state_reason, author, author_association, "
       "labels, comments_count, created_at, updated_at, closed_at, is_pull_request, url FROM issues "
       "ORDER BY repository_id, number",
       16},
      {"SELECT c.github_id, i.repository_id, i.number, c.author, c.author_association, c.body, c.created_at, "
       "c.updated_at, c.url FROM comments c JOIN issues i ON i.id = c.issue_id ORDER BY c.github_id",
       9}};
  for (const auto& [sql, columns] : tables) {
    Query s = store.db().query(sql);
    while (s.step()) {
      for (int c = 0; c < columns; ++c) out += (s.column_is_null(c) ? "NULL" : s.column_text(c)) + "|";
      out += "\n";
    }
  }
  out += "comments=" + std::to_string(store.db().query_int("SELECT count(*) FROM comments"));
  return out;
}

std::string counts(const GharchiveImportSummary& s) {
  return std::to_string(s.events) + " " + std::to_string(s.issues) + " " + std::to_string(s.pull_requests) + " " +
         std::to_string(s.new_issues) + " " + std::to_string(s.updated_issues) + " " +
         std::to_string(s.unchanged_issues) + " " + std::to_string(s.older_issues) + " " +
         std::to_string(s.comments) + " " + std::to_string(s.new_comments) + " " +
         std::to_string(s.updated_comments) + " " + std::to_string(s.older_comments) + " " +
         std::to_string(s.deleted_comments) + " " + std::to_string(s.repositories) + " " +
         std::to_string(s.superseded_issues) + " " + std::to_string(s.unchanged_comments) + " " +
         std::to_string(s.superseded_comments);
}

// What an import with and one without superseded snapshots must agree on: every event is
// read and counted once, every issue is new once, every comment row is created and deleted
// as often.
std::string invariant_counts(const GharchiveImportSummary& s) {
  return std::to_string(s.events) + " " + std::to_string(s.issues) + " " + std::to_string(s.pull_requests) + " " +
         std::to_string(s.new_issues) + " " + std::to_string(s.comments) + " " + std::to_string(s.new_comments) +
         " " + std::to_string(s.deleted_comments) + " " + std::to_string(s.repositories);
}

// Each snapshot and each comment event is counted exactly once.
void check_counts_add_up(const GharchiveImportSummary& s, int64_t delete_events) {
  CHECK(s.new_issues + s.updated_issues + s.unchanged_issues + s.older_issues + s.superseded_issues == s.issues);
  CHECK(s.new_comments + s.updated_comments + s.unchanged_comments + s.older_comments + s.superseded_comments +
            delete_events ==
        s.comments);
}

}  // namespace

TEST_CASE("a parallel import of many events equals importing them one line at a time, in order") {
  TempDir dir;
  std::vector<std::string> lines = storm_lines();
  std::string all;
  for (const std::string& l : lines) all += l;
  REQUIRE(all.size() > 4'000'000);  // several batches of a megabyte
  write_gzip(dir / "all.json.gz", {all});
  Store parallel = Store::open_memory();
  GharchiveOptions options;
  options.threads = 4;
  GharchiveImportSummary a = import_gharchive(parallel, preset(), {dir / "all.json.gz"}, options);

  // One file per line: one batch each, written strictly in order.
  std::vector<std::filesystem::path> files;
  for (size_t i = 0; i < lines.size(); ++i) {
    files.push_back(dir / ("line-" + std::to_string(i) + ".json"));
    write_file(files.back(), lines[i]);
  }
  Store serial = Store::open_memory();
  options.threads = 1;
  GharchiveImportSummary b = import_gharchive(serial, preset(), files, options);

  // One file per line leaves nothing to supersede: every snapshot is written, as before.
  CHECK(b.superseded_issues == 0);
  CHECK(b.superseded_comments == 0);
  CHECK(a.superseded_issues > 1000);
  CHECK(a.superseded_comments > 10);
  CHECK(a.older_issues > 0);
  CHECK(a.deleted_comments > 0);
  CHECK(a.older_comments > 0);
  int64_t delete_events = 0;
  for (const std::string& l : lines) {
    delete_events += l.find("\"action\":\"deleted\"") != std::string::npos ||
                     l.find("\\\"action\\\":\\\"deleted\\\"") != std::string::npos;
  }
  CHECK(delete_events > 0);
  check_counts_add_up(a, delete_events);
  check_counts_add_up(b, delete_events);
  CHECK(invariant_counts(a) == invariant_counts(b));
  CHECK(full_content(parallel) == full_content(serial));

  // The same file on one thread: the same batches, so the same decisions and counts.
  Store one = Store::open_memory();
  GharchiveImportSummary c = import_gharchive(one, preset(), {dir / "all.json.gz"}, options);
  CHECK(counts(a) == counts(c));
  CHECK(full_content(parallel) == full_content(one));
}

TEST_CASE("superseded issue snapshots and comment edits are not written, and the result is the same") {
  TempDir dir;
  json v1 = issue(1, "2024-05-01T10:00:00Z", "first");
  json v2 = issue(1, "2024-05-01T11:00:00Z", "second");
  json v2b = issue(1, "2024-05-01T11:00:00Z", "second, same second");
  json v0 = issue(1, "2024-05-01T09:00:00Z", "older");
  json untimed = issue(2, "2024-05-01T10:00:00Z", "untimed");
  untimed["updated_at"] = nullptr;
  json timed = issue(2, "2024-05-01T10:00:00Z", "timed");
  std::vector<std::string> lines = {
      issues_event("o/r", v1),                                        // superseded by v2
      comment_event("o/r", v2, comment(7, "a", "2024-05-01T11:00:00Z")),  // v2 superseded by v2b; comment by b
      issues_event("o/r", v2b, "edited"),                              // kept: v0 is older
      comment_event("o/r", v0, comment(7, "b", "2024-05-01T12:00:00Z"), "edited"),  // comment kept: a delete follows
      comment_event("o/r", v0, comment(7, "b", "2024-05-01T12:00:00Z"), "deleted"),
      comment_event("o/r", v0, comment(7, "c", "2024-05-01T13:00:00Z"), "edited"),  // after the delete: re-created
      comment_event("o/r", v0, comment(8, "x", "2024-05-01T13:00:00Z")),  // kept: the next edit is older
      comment_event("o/r", v0, comment(8, "y", "2024-05-01T12:00:00Z"), "edited"),  // older: kept out
      issues_event("o/r", untimed),                                   // no updated_at: never superseded
      issues_event("o/r", timed),                                     // written after it
      comment_event("o/other", issue(3, "2024-05-01T10:00:00Z"), comment(9, "z")),  // only a comment wants the id
      comment_event("o/other", issue(3, "2024-05-01T10:00:00Z"), comment(9, "z2", "2024-05-01T11:00:01Z"), "edited"),
  };
  std::string all;
  for (const std::string& l : lines) all += l;
  write_gzip(dir / "all.json.gz", {all});
  std::vector<std::filesystem::path> files;
  for (size_t i = 0; i < lines.size(); ++i) {
    files.push_back(dir / ("line-" + std::to_string(i) + ".json"));
    write_file(files.back(), lines[i]);
  }
  Store together = Store::open_memory(), serial = Store::open_memory();
  GharchiveImportSummary a = import_gharchive(together, preset(), {dir / "all.json.gz"}, {});
  GharchiveImportSummary b = import_gharchive(serial, preset(), files, {});
  // Issue 1: v1 and v2 superseded, v2b new; of the five v0 snapshots (older than v2b) the
  // first four are superseded by the next, tied, the last is older. Issue 2: both written.
  // Issue 3: the first snapshot superseded (its comment creates the row), the second new.
  CHECK(a.superseded_issues == 7);
  CHECK(a.new_issues == 3);
  CHECK(a.older_issues == 1);
  CHECK(a.updated_issues == 1);  // "timed" after "untimed"
  CHECK(a.unchanged_issues == 0);
  // Comment 7: "a" superseded by "b"; "b" written, deleted, "c" re-created. Comment 8: "x"
  // new, "y" older. Comment 9: "z" superseded, "z2" new.
  CHECK(a.superseded_comments == 2);
  CHECK(a.new_comments == 4);
  CHECK(a.older_comments == 1);
  CHECK(a.deleted_comments == 1);
  check_counts_add_up(a, 1);
  check_counts_add_up(b, 1);
  CHECK(b.superseded_issues == 0);
  CHECK(invariant_counts(a) == invariant_counts(b));
  CHECK(full_content(together) == full_content(serial));
  CHECK(together.db().query_int("SELECT count(*) FROM issues WHERE title = 'second, same second'") == 1);
  CHECK(together.db().query_int("SELECT count(*) FROM comments WHERE github_id = 7 AND body = 'c'") == 1);
}

TEST_CASE("the fast parser reads every event as the reference parser does") {
  // A comment before the event is valid to the reference parser (nlohmann::json, comments
  // allowed) and declined by the fast one, so the second file goes through the reference.
  TempDir dir;
  std::vector<std::string> lines = storm_lines();
  std::string fast, reference;
  for (const std::string& l : lines) {
    fast += l;
    reference += "/* reference */ " + l;
  }
  write_gzip(dir / "fast.json.gz", {fast});
  write_gzip(dir / "reference.json.gz", {reference});
  Store a = Store::open_memory(), b = Store::open_memory();
  GharchiveImportSummary sa = import_gharchive(a, preset(), {dir / "fast.json.gz"}, {});
  GharchiveImportSummary sb = import_gharchive(b, preset(), {dir / "reference.json.gz"}, {});
  CHECK(counts(sa) == counts(sb));
  CHECK(full_content(a) == full_content(b));
}
