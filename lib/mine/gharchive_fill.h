// mine/gharchive_fill.h — the issues GH Archive lost, fetched one by one from the REST API.
//
//   ArchiveCoverage c = gharchive_coverage(files, {.repositories = {...}});
//   FillSummary s = fill_missing_issues(store, preset, github, c, argv);   // one GET per number
//
// Each number a wanted repository never opened in the dumps (gharchive_coverage.h) is asked
// for at /repos/OWNER/NAME/issues/N: an issue or pull request found is stored as `mine`
// stores it; a 404 or 410 (a discussion, or an issue deleted) and an issue that now lives in
// another repository (transferred) are counted, not stored. Everything is fetched first and
// written in one transaction, recorded as a run: a failure leaves the database as it was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dataset/preset.h"
#include "mine/gharchive_coverage.h"
#include "mine/github_client.h"
#include "store/store.h"

namespace firstmile {

struct FillSummary {
  int64_t run_id = 0;
  int64_t asked = 0;          // numbers asked for
  int64_t issues = 0;         // stored (issues and pull requests)
  int64_t pull_requests = 0;  // of them
  int64_t gone = 0;           // 404 or 410
  int64_t elsewhere = 0;      // transferred to another repository
  GithubCounters counters{};
};

FillSummary fill_missing_issues(Store& store, const Preset& preset, GithubClient& github, const ArchiveCoverage& coverage,
                                const std::vector<std::string>& argv);

std::string fill_summary_text(const FillSummary& s);

}  // namespace firstmile
