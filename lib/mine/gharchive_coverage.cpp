// mine/gharchive_coverage.cpp — one pass over the dumps counting events by hour (and by hour
// and repository for the wanted ones), then the runs of hours the rates say are holes.
#include "mine/gharchive_coverage.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "mine/gzip_lines.h"
#include "mine/json_scanner.h"

namespace firstmile {

namespace {

using nlohmann::json;

// What coverage needs of one event line.
struct EventFacts {
  std::string type, repository, created_at;
  std::string_view payload;  // raw JSON text of the payload (an object, or a string of one)
  json parsed;               // the whole line, when the scanner declined it
};

void scan_facts(std::string_view line, EventFacts& f) {
  JsonScanner s(line);
  bool have_type = false, have_repo = false, have_created = false;
  s.object([&](std::string_view key) {
    if (key == "type" && !have_type) {
      s.string(f.type);
      have_type = true;
    } else if (key == "repo" && !have_repo && s.peek() == '{') {
      have_repo = true;
      s.object([&](std::string_view inner) {
        if (inner == "name")
          s.string(f.repository);
        else
          s.skip();
      });
    } else if (key == "created_at" && !have_created) {
      s.string(f.created_at);
      have_created = true;
    } else if (key == "payload") {
      s.peek();
      const char* from = s.position();
      s.skip();
      f.payload = std::string_view(from, static_cast<size_t>(s.position() - from));
    } else {
      s.skip();
    }
  });
  if (!s.at_end()) throw JsonScanner::Decline{};
}

// The line's facts: the scanner first, nlohmann where it declines (which names the error).
EventFacts read_facts(std::string_view line, const std::string& where) {
  EventFacts f;
  try {
    scan_facts(line, f);
  } catch (const JsonScanner::Decline&) {
    f = EventFacts{};
    f.parsed = json::parse(line, nullptr, false);
    if (f.parsed.is_discarded() || !f.parsed.is_object()) throw Error(where + ": not a JSON event object");
    auto text = [&](const json& o, const char* key) {
      auto it = o.find(key);
      return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    f.type = text(f.parsed, "type");
    f.created_at = text(f.parsed, "created_at");
    if (auto repo = f.parsed.find("repo"); repo != f.parsed.end() && repo->is_object()) f.repository = text(*repo, "name");
  }
  if (f.created_at.empty()) throw Error(where + ": field 'created_at' missing (every GH Archive event has one)");
  return f;
}

// Hours since the epoch of "2024-05-01T12:34:56Z" or BigQuery's "2024-05-01 12:34:56 UTC".
int64_t hour_of(std::string text, const std::string& where) {
  if (text.size() >= 19 && text[10] == ' ') text[10] = 'T';
  std::optional<int64_t> t = text.size() >= 19 ? parse_iso8601_utc(text.substr(0, 19)) : std::nullopt;
  if (!t || !valid_iso8601(text.substr(0, 19)))
    throw Error(where + ": field 'created_at' must be a time such as 2024-05-01T12:00:00Z, got '" + text + "'");
  return *t >= 0 ? *t / 3600 : (*t - 3599) / 3600;
}

// The number an "opened" IssuesEvent or PullRequestEvent gives out; 0 for any other event.
int64_t opened_number(const EventFacts& f) {
  if (f.type != "IssuesEvent" && f.type != "PullRequestEvent") return 0;
  json payload;
  if (!f.parsed.is_null()) {
    auto it = f.parsed.find("payload");
    if (it != f.parsed.end()) payload = *it;
  } else if (!f.payload.empty()) {
    payload = json::parse(f.payload, nullptr, false);
  }
  if (payload.is_string()) payload = json::parse(payload.get<std::string>(), nullptr, false);  // BigQuery
  if (!payload.is_object() || payload.value("action", json()) != "opened") return 0;
  for (const char* holder : {"issue", "pull_request"}) {
    auto it = payload.find(holder);
    if (it != payload.end() && it->is_object() && it->contains("number") && (*it)["number"].is_number_integer())
      return (*it)["number"].get<int64_t>();
  }
  auto it = payload.find("number");
  return it != payload.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

struct HourCounts {
  int64_t events = 0, issue_events = 0;
};

struct RepositoryTally {
  std::string spelling;
  std::map<int64_t, int64_t> by_hour;
  int64_t events = 0, issue_events = 0;
  std::vector<int64_t> opened;
};

// Runs of hours in [first, last] for which `empty(hour)` holds, each kept when `rate` (events
// an hour) expects at least `min_expected` in it.
template <typename Empty>
std::vector<HourRun> empty_runs(int64_t first, int64_t last, double rate, double min_expected, Empty empty) {
  std::vector<HourRun> runs;
  for (int64_t h = first; h <= last;) {
    if (!empty(h)) {
      ++h;
      continue;
    }
    int64_t end = h;
    while (end <= last && empty(end)) ++end;
    double expected = rate * static_cast<double>(end - h);
    if (expected >= min_expected) runs.push_back({h, end - h, expected});
    h = end;
  }
  return runs;
}

std::string run_text(const HourRun& r) {
  return hour_text(r.from) + (r.hours == 1 ? " (1 hour" : " to " + hour_text(r.from + r.hours - 1) + " (" +
                                                              std::to_string(r.hours) + " hours") +
         ", " + std::to_string(static_cast<int64_t>(r.expected + 0.5)) + " events expected)";
}

json runs_json(const std::vector<HourRun>& runs) {
  json out = json::array();
  for (const HourRun& r : runs)
    out.push_back({{"from", hour_text(r.from)}, {"hours", r.hours}, {"expected_events", r.expected}});
  return out;
}

}  // namespace

std::string hour_text(int64_t hour) {
  const std::string t = iso8601_utc(hour * 3600);  // 2024-05-01T05:00:00Z
  return t.substr(0, 10) + " " + t.substr(11, 5);
}

ArchiveCoverage gharchive_coverage(const std::vector<std::filesystem::path>& files, const CoverageOptions& options) {
  ArchiveCoverage c;
  c.min_expected = options.min_expected;
  std::map<int64_t, HourCounts> hours;
  std::unordered_map<std::string, RepositoryTally> tallies;
  int64_t bytes_before = 0;
  for (const std::filesystem::path& path : files) {
    GzipLineReader reader(path);
    std::string_view line;
    while (reader.next(line)) {
      ++c.lines;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      const std::string where = reader.path() + ": line " + std::to_string(reader.line_number());
      EventFacts f = read_facts(line, where);
      const int64_t hour = hour_of(f.created_at, where);
      const bool issue_event = f.type == "IssuesEvent" || f.type == "IssueCommentEvent";
      HourCounts& counts = hours[hour];
      ++counts.events;
      ++c.events;
      if (issue_event) {
        ++counts.issue_events;
        ++c.issue_events;
      }
      if (options.repositories.empty()) continue;
      const std::string key = to_lower_ascii(f.repository);
      if (!options.repositories.count(key)) continue;
      RepositoryTally& t = tallies[key];
      t.spelling = f.repository;
      ++t.by_hour[hour];
      ++t.events;
      if (issue_event) ++t.issue_events;
      if (int64_t n = opened_number(f); n > 0) t.opened.push_back(n);
    }
    ++c.files;
    bytes_before += reader.bytes();
    if (options.progress) options.progress(c.files, bytes_before);
  }
  if (hours.empty()) return c;
  c.first_hour = hours.begin()->first;
  c.last_hour = hours.rbegin()->first;
  const double span = static_cast<double>(c.last_hour - c.first_hour + 1);
  auto count_of = [&](int64_t h) {
    auto it = hours.find(h);
    return it == hours.end() ? HourCounts{} : it->second;
  };
  c.without_events = empty_runs(c.first_hour, c.last_hour, static_cast<double>(c.events) / span, options.min_expected,
                                [&](int64_t h) { return count_of(h).events == 0; });
  c.without_issue_events =
      empty_runs(c.first_hour, c.last_hour, static_cast<double>(c.issue_events) / span, options.min_expected,
                 [&](int64_t h) {
                   HourCounts k = count_of(h);
                   return k.events > 0 && k.issue_events == 0;
                 });
  std::vector<std::string> wanted(options.repositories.begin(), options.repositories.end());
  std::sort(wanted.begin(), wanted.end());
  for (const std::string& key : wanted) {
    RepositoryCoverage r;
    auto it = tallies.find(key);
    if (it == tallies.end()) {
      r.repository = key;
      c.repositories.push_back(std::move(r));
      continue;
    }
    RepositoryTally& t = it->second;
    r.repository = t.spelling;
    r.events = t.events;
    r.issue_events = t.issue_events;
    r.events_per_hour = static_cast<double>(t.events) / span;
    r.silent = empty_runs(c.first_hour, c.last_hour, r.events_per_hour, options.min_expected,
                          [&](int64_t h) { return !t.by_hour.count(h); });
    std::sort(t.opened.begin(), t.opened.end());
    t.opened.erase(std::unique(t.opened.begin(), t.opened.end()), t.opened.end());
    if (!t.opened.empty()) {
      r.first_opened = t.opened.front();
      r.last_opened = t.opened.back();
      r.opened = static_cast<int64_t>(t.opened.size());
      for (size_t i = 1; i < t.opened.size(); ++i) {
        for (int64_t n = t.opened[i - 1] + 1; n < t.opened[i]; ++n) r.numbers_never_opened.push_back(n);
      }
    }
    c.repositories.push_back(std::move(r));
  }
  return c;
}

void print_archive_coverage(const ArchiveCoverage& c, std::ostream& out) {
  if (c.events == 0) {
    out << "GH Archive coverage: " << c.files << " files, no event\n";
    return;
  }
  out << "GH Archive coverage: " << c.files << " files, " << c.events << " events (" << c.issue_events
      << " issue events), " << hour_text(c.first_hour) << " to " << hour_text(c.last_hour) << " UTC ("
      << (c.last_hour - c.first_hour + 1) << " hours)\n";
  out << "A run of hours is listed when its rate expects at least " << c.min_expected << " events in it.\n";
  auto list = [&out](const std::string& heading, const std::vector<HourRun>& runs) {
    out << heading << ": " << (runs.empty() ? "none" : std::to_string(runs.size()) + (runs.size() == 1 ? " run" : " runs"))
        << "\n";
    for (const HourRun& r : runs) out << "  " << run_text(r) << "\n";
  };
  list("Hours without any event", c.without_events);
  list("Hours with events but no issue event", c.without_issue_events);
  for (const RepositoryCoverage& r : c.repositories) {
    out << r.repository << ": " << r.events << " events (" << r.issue_events << " issue events), ";
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.2f", r.events_per_hour);
    out << rate << " an hour\n";
    if (r.events == 0) continue;
    list("  silent hours", r.silent);
    if (r.opened == 0) {
      out << "  numbers: none opened in these dumps\n";
      continue;
    }
    out << "  numbers opened: " << r.opened << " from #" << r.first_opened << " to #" << r.last_opened << "; "
        << r.numbers_never_opened.size() << " never opened";
    const size_t shown = std::min<size_t>(r.numbers_never_opened.size(), 20);
    for (size_t i = 0; i < shown; ++i) out << (i == 0 ? ": #" : ", #") << r.numbers_never_opened[i];
    if (shown < r.numbers_never_opened.size()) out << ", ... (--format json lists every one)";
    out << "\n";
  }
}

json archive_coverage_json(const ArchiveCoverage& c) {
  json repos = json::array();
  for (const RepositoryCoverage& r : c.repositories) {
    repos.push_back({{"repository", r.repository},
                     {"events", r.events},
                     {"issue_events", r.issue_events},
                     {"events_per_hour", r.events_per_hour},
                     {"silent_hours", runs_json(r.silent)},
                     {"numbers_opened", r.opened},
                     {"first_opened", r.first_opened},
                     {"last_opened", r.last_opened},
                     {"numbers_never_opened", r.numbers_never_opened}});
  }
  return {{"files", c.files},
          {"lines", c.lines},
          {"events", c.events},
          {"issue_events", c.issue_events},
          {"first_hour", c.events ? json(hour_text(c.first_hour)) : json()},
          {"last_hour", c.events ? json(hour_text(c.last_hour)) : json()},
          {"min_expected", c.min_expected},
          {"hours_without_events", runs_json(c.without_events)},
          {"hours_without_issue_events", runs_json(c.without_issue_events)},
          {"repositories", repos}};
}

}  // namespace firstmile
