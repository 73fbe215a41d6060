// Tests of mine/gharchive_coverage.h: a generated archive of 48 hourly dumps, whole and with
// holes punched in it (an hour gone, an hour without its issue events, a repository silent for
// two hours, an opened event lost), and bad lines.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "gharchive_fixture.h"
#include "mine/gharchive_coverage.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

constexpr int64_t kFirstHour = 1714521600 / 3600;  // 2024-05-01 00:00 UTC

struct Event {
  int hour = 0;
  std::string type, repo;
  int64_t opened = 0;  // the number an "opened" event gives out
};

std::string line_of(const Event& e, int minute) {
  json payload = json::object();
  if (e.type == "IssuesEvent") {
    payload = {{"action", e.opened ? "opened" : "closed"}, {"issue", {{"number", e.opened ? e.opened : 1}}}};
  } else if (e.type == "PullRequestEvent") {
    payload = {{"action", "opened"}, {"number", e.opened}, {"pull_request", {{"number", e.opened}}}};
  } else if (e.type == "IssueCommentEvent") {
    payload = {{"action", "created"}, {"issue", {{"number", 1}}}, {"comment", {{"id", 5}}}};
  }
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "2024-05-%02dT%02d:%02d:00Z", 1 + e.hour / 24, e.hour % 24, minute);
  json line = {{"id", "1"}, {"type", e.type}, {"repo", {{"id", 1}, {"name", e.repo}}}, {"payload", payload},
               {"created_at", stamp}};
  return line.dump() + "\n";
}

// Every hour: 12 pushes and 12 issue events on other repositories; QwenLM/Qwen2.5 gets 4 pushes,
// one issue opened and one pull request opened (numbers in turn), and a comment.
std::vector<Event> generated_archive() {
  std::vector<Event> events;
  int64_t number = 1;
  for (int h = 0; h < 48; ++h) {
    for (int i = 0; i < 12; ++i) events.push_back({h, "PushEvent", "other/repo" + std::to_string(i % 3), 0});
    for (int i = 0; i < 12; ++i) events.push_back({h, i % 2 ? "IssueCommentEvent" : "IssuesEvent", "other/x", 0});
    for (int i = 0; i < 4; ++i) events.push_back({h, "PushEvent", "QwenLM/Qwen2.5", 0});
    events.push_back({h, "IssuesEvent", "QwenLM/Qwen2.5", number++});
    events.push_back({h, "PullRequestEvent", "QwenLM/Qwen2.5", number++});
    events.push_back({h, "IssueCommentEvent", "QwenLM/Qwen2.5", 0});
  }
  return events;
}

// One gzip file per hour that has events, named as GH Archive names them.
std::vector<std::filesystem::path> write_archive(const TempDir& dir, const std::vector<Event>& events) {
  std::map<int, std::string> by_hour;
  for (const Event& e : events) by_hour[e.hour] += line_of(e, static_cast<int>(by_hour[e.hour].size() % 60));
  std::vector<std::filesystem::path> files;
  for (const auto& [hour, text] : by_hour) {
    files.push_back(dir / ("2024-05-" + std::to_string(1 + hour / 24) + "-" + std::to_string(hour % 24) + ".json.gz"));
    write_gzip(files.back(), {text});
  }
  return files;
}

CoverageOptions qwen() {
  CoverageOptions o;
  o.repositories = {"qwenlm/qwen2.5"};
  return o;
}

}  // namespace

TEST_CASE("a whole generated archive has no hole: no empty hour, no silent run, no number missing") {
  TempDir dir;
  ArchiveCoverage c = gharchive_coverage(write_archive(dir, generated_archive()), qwen());
  CHECK(c.files == 48);
  CHECK(c.events == 48 * 31);
  CHECK(c.issue_events == 48 * 14);
  CHECK(c.first_hour == kFirstHour);
  CHECK(c.last_hour == kFirstHour + 47);
  CHECK(c.without_events.empty());
  CHECK(c.without_issue_events.empty());
  REQUIRE(c.repositories.size() == 1);
  const RepositoryCoverage& r = c.repositories[0];
  CHECK(r.repository == "QwenLM/Qwen2.5");
  CHECK(r.events == 48 * 7);
  CHECK(r.silent.empty());
  CHECK(r.opened == 96);
  CHECK(r.first_opened == 1);
  CHECK(r.last_opened == 96);
  CHECK(r.numbers_never_opened.empty());
}

TEST_CASE("holes punched in the archive are listed, each where it was punched, and nothing else") {
  std::vector<Event> events = generated_archive();
  std::set<int64_t> lost;  // numbers whose opened event is punched out
  auto punch = [&](auto&& gone) {
    std::vector<Event> kept;
    for (const Event& e : events) {
      if (gone(e)) {
        if (e.opened) lost.insert(e.opened);
      } else {
        kept.push_back(e);
      }
    }
    events = kept;
  };
  punch([](const Event& e) { return e.hour == 10; });  // the hour's file missing
  punch([](const Event& e) { return e.hour == 20 && (e.type == "IssuesEvent" || e.type == "IssueCommentEvent"); });
  punch([](const Event& e) { return (e.hour == 30 || e.hour == 31) && e.repo == "QwenLM/Qwen2.5"; });
  punch([](const Event& e) { return e.opened == 77; });  // one opened event lost
  TempDir dir;
  ArchiveCoverage c = gharchive_coverage(write_archive(dir, events), qwen());
  CHECK(c.files == 47);
  REQUIRE(c.without_events.size() == 1);
  CHECK(c.without_events[0].from == kFirstHour + 10);
  CHECK(c.without_events[0].hours == 1);
  CHECK(c.without_events[0].expected > 20);
  REQUIRE(c.without_issue_events.size() == 1);
  CHECK(c.without_issue_events[0].from == kFirstHour + 20);
  CHECK(c.without_issue_events[0].hours == 1);
  // The repository: 312 events in 48 hours, 6.5 an hour, so the hour gone is below 10; its
  // two silent hours (13 expected) are listed.
  const RepositoryCoverage& r = c.repositories.at(0);
  REQUIRE(r.silent.size() == 1);
  CHECK(r.silent[0].from == kFirstHour + 30);
  CHECK(r.silent[0].hours == 2);
  CHECK(std::set<int64_t>(r.numbers_never_opened.begin(), r.numbers_never_opened.end()) == lost);
  CHECK(lost.size() == 2 + 1 + 4 + 1);
  // A lower bar lists the hour gone for the repository too.
  CoverageOptions strict = qwen();
  strict.min_expected = 5;
  ArchiveCoverage s = gharchive_coverage(write_archive(dir, events), strict);
  CHECK(s.repositories.at(0).silent.size() == 2);
  // The report says each.
  std::ostringstream text;
  print_archive_coverage(c, text);
  CHECK(text.str().find("Hours without any event: 1 run\n  2024-05-01 10:00 (1 hour,") != std::string::npos);
  CHECK(text.str().find("Hours with events but no issue event: 1 run\n  2024-05-01 20:00 (1 hour,") !=
        std::string::npos);
  CHECK(text.str().find("2024-05-02 06:00 to 2024-05-02 07:00 (2 hours, 13 events expected)") != std::string::npos);
  CHECK(text.str().find("8 never opened: #21, #22, #41, #61") != std::string::npos);
  json j = archive_coverage_json(c);
  CHECK(j["hours_without_events"][0]["from"] == "2024-05-01 10:00");
  CHECK(j["repositories"][0]["numbers_never_opened"].size() == 8);
}

TEST_CASE("a BigQuery row (payload a string of JSON, its own time format) counts like an event") {
  TempDir dir;
  json row = {{"type", "IssuesEvent"},
              {"repo", {{"name", "QwenLM/Qwen2.5"}}},
              {"created_at", "2024-05-01 03:15:00 UTC"},
              {"payload", json({{"action", "opened"}, {"issue", {{"number", 9}}}}).dump()}};
  write_file(dir / "bq.json", row.dump() + "\n\n" + row.dump() + "\n");
  ArchiveCoverage c = gharchive_coverage({dir / "bq.json"}, qwen());
  CHECK(c.events == 2);
  CHECK(c.first_hour == kFirstHour + 3);
  CHECK(c.repositories.at(0).opened == 1);
  CHECK(c.repositories.at(0).first_opened == 9);
}

TEST_CASE("a line that is not an event, or an event without a time, names the file and the line") {
  TempDir dir;
  write_file(dir / "bad.json", kPush.substr(0, kPush.size() - 2) + ",\"created_at\":\"2024-05-01T00:00:00Z\"}\nnot json\n");
  CHECK_THROWS_WITH_AS(gharchive_coverage({dir / "bad.json"}, {}), doctest::Contains("bad.json: line 2: not a JSON event"),
                       Error);
  write_file(dir / "timeless.json", kPush);
  CHECK_THROWS_WITH_AS(gharchive_coverage({dir / "timeless.json"}, {}),
                       doctest::Contains("timeless.json: line 1: field 'created_at' missing"), Error);
  write_file(dir / "when.json", R"({"type":"PushEvent","created_at":"yesterday"})"
                                "\n");
  CHECK_THROWS_WITH_AS(gharchive_coverage({dir / "when.json"}, {}),
                       doctest::Contains("when.json: line 1: field 'created_at' must be a time"), Error);
}
