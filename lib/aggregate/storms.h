// aggregate/storms.h — synthetic issue storms with known ground truth, for tests and benchmarks.
//
//   StormCorpus c = generate_storms({.seed = 7, .reports = 2000});
//   write_storm_files(c, "storms/");   // issues.jsonl (GitHub REST shape) + incidents.csv (truth)
//   firstmile import issues storms/issues.jsonl
//   firstmile aggregate
//   firstmile aggregate eval --gold storms/incidents.csv
//
// Two profiles (StormOptions::profile): "burst", the first generator, and "real", whose
// statistics follow the real storms of ../shared/storms. In the burst profile, an incident is a breaking change or a misconfiguration
// that many users hit over days, across repositories and model series; its reports paraphrase
// the title (English and Chinese), paste the same error with their own paths, numbers and
// addresses, or no error at all (only the symptom and the library version); several incidents
// share a library version with different errors; noise reports mention the same libraries
// and models with unrelated errors. Everything is drawn from a seeded generator: one seed,
// one corpus, on every platform.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace firstmile {

struct StormOptions {
  uint64_t seed = 1;
  int reports = 1000;
  double noise_share = 0.3;  // reports that belong to no incident
  int days = 365;            // the span the reports are spread over
  int first_number = 1;      // issue numbers start here (per repository)
  // "burst": incidents of a week, 2 to 37 reports, across repositories and owners, most with an
  // error line. "real": as measured on real storms (bench/storm_stats.py on ../shared/storms):
  // 2 to 5 reports, half of them chronic (spread over one to eighteen months), half of the
  // reports without an error line, inside one owner's repositories (two of them in about two
  // incidents of five), one incident per owner for a cause and variant (the study's definition:
  // one root cause, however long it lasts; so at most about a hundred incidents, the rest
  // noise), and the noise in the same owners' repositories.
  std::string profile = "burst";
};

struct StormReport {
  std::string owner, name;
  int64_t number = 0;
  std::string title, body;
  std::string created_at;  // ISO 8601
  int64_t incident = 0;    // 0: noise
  std::string language;    // "en" or "zh"
  std::string url() const;
};

struct StormCorpus {
  std::vector<StormReport> reports;  // in creation order
  int64_t incidents = 0;
  int64_t noise_reports = 0;
  // No room was left for another incident (each profile limits how often one cause and variant
  // recurs), so more of the reports are noise than noise_share asks.
  bool ran_out_of_causes = false;
};

StormCorpus generate_storms(const StormOptions& options);

// DIR/issues.jsonl: one GitHub REST issue object per line; DIR/incidents.csv: url,incident
// for every report (incident 0 = noise).
void write_storm_files(const StormCorpus& corpus, const std::filesystem::path& directory);

}  // namespace firstmile
