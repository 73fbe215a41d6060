// store/mining_state.cpp — small upserts on the mining tables.
#include "store/mining_state.h"

#include "base/clock.h"
#include "store/store.h"

namespace firstmile {

namespace {
std::optional<std::string> nullable(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}
}  // namespace

SyncState load_sync_state(Store& store, int64_t repository_id, const std::string& resource) {
  SyncState s;
  s.repository_id = repository_id;
  s.resource = resource;
  Query q = store.db().query(
      "SELECT since, pass_since, pass_started, next_url, pages FROM sync_state WHERE repository_id = ? AND resource = "
      "?");
  q.bind(1, repository_id).bind(2, resource);
  if (q.step()) {
    s.since = q.column_text(0);
    s.pass_since = q.column_text(1);
    s.pass_started = q.column_text(2);
    s.next_url = q.column_text(3);
    s.pages = q.column_int(4);
  }
  return s;
}

void save_sync_state(Store& store, const SyncState& s) {
  store.db()
      .query(
          "INSERT INTO sync_state (repository_id, resource, since, pass_since, pass_started, next_url, pages, "
          "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (repository_id, resource) DO UPDATE SET "
          "since = ?3, pass_since = ?4, pass_started = ?5, next_url = ?6, pages = ?7, updated_at = ?8")
      .bind_all(s.repository_id, s.resource, nullable(s.since), nullable(s.pass_since), nullable(s.pass_started),
                nullable(s.next_url), s.pages, utc_now_iso8601())
      .run();
}

std::string cached_etag(Store& store, const std::string& url) {
  Query q = store.db().query("SELECT etag FROM http_cache WHERE url = ?");
  q.bind(1, url);
  std::string etag = q.step() ? q.column_text(0) : "";
  return etag;
}

void forget_etag(Store& store, const std::string& url) {
  store.db().query("DELETE FROM http_cache WHERE url = ?").bind(1, url).run();
}

void save_etag(Store& store, const std::string& url, const std::string& etag) {
  if (etag.empty()) return;
  store.db()
      .query(
          "INSERT INTO http_cache (url, etag, fetched_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (url) DO UPDATE SET etag = ?2, fetched_at = ?3")
      .bind_all(url, etag, utc_now_iso8601())
      .run();
}

void replace_timeline(Store& store, int64_t issue_id, const std::optional<std::string>& for_updated_at,
                      const std::vector<TimelineEvent>& events) {
  store.db().query("DELETE FROM timeline_events WHERE issue_id = ?").bind(1, issue_id).run();
  Query insert = store.db().query(
      "INSERT INTO timeline_events (issue_id, position, event, github_id, actor, created_at, commit_id, source_url, "
      "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int64_t position = 0;
  for (const TimelineEvent& e : events) {
    insert.bind(1, issue_id).bind(2, ++position).bind(3, e.event).bind(4, e.github_id).bind(5, e.actor);
    insert.bind(6, e.created_at).bind(7, e.commit_id).bind(8, e.source_url).bind(9, e.detail);
    insert.run();
  }
  store.db()
      .query(
          "INSERT INTO issue_timelines (issue_id, for_updated_at, events, fetched_at) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (issue_id) DO UPDATE SET for_updated_at = ?2, events = ?3, fetched_at = ?4")
      .bind_all(issue_id, for_updated_at, static_cast<int64_t>(events.size()), utc_now_iso8601())
      .run();
}

void confirm_timeline(Store& store, int64_t issue_id, const std::optional<std::string>& for_updated_at) {
  store.db()
      .query("UPDATE issue_timelines SET for_updated_at = ?2, fetched_at = ?3 WHERE issue_id = ?1")
      .bind_all(issue_id, for_updated_at, utc_now_iso8601())
      .run();
}

bool upsert_issue_event(Store& store, int64_t issue_id, const TimelineEvent& e) {
  Query known = store.db().query("SELECT 1 FROM issue_events WHERE github_id = ?");
  known.bind(1, e.github_id);
  const bool added = !known.step();
  store.db()
      .query(
          "INSERT INTO issue_events (github_id, issue_id, event, actor, created_at, commit_id, detail) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (github_id) DO UPDATE SET issue_id = ?2, event = ?3, "
          "actor = ?4, created_at = ?5, commit_id = ?6, detail = ?7")
      .bind_all(e.github_id, issue_id, e.event, e.actor, e.created_at, e.commit_id, e.detail)
      .run();
  return added;
}

std::optional<int64_t> newest_issue_event(Store& store, int64_t repository_id) {
  Query q = store.db().query(
      "SELECT max(e.github_id) FROM issue_events e JOIN issues i ON i.id = e.issue_id WHERE i.repository_id = ?");
  q.bind(1, repository_id);
  if (!q.step() || q.column_is_null(0)) return std::nullopt;
  return q.column_int(0);
}

}  // namespace firstmile
