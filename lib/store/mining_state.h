// store/mining_state.h — what the miner keeps between runs: listing cursors, ETags, timelines.
//
//   SyncState s = load_sync_state(store, repo_id, "issues");
//   if (!s.next_url.empty()) ...resume the pass at s.next_url...; else ...start at s.since...
//   save_sync_state(store, s);                  // in the same transaction as the page's rows
//   std::string etag = cached_etag(store, url); save_etag(store, url, page.etag);
//
//   bool added = upsert_issue_event(store, issue_id, event);   // the repository-wide events listing
//
// The tables (sync_state, http_cache, issue_events, timeline_events, issue_timelines) are in
// docs/schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

struct SyncState {
  int64_t repository_id = 0;
  std::string resource;      // 'issues', 'comments'
  std::string since;         // the next pass asks for what changed since this ("" = everything)
  std::string pass_since;    // pass in progress: the since it started with
  std::string pass_started;  // pass in progress: server time of its first page
  std::string next_url;      // pass in progress: next page; "" when no pass is open
  int64_t pages = 0;         // pass in progress: pages written
};

SyncState load_sync_state(Store& store, int64_t repository_id, const std::string& resource);
void save_sync_state(Store& store, const SyncState& state);

std::string cached_etag(Store& store, const std::string& url);
void save_etag(Store& store, const std::string& url, const std::string& etag);
// Drops the validator of `url`, so its next request is answered in full, never 304.
void forget_etag(Store& store, const std::string& url);

struct TimelineEvent {
  std::string event;  // 'closed', 'cross-referenced', 'marked_as_duplicate', 'committed', ...
  std::optional<int64_t> github_id;
  std::optional<std::string> actor, created_at, commit_id, source_url;
  std::string detail = "{}";  // JSON
};

// Replaces the issue's timeline with `events` and notes the issue's updated_at it belongs to.
void replace_timeline(Store& store, int64_t issue_id, const std::optional<std::string>& for_updated_at,
                      const std::vector<TimelineEvent>& events);
// Notes that the stored timeline is still current for the issue's `for_updated_at` (a 304).
void confirm_timeline(Store& store, int64_t issue_id, const std::optional<std::string>& for_updated_at);

// Writes one event of the repository-wide issue events listing (github_id required), replacing
// the row of the same id. True when the event was not stored before.
bool upsert_issue_event(Store& store, int64_t issue_id, const TimelineEvent& event);
// The largest GitHub id among the repository's stored issue events, if any. GitHub numbers
// events in the order they happen, and lists them newest first, so a later walk can stop there.
std::optional<int64_t> newest_issue_event(Store& store, int64_t repository_id);

}  // namespace firstmile
