// mine/gharchive_coverage.h — where a set of GH Archive dumps has holes: hours without any
// event, hours without issue events, a repository's silent hours, issue numbers never opened.
//
//   ArchiveCoverage c = gharchive_coverage({"2024-05-01-0.json.gz", ...}, {.repositories = {"qwenlm/qwen2.5"}});
//   print_archive_coverage(c, std::cout);   // or archive_coverage_json(c)
//
// GH Archive is not complete: whole hours are missing (2020), some hours carry every event
// but the issue events (2023), and the volume drops sharply after 2025-05-23. The dumps say
// so themselves: an hour with no event at all between the first and the last is a hole; an
// hour whose issue events stop while the archive's rate of them says dozens were due is one;
// so is a run of hours in which a repository, busy at its average rate, shows nothing. A run
// is reported when the events its rate expects in it reach `min_expected` (P(no event) =
// e^-expected: 10 gives 5e-5), so quiet repositories and night-time lulls are not flagged.
// For each wanted repository, the issue and pull-request numbers opened in the dumps should
// run without gaps (issues, pull requests and discussions share one sequence): a number
// missing between the first and the last opened is an event the dumps lack, or a discussion,
// or an issue deleted or transferred since; the list is where to look.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "mine/gharchive_event.h"

namespace firstmile {

struct CoverageOptions {
  WantedRepositories repositories{};  // lower-case OWNER/NAME: analysed one by one; empty: none
  double min_expected = 10;           // events a run's rate must expect before it is reported
  std::function<void(int64_t files_done, int64_t bytes)> progress{};
};

// A run of hours [from, from + hours), as hours since 1970-01-01 00:00 UTC.
struct HourRun {
  int64_t from = 0;
  int64_t hours = 0;
  double expected = 0;  // events the rate expects in the run
};

struct RepositoryCoverage {
  std::string repository;  // as the dumps spell it
  int64_t events = 0, issue_events = 0;
  double events_per_hour = 0;
  std::vector<HourRun> silent{};
  int64_t first_opened = 0, last_opened = 0, opened = 0;  // issue and pull-request numbers
  std::vector<int64_t> numbers_never_opened{};
};

struct ArchiveCoverage {
  int64_t files = 0, lines = 0, events = 0, issue_events = 0;
  int64_t first_hour = 0, last_hour = -1;  // of the events
  std::vector<HourRun> without_events{};        // no event of any kind
  std::vector<HourRun> without_issue_events{};  // other events, no issue event where some were due
  std::vector<RepositoryCoverage> repositories{};
  double min_expected = 0;
};

// Reads every line of `files` (gzip or plain, one event a line, as `import gharchive` takes
// them). Throws Error("PATH: line N: ...") for a line that is not an event.
ArchiveCoverage gharchive_coverage(const std::vector<std::filesystem::path>& files, const CoverageOptions& options);

void print_archive_coverage(const ArchiveCoverage& c, std::ostream& out);
nlohmann::json archive_coverage_json(const ArchiveCoverage& c);

// "2024-05-01 05:00" for an hour since the epoch.
std::string hour_text(int64_t hour);

}  // namespace firstmile
