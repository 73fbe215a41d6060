// mine/miner.h — `firstmile mine`: a repository's issues, comments and events into the store.
//
//   GithubClient gh({.api_url = "https://api.github.com", .token = github_token_from_env()});
//   FailureFilter keywords = FailureFilter::load();      // select/failure_filter.h
//   MineOptions o{.repositories = {"QwenLM/Qwen"}};
//   o.failure_like = [&](const auto& title, const auto& body, const auto& labels) {
//     return keywords.matches(title, body, labels);
//   };
//   MineSummary s = mine_repositories(store, preset, gh, o);
//   print_mine_summary(s, "firstmile.db", std::cout);
//
// Few requests: issues and pull requests come 100 a page from the issues listing, all comments
// from the repository-wide comments listing, and all issue events (closings with their commit,
// labels, renames, 'marked as duplicate', references from commits) from the repository-wide
// issue events listing — never one request per issue. Only cross-references from other issues
// need timelines: fetched when asked for (TimelineMode), for issues that look like failure
// reports (or all, with kAll), and only when the issue changed since its timeline was fetched;
// with a token through GraphQL, 100 issues a query (mine/graphql_cross_references.h, which also
// gives the original a duplicate was marked as), else one REST timeline request per issue. Their
// cost is announced through MineOptions::notice first.
//
// The events listing has no `since`: it is walked newest first and a walk stops at the first
// page reaching the newest event an earlier walk stored (GitHub's event ids grow with time).
//
// Incremental: listings are walked newest-updated first and a finished walk remembers the
// server time it started at; the next run asks only for what changed since then, with the
// last response's ETag, so an unchanged repository answers 304 and costs no quota. Walking
// newest first means an issue updated during the walk moves to pages already read, so no
// issue is skipped; it is caught by the next walk, which the miner starts at once.
//
// Crash-safe: every page is written in one transaction together with the cursor to the next
// page (sync_state), so a run killed at any point resumes where it stopped and ends with the
// same rows an uninterrupted run gives. One miner per database at a time (RunLock).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "mine/github_client.h"

namespace firstmile {

class Store;
struct Preset;

// Per-issue timelines, for cross-references: none (the default), failure-like issues, or all.
enum class TimelineMode { kNone, kFailureLike, kAll };

// Where cross-references come from: GitHub's GraphQL API (one query per 100 issues, needs a
// token), the REST timeline (one request per issue), or GraphQL when a token is there (kAuto).
enum class CrossReferenceApi { kAuto, kGraphql, kRest };

// Whether an issue (title, body, labels) looks like a failure report, for TimelineMode::kFailureLike.
// The CLI passes the selection's keyword filter (select/failure_filter.h); mining itself does not
// decide what a failure is.
using FailureLike =
    std::function<bool(const std::string& title, const std::string& body, const std::vector<std::string>& labels)>;

struct MineProgress {
  std::string repository;
  std::string phase;             // 'repository', 'issues', 'comments', 'events', 'timelines'
  int64_t done = 0;              // pages (listings) or issues (timelines) done in this phase
  std::optional<int64_t> total;  // known total, when the server says (Link rel="last")
  int64_t items = 0;             // issues, comments or events written in this phase
  double eta_seconds = -1;       // -1: unknown
  const GithubCounters* counters = nullptr;
};

struct MineOptions {
  std::vector<std::string> repositories;  // OWNER/NAME
  std::string since;                      // first mine of a repository: only what changed since (ISO 8601)
  // The study's data "as of" this date or UTC time: issues and comments created after it are
  // not stored (a date means through its last second). Empty: no bound.
  std::string until;
  bool events = true;  // the repository-wide issue events listing
  TimelineMode timelines = TimelineMode::kNone;
  CrossReferenceApi cross_reference_api = CrossReferenceApi::kAuto;
  FailureLike failure_like;       // required with kFailureLike
  std::vector<std::string> argv;  // recorded in the run
  std::function<void(const MineProgress&)> progress;
  // Lines worth saying before work starts, e.g. "acme/model  cross-references: 8,182 requests
  // (one per failure-like issue)".
  std::function<void(const std::string&)> notice;
};

struct RepositoryMineSummary {
  std::string repository;  // as asked for
  std::string renamed_to;  // the name GitHub redirected to, if it did
  int64_t issues = 0, pull_requests = 0, new_issues = 0, updated_issues = 0;
  int64_t comments = 0, new_comments = 0;
  int64_t events = 0, new_events = 0;  // issue events listed, and those not stored before
  int64_t timelines = 0, timelines_unchanged = 0;
  int64_t timelines_missing = 0;     // GraphQL: issues GitHub no longer has (deleted, transferred)
  std::string cross_references_via;  // 'graphql' or 'rest' when timelines were asked for
  int64_t requests = 0, not_modified = 0, event_requests = 0, timeline_requests = 0;
  int64_t issues_after_until = 0, comments_after_until = 0, events_after_until = 0;  // left out by until
  int64_t timeline_events_after_until = 0;
};

struct MineSummary {
  int64_t run_id = 0;
  std::string since, until;  // the window asked for, as UTC times (recorded in the run); empty: none
  std::vector<RepositoryMineSummary> repositories;
  GithubCounters counters;
};

// Mines each repository in turn. Throws Error (naming the URL) on what it cannot get past;
// every page written before stays, and the next run resumes from there. A bad --since or
// --until is refused before any request.
MineSummary mine_repositories(Store& store, const Preset& preset, GithubClient& github, const MineOptions& options);

// "QwenLM/Qwen  issues page 3/12, 300 issues, 17 requests, 4983 left ETA 0:09": the progress
// line of `firstmile mine`.
std::string mine_progress_text(const MineProgress& progress);
// What `firstmile mine` prints when done: requests spent, and a table of what each repository gave.
void print_mine_summary(const MineSummary& summary, const std::string& db, std::ostream& out);

}  // namespace firstmile
