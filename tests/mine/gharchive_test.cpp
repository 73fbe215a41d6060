// Tests of mine/gharchive.h, the import: small GH Archive dumps written with zlib at test time
// (gharchive_fixture.h), and a storm of events whose expected counts are worked out from its
// lines alone.
#include <doctest/doctest.h>

#include <map>
#include <utility>

#include "base/error.h"
#include "gharchive_fixture.h"
#include "mine/gharchive.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

Preset preset() { return gharchive_preset(); }

std::string database_content(Store& store) {
  std::string out;
  Query s = store.db().query(
      "SELECT i.number, i.title, i.body, i.state, i.labels, i.is_pull_request, i.updated_at, i.url, "
      "(SELECT group_concat(github_id || '=' || body || '=' || coalesce(c.reactions, 'null'), '|') FROM comments c "
      "WHERE c.issue_id = i.id), i.reactions, i.reactions_total "
      "FROM issues i ORDER BY i.id");
  while (s.step()) {
    for (int c = 0; c < 11; ++c) out += s.column_text(c) + ";";
    out += "\n";
  }
  return out + "runs=" + std::to_string(store.db().query_int("SELECT count(*) FROM runs"));
}

}  // namespace

TEST_CASE("issue and comment events fill issues and comments, with the repository from the event") {
  TempDir dir;
  write_gzip(dir / "h.json.gz",
             {issues_event("QwenLM/Qwen2.5", issue(5, "2024-05-01T10:00:00Z")) +
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

TEST_CASE("the reactions of an event's issue and comment are stored") {
  TempDir dir;
  json i = issue(5, "2024-05-01T10:00:00Z");
  i["reactions"] = {{"url", "u"}, {"total_count", 3}, {"+1", 2}, {"eyes", 1}};
  json c = comment(77, "me too");
  c["reactions"] = {{"url", "u"}, {"total_count", 1}, {"heart", 1}};
  write_gzip(dir / "h.json.gz", {comment_event("QwenLM/Qwen2.5", i, c)});
  Store store = Store::open_memory();
  import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(store.db().query_int("SELECT reactions_total * 10 + json_extract(reactions, '$.eyes') FROM issues") == 31);
  CHECK(store.db().query_int("SELECT json_extract(reactions, '$.heart') FROM comments WHERE github_id = 77") == 1);
}

TEST_CASE("events other than issue events are skipped unparsed, malformed or not") {
  TempDir dir;
  std::string broken_push = R"({"id":"4","type":"PushEvent","payload":{"commits":[)"
                            "\n";
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
  write_gzip(dir / "h.json.gz",
             {comment_event("o/r", i, comment(77, "spam")) + comment_event("o/r", i, comment(78, "keep")) +
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
  write_gzip(dir / "h.json.gz",
             {issues_event("o/r", pr, "closed") + issues_event("o/r", issue(10, "2024-05-01T10:00:00Z"))});
  Store store = Store::open_memory();
  GharchiveImportSummary s = import_gharchive(store, preset(), {dir / "h.json.gz"}, {});
  CHECK(s.pull_requests == 1);
  CHECK(store.db().query_int("SELECT number FROM issues WHERE is_pull_request = 1") == 9);
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

TEST_CASE("re-importing the same dump leaves the database as it was") {
  TempDir dir;
  json i = issue(1, "2024-05-01T10:00:00Z");
  json later = issue(1, "2024-05-01T12:00:00Z");
  later["state"] = "closed";
  write_gzip(dir / "h.json.gz",
             {issues_event("o/r", i) + comment_event("o/r", i, comment(1, "first")) +
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
  // The last report comes after the last batch, when zlib has consumed the whole file.
  CHECK(last.compressed_bytes_total == static_cast<int64_t>(std::filesystem::file_size(dir / "h.json.gz")));
  CHECK(last.compressed_bytes == last.compressed_bytes_total);
  CHECK(last.events == 1);
  CHECK(last.issues == 1);
}

TEST_CASE("the progress line says megabytes read, the share of the input, events and issues") {
  GharchiveProgress p;
  p.compressed_bytes = 412'049'000;
  p.compressed_bytes_total = 1'084'339'474;  // 38.0 %
  p.events = 51234;
  p.issues = 49876;
  CHECK(gharchive_progress_text(p) == "412.0 MB read (38%), 51234 events, 49876 issues");
  CHECK(gharchive_progress_text({}) == "0.0 MB read (0%), 0 events, 0 issues");
}

namespace {

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
         std::to_string(s.unchanged_issues) + " " + std::to_string(s.older_issues) + " " + std::to_string(s.comments) +
         " " + std::to_string(s.new_comments) + " " + std::to_string(s.updated_comments) + " " +
         std::to_string(s.older_comments) + " " + std::to_string(s.deleted_comments) + " " +
         std::to_string(s.repositories) + " " + std::to_string(s.superseded_issues) + " " +
         std::to_string(s.unchanged_comments) + " " + std::to_string(s.superseded_comments);
}

// What an import with and one without superseded snapshots must agree on: every event is
// read and counted once, every issue is new once, every comment row is created and deleted
// as often.
std::string invariant_counts(const GharchiveImportSummary& s) {
  return std::to_string(s.events) + " " + std::to_string(s.issues) + " " + std::to_string(s.pull_requests) + " " +
         std::to_string(s.new_issues) + " " + std::to_string(s.comments) + " " + std::to_string(s.new_comments) + " " +
         std::to_string(s.deleted_comments) + " " + std::to_string(s.repositories);
}

// Each snapshot and each comment event is counted exactly once.
void check_counts_add_up(const GharchiveImportSummary& s, int64_t delete_events) {
  CHECK(s.new_issues + s.updated_issues + s.unchanged_issues + s.older_issues + s.superseded_issues == s.issues);
  CHECK(s.new_comments + s.updated_comments + s.unchanged_comments + s.older_comments + s.superseded_comments +
            delete_events ==
        s.comments);
}

// What importing the storm must do, worked out from its lines alone by the rules gharchive.h
// and the store state, not by the import's code: a snapshot older than the newest one before
// it of the same issue is kept out (ties are written); a comment edit older than the newest
// write since the comment's last delete is kept out; a delete removes a comment written since
// the previous delete. With the whole file in one look-ahead window, a snapshot is superseded
// when the next snapshot of its issue is as new or newer, an edit when the next event of its
// comment is an edit (not a delete) as new or newer; what is superseded is not written, so
// not counted as older either.
struct StormExpectation {
  int64_t delete_events = 0;
  int64_t deleted_comments = 0;
  int64_t superseded_issues = 0, superseded_comments = 0;
  int64_t older_issues_serial = 0, older_comments_serial = 0;  // every event written
  int64_t older_issues_window = 0, older_comments_window = 0;  // superseded ones left out
};

struct StormEvent {
  std::pair<std::string, int64_t> issue;  // repository, number
  std::string issue_updated_at;
  bool comment_event = false, deleted = false;
  int64_t comment_id = 0;
  std::string comment_updated_at;
};

std::vector<StormEvent> storm_events(const std::vector<std::string>& lines) {
  std::vector<StormEvent> events;
  for (const std::string& line : lines) {
    json e = json::parse(line);
    const std::string type = e["type"];
    if (type != "IssuesEvent" && type != "IssueCommentEvent") continue;
    json payload = e["payload"].is_string() ? json::parse(e["payload"].get<std::string>()) : e["payload"];
    StormEvent s;
    s.issue = {e["repo"]["name"], payload["issue"]["number"]};
    s.issue_updated_at = payload["issue"]["updated_at"];
    s.comment_event = type == "IssueCommentEvent";
    if (s.comment_event) {
      s.deleted = payload["action"] == "deleted";
      s.comment_id = payload["comment"]["id"];
      s.comment_updated_at = payload["comment"]["updated_at"];
    }
    events.push_back(std::move(s));
  }
  return events;
}

// Whether the next event of the same issue (or comment) supersedes event k.
bool issue_superseded(const std::vector<StormEvent>& events, size_t k) {
  for (size_t j = k + 1; j < events.size(); ++j) {
    if (events[j].issue == events[k].issue) return events[j].issue_updated_at >= events[k].issue_updated_at;
  }
  return false;
}
bool comment_superseded(const std::vector<StormEvent>& events, size_t k) {
  if (events[k].deleted) return false;
  for (size_t j = k + 1; j < events.size(); ++j) {
    if (!events[j].comment_event || events[j].comment_id != events[k].comment_id) continue;
    return !events[j].deleted && events[j].comment_updated_at >= events[k].comment_updated_at;
  }
  return false;
}

StormExpectation expected_storm(const std::vector<std::string>& lines) {
  std::vector<StormEvent> events = storm_events(lines);
  StormExpectation x;
  std::map<std::pair<std::string, int64_t>, std::string> newest_issue;  // over every snapshot before
  std::map<int64_t, std::string> newest_edit;  // since the comment's last delete; absent: no row
  for (size_t k = 0; k < events.size(); ++k) {
    const StormEvent& e = events[k];
    bool superseded = issue_superseded(events, k);
    x.superseded_issues += superseded;
    auto issue = newest_issue.find(e.issue);
    bool older = issue != newest_issue.end() && e.issue_updated_at < issue->second;
    x.older_issues_serial += older;
    x.older_issues_window += older && !superseded;
    if (!older) newest_issue[e.issue] = e.issue_updated_at;
    if (!e.comment_event) continue;
    auto edit = newest_edit.find(e.comment_id);
    if (e.deleted) {
      ++x.delete_events;
      if (edit != newest_edit.end()) {
        ++x.deleted_comments;
        newest_edit.erase(edit);
      }
      continue;
    }
    superseded = comment_superseded(events, k);
    x.superseded_comments += superseded;
    older = edit != newest_edit.end() && e.comment_updated_at < edit->second;
    x.older_comments_serial += older;
    x.older_comments_window += older && !superseded;
    if (!older) newest_edit[e.comment_id] = e.comment_updated_at;
  }
  return x;
}

}  // namespace

TEST_CASE("a parallel import of many events equals importing them one line at a time, in order") {
  TempDir dir;
  std::vector<std::string> lines = storm_lines();
  std::string all;
  for (const std::string& l : lines) all += l;
  // Several batches of a megabyte, all within one look-ahead window of 16.
  REQUIRE(all.size() > 4'000'000);
  REQUIRE(all.size() < 15'000'000);
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

  const StormExpectation x = expected_storm(lines);
  CHECK(a.superseded_issues == x.superseded_issues);
  CHECK(a.superseded_comments == x.superseded_comments);
  CHECK(a.older_issues == x.older_issues_window);
  CHECK(a.older_comments == x.older_comments_window);
  CHECK(a.deleted_comments == x.deleted_comments);
  // One file per line leaves nothing to supersede: every snapshot is written, as before.
  CHECK(b.superseded_issues == 0);
  CHECK(b.superseded_comments == 0);
  CHECK(b.older_issues == x.older_issues_serial);
  CHECK(b.older_comments == x.older_comments_serial);
  CHECK(b.deleted_comments == x.deleted_comments);
  check_counts_add_up(a, x.delete_events);
  check_counts_add_up(b, x.delete_events);
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
      issues_event("o/r", v1),                                            // superseded by v2
      comment_event("o/r", v2, comment(7, "a", "2024-05-01T11:00:00Z")),  // v2 superseded by v2b; comment by b
      issues_event("o/r", v2b, "edited"),                                 // kept: v0 is older
      comment_event("o/r", v0, comment(7, "b", "2024-05-01T12:00:00Z"), "edited"),  // comment kept: a delete follows
      comment_event("o/r", v0, comment(7, "b", "2024-05-01T12:00:00Z"), "deleted"),
      comment_event("o/r", v0, comment(7, "c", "2024-05-01T13:00:00Z"), "edited"),  // after the delete: re-created
      comment_event("o/r", v0, comment(8, "x", "2024-05-01T13:00:00Z")),            // kept: the next edit is older
      comment_event("o/r", v0, comment(8, "y", "2024-05-01T12:00:00Z"), "edited"),  // older: kept out
      issues_event("o/r", untimed),                                                 // no updated_at: never superseded
      issues_event("o/r", timed),                                                   // written after it
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
