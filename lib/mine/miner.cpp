// mine/miner.cpp — walks of the issues, comments and issue events listings, then timelines, per repository.
#include "mine/miner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ostream>

#include "base/clock.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "base/text_table.h"
#include "dataset/preset.h"
#include "mine/github_json.h"
#include "mine/graphql_cross_references.h"
#include "store/mining_state.h"
#include "store/run_lock.h"
#include "store/store.h"
#include "store/timeline_candidates.h"

namespace firstmile {

namespace {

using nlohmann::json;
// Writes one listed item; false when it was left out (created after --until).
using ItemWriter = std::function<bool(const json& item, const std::string& where)>;

// A bound of the window as a UTC timestamp GitHub and the stored times compare with: a date
// means the start of that day for --since, its last second for --until. Offsets are refused
// (stored times are UTC text, compared as text).
std::string window_bound(const char* option, const std::string& value, bool end_of_day) {
  if (value.empty()) return value;
  bool date_only = value.size() == 10;
  if (!valid_iso8601(value) || (!date_only && value.back() != 'Z')) {
    throw Error(std::string(option) + " '" + value +
                "': expected a date (2024-05-01) or a UTC timestamp (2024-05-01T12:00:00Z)");
  }
  if (date_only) return value + (end_of_day ? "T23:59:59Z" : "T00:00:00Z");
  return value.substr(0, 19) + "Z";  // fractions of a second dropped: GitHub's times have none
}

std::string since_parameter(const std::string& since) { return window_bound("--since", since, false); }

// 8182 -> "8,182", for costs a reader takes in at a glance.
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class RepositoryMiner {
 public:
  RepositoryMiner(Store& store, GithubClient& github, const MineOptions& options, const std::string& until,
                  int64_t repository_id, RepositoryMineSummary& summary)
      : until_(until),
        store_(store),
        github_(github),
        options_(options),
        repository_id_(repository_id),
        summary_(summary),
        canonical_(summary.repository) {}

  void run() {
    int64_t before = github_.counters().requests, before_304 = github_.counters().not_modified;
    resolve_name();
    const std::string repo = "/repos/" + canonical_;
    listing("issues", repo + "/issues?state=all&sort=updated&direction=desc&per_page=100",
            [this](const json& item, const std::string& where) { return write_issue(item, where); });
    listing("comments", repo + "/issues/comments?sort=updated&direction=desc&per_page=100",
            [this](const json& item, const std::string& where) { return write_comment(item, where); });
    int64_t before_events = github_.counters().requests;
    if (options_.events) {
      listing("events", repo + "/issues/events?per_page=100",
              [this](const json& item, const std::string& where) { return write_event(item, where); });
    }
    summary_.event_requests = github_.counters().requests - before_events;
    int64_t before_timelines = github_.counters().requests;
    if (options_.timelines != TimelineMode::kNone) timelines();
    summary_.timeline_requests = github_.counters().requests - before_timelines;
    summary_.requests = github_.counters().requests - before;
    summary_.not_modified = github_.counters().not_modified - before_304;
  }

 private:
  // GET /repos/OWNER/NAME: confirms the repository and follows a rename (301) to its new name,
  // which is recorded as an alias so issue links under either name resolve to it.
  void resolve_name() {
    const std::string path = "/repos/" + summary_.repository;
    const std::string url = github_.api_url() + path;
    GithubPage page = github_.get(path, cached_etag(store_, url));
    report("repository", 1, 1, 0, -1);
    if (page.not_modified) return;
    auto full_name = page.body.is_object() ? page.body.find("full_name") : page.body.end();
    if (!page.body.is_object() || full_name == page.body.end() || !full_name->is_string()) {
      throw Error(page.final_url + ": expected a repository object with 'full_name', got " + json_type_name(page.body));
    }
    canonical_ = full_name->get<std::string>();
    Transaction tx(store_.db());
    if (to_lower_ascii(canonical_) != to_lower_ascii(summary_.repository)) {
      auto [owner, name] = split_repository(canonical_, page.final_url + ": full_name");
      store_.add_repository_alias(repository_id_, owner, name, page.redirected ? "renamed" : "canonical name");
      summary_.renamed_to = canonical_;
    }
    // A redirected answer is not cached: the next run asks again and sees whether the old
    // name still redirects.
    if (!page.redirected) save_etag(store_, url, page.etag);
    tx.commit();
  }

  // One or more walks over a listing, each page in one transaction with its cursor. A walk
  // that found changes is followed by another from the time it started, which catches what
  // changed meanwhile and leaves an ETag for the next run's identical first request.
  // The events listing takes no `since`: its pass keeps, in pass_since, the newest event id
  // stored before it began, and ends at the first page reaching it (write_event notes that).
  void listing(const std::string& resource, const std::string& path, const ItemWriter& write) {
    const bool by_event_id = resource == "events";
    for (int walk = 0; walk < 3; ++walk) {
      left_out_since_.clear();
      SyncState state = load_sync_state(store_, repository_id_, resource);
      const bool resumed = !state.next_url.empty();
      std::string url = state.next_url;
      if (!resumed && by_event_id) {
        std::optional<int64_t> newest = newest_issue_event(store_, repository_id_);
        state.pass_since = newest ? std::to_string(*newest) : "";
        state.pages = 0;
        url = github_.api_url() + path;
      } else if (!resumed) {
        state.pass_since = !state.since.empty() ? state.since : since_parameter(options_.since);
        state.pages = 0;
        url = github_.api_url() + path + (state.pass_since.empty() ? "" : "&since=" + state.pass_since);
      }
      known_events_below_.reset();
      if (by_event_id && !state.pass_since.empty()) known_events_below_ = std::stoll(state.pass_since);
      reached_known_events_ = false;
      previous_event_id_.reset();
      events_oldest_first_ = false;
      bool first = !resumed;
      const std::string first_url = url;
      int64_t items = 0, written = 0, pages_now = 0;
      auto started = std::chrono::steady_clock::now();
      for (;;) {
        GithubPage page = github_.get(url, first ? cached_etag(store_, url) : "");
        if (page.not_modified) return;  // nothing changed since the last walk
        if (!page.body.is_array()) {
          throw Error(url + ": expected a JSON array of " + resource + ", got " + json_type_name(page.body));
        }
        Transaction tx(store_.db());
        for (size_t i = 0; i < page.body.size(); ++i)
          written += write(page.body[i], url + ": element " + std::to_string(i + 1));
        items += static_cast<int64_t>(page.body.size());
        if (first) {
          state.pass_started = page.server_time.empty() ? utc_now_iso8601() : page.server_time;
          save_etag(store_, url, page.etag);
        }
        ++state.pages;
        ++pages_now;
        // The stop at known events assumes the listing newest first, as GitHub gives it; one
        // that comes oldest first is walked whole instead, every run (no 304 is trusted).
        const bool last = page.next_url.empty() || (reached_known_events_ && !events_oldest_first_);
        if (last) {
          // A walk that saw nothing leaves `since` as it was, so the next run repeats this
          // very request and gets a 304 for it.
          state.since = (written > 0 || resumed) ? state.pass_started : state.pass_since;
          // What --until left out is asked for again from the oldest change among it, so a
          // later run with a later bound (or none) still gets it. (Kept in memory only: a pass
          // killed and resumed forgets what its earlier pages left out.)
          if (!left_out_since_.empty() && (state.since.empty() || left_out_since_ < state.since))
            state.since = left_out_since_;
          // Nor may the next run take a 304 for "nothing new": what it would write depends on
          // its bound, not only on the answer.
          if (!left_out_since_.empty() || events_oldest_first_) forget_etag(store_, first_url);
          if (events_oldest_first_ && options_.notice && walk == 0)
            options_.notice(summary_.repository +
                            "  issue events: the listing came oldest first, not newest first as GitHub lists it: "
                            "walked whole, and will be on every run");
          state.pass_since.clear();
          state.pass_started.clear();
          state.pages = 0;
        }
        state.next_url = last ? "" : page.next_url;
        save_sync_state(store_, state);
        tx.commit();

        int64_t at = query_int(url, "page").value_or(1);
        double eta = -1;
        if (page.last_page && *page.last_page >= at) {
          eta = seconds_since(started) / static_cast<double>(pages_now) * static_cast<double>(*page.last_page - at);
        }
        report(resource, at, last ? std::optional<int64_t>(at) : page.last_page, items, eta);
        if (last) {
          if (written == 0 && !resumed) return;
          break;
        }
        url = page.next_url;
        first = false;
      }
    }
  }

  // Whether an item created at `created_at` falls after --until; if so, notes its updated_at.
  bool after_until(const std::optional<std::string>& created_at, const std::optional<std::string>& updated_at) {
    if (until_.empty() || !created_at || *created_at <= until_) return false;
    std::string since = updated_at.value_or(*created_at);
    if (left_out_since_.empty() || since < left_out_since_) left_out_since_ = since;
    return true;
  }

  bool write_issue(const json& item, const std::string& where) {
    GithubIssue issue = issue_from_json(item, where);
    if (after_until(issue.data.created_at, issue.data.updated_at)) {
      ++summary_.issues_after_until;
      return false;
    }
    issue.data.repository_id = repository_id_;
    ++summary_.issues;
    summary_.pull_requests += issue.data.is_pull_request;
    UpsertResult r = store_.upsert_issue(issue.data).second;
    summary_.new_issues += r == UpsertResult::kInserted;
    summary_.updated_issues += r == UpsertResult::kUpdated;
    // Only a change counts as written: an issue seen again at the same updated_at (a `since`
    // is inclusive, to the second) is no reason for another walk.
    return r == UpsertResult::kInserted || r == UpsertResult::kUpdated;
  }

  bool write_comment(const json& item, const std::string& where) {
    GithubComment c = comment_from_json(item, where);
    if (c.issue.number == 0) throw Error(where + ": cannot tell which issue the comment belongs to");
    // A comment made after --until is left out, like the issues created after it (whose
    // comments are all later still).
    if (after_until(c.data.created_at, c.data.updated_at)) {
      ++summary_.comments_after_until;
      return false;
    }
    int64_t issue_id = store_.ensure_issue(repository_id_, c.issue.number, c.issue.url());
    ++summary_.comments;
    const UpsertResult r = store_.upsert_comment(issue_id, c.data);
    summary_.new_comments += r == UpsertResult::kInserted;
    return r == UpsertResult::kInserted || r == UpsertResult::kUpdated;
  }

  // An event of the repository-wide listing; true when it was not stored before.
  bool write_event(const json& item, const std::string& where) {
    GithubIssueEvent e = issue_event_from_json(item, where);
    if (previous_event_id_ && *e.event.github_id > *previous_event_id_) events_oldest_first_ = true;
    previous_event_id_ = *e.event.github_id;
    if (known_events_below_) {
      reached_known_events_ = reached_known_events_ || *e.event.github_id <= *known_events_below_;
    } else if (e.event.created_at && *e.event.created_at < since_parameter(options_.since)) {
      reached_known_events_ = true;  // a first mine with --since: older events are not wanted
    }
    if (after_until(e.event.created_at, e.event.created_at)) {
      ++summary_.events_after_until;
      return false;
    }
    const std::string issue_url =
        !e.html_url.empty() ? e.html_url : "https://github.com/" + canonical_ + "/issues/" + std::to_string(e.number);
    int64_t issue_id = store_.ensure_issue(repository_id_, e.number, issue_url);
    ++summary_.events;
    const bool added = upsert_issue_event(store_, issue_id, e.event);
    summary_.new_events += added;
    return added;
  }

  struct TimelineCandidate {
    int64_t id = 0, number = 0;
    std::optional<std::string> updated_at;
    bool known = false;  // a timeline was fetched before
  };

  // Issues whose timeline is missing or older than the issue, and that qualify.
  std::vector<TimelineCandidate> timeline_candidates() {
    std::vector<TimelineCandidate> out;
    for_each_issue_needing_timeline(store_, repository_id_, [&](const TimelineCandidateRow& row) {
      if (options_.timelines == TimelineMode::kFailureLike &&
          !options_.failure_like(row.title, row.body, label_names(row.labels_json))) {
        return;
      }
      out.push_back({row.issue_id, row.number, row.updated_at, row.known});
    });
    return out;
  }

  // The names in a stored labels column (a JSON array of strings).
  static std::vector<std::string> label_names(const std::string& labels_json) {
    std::vector<std::string> labels;
    json parsed = json::parse(labels_json, nullptr, false);
    if (parsed.is_array()) {
      for (const json& l : parsed) {
        if (l.is_string()) labels.push_back(l.get<std::string>());
      }
    }
    return labels;
  }

  void timelines() {
    std::vector<TimelineCandidate> todo = timeline_candidates();
    const std::string kind = options_.timelines == TimelineMode::kAll ? "issue" : "failure-like issue";
    if (options_.cross_reference_api == CrossReferenceApi::kGraphql ||
        (options_.cross_reference_api == CrossReferenceApi::kAuto && github_.has_token())) {
      summary_.cross_references_via = "graphql";
      return graphql_timelines(todo, kind);
    }
    summary_.cross_references_via = "rest";
    if (!todo.empty() && options_.notice) {
      options_.notice(summary_.repository + "  cross-references: " + grouped(static_cast<int64_t>(todo.size())) +
                      " requests (one per " + kind + " whose timeline is missing or older than the issue)");
    }
    auto started = std::chrono::steady_clock::now();
    for (size_t i = 0; i < todo.size(); ++i) {
      const TimelineCandidate& c = todo[i];
      const std::string first_url =
          github_.api_url() + "/repos/" + canonical_ + "/issues/" + std::to_string(c.number) + "/timeline?per_page=100";
      GithubPage page = github_.get(first_url, c.known ? cached_etag(store_, first_url) : "");
      if (page.not_modified) {
        Transaction tx(store_.db());
        confirm_timeline(store_, c.id, c.updated_at);
        tx.commit();
        ++summary_.timelines_unchanged;
      } else {
        std::vector<TimelineEvent> events;
        const std::string etag = page.etag;
        for (std::string url = first_url;;) {
          if (!page.body.is_array()) {
            throw Error(url + ": expected a JSON array of timeline events, got " + json_type_name(page.body));
          }
          for (size_t k = 0; k < page.body.size(); ++k) {
            events.push_back(timeline_event_from_json(page.body[k], url + ": element " + std::to_string(k + 1)));
          }
          if (page.next_url.empty()) break;
          url = page.next_url;
          page = github_.get(url);
        }
        Transaction tx(store_.db());
        // What --until left out is asked for in full next time (no 304 for it).
        if (store_timeline(c, std::move(events)))
          save_etag(store_, first_url, etag);
        else
          forget_etag(store_, first_url);
        tx.commit();
        ++summary_.timelines;
      }
      double done = static_cast<double>(i + 1);
      report("timelines", static_cast<int64_t>(i + 1), static_cast<int64_t>(todo.size()), static_cast<int64_t>(i + 1),
             seconds_since(started) / done * (static_cast<double>(todo.size()) - done));
    }
  }

  // Cross-references through GraphQL, 100 issues a query; each batch written in one transaction,
  // so a run killed between batches asks again only for the issues not written.
  void graphql_timelines(const std::vector<TimelineCandidate>& todo, const std::string& kind) {
    if (todo.empty()) return;
    if (options_.notice) {
      const auto queries = static_cast<int64_t>((todo.size() + kIssuesPerQuery - 1) / kIssuesPerQuery);
      options_.notice(summary_.repository + "  cross-references: " + grouped(queries) + " GraphQL quer" +
                      (queries == 1 ? "y" : "ies") + " (100 issues a query, for " +
                      grouped(static_cast<int64_t>(todo.size())) + " " + kind +
                      "s whose cross-references are missing or older than the issue; more for an issue with "
                      "over 100 of them)");
    }
    const auto [owner, name] = split_repository(canonical_, "mine");
    auto started = std::chrono::steady_clock::now();
    for (size_t start = 0; start < todo.size(); start += kIssuesPerQuery) {
      const size_t end = std::min(todo.size(), start + kIssuesPerQuery);
      std::vector<int64_t> numbers;
      for (size_t i = start; i < end; ++i) numbers.push_back(todo[i].number);
      CrossReferenceBatch batch = fetch_cross_references(github_, owner, name, numbers);
      Transaction tx(store_.db());
      for (size_t i = start; i < end; ++i) {
        auto found = batch.events.find(todo[i].number);
        // An issue GitHub no longer has keeps no cross-references, and is not asked for again
        // until it changes.
        store_timeline(todo[i], found == batch.events.end() ? std::vector<TimelineEvent>{} : std::move(found->second));
        ++(found == batch.events.end() ? summary_.timelines_missing : summary_.timelines);
      }
      tx.commit();
      double done = static_cast<double>(end);
      report("timelines", static_cast<int64_t>(end), static_cast<int64_t>(todo.size()), static_cast<int64_t>(end),
             seconds_since(started) / done * (static_cast<double>(todo.size()) - done));
    }
  }

  // Replaces an issue's timeline rows, but those created after --until; an issue with some left
  // out is marked as not current (for_updated_at NULL), so a later run asks for it again. False
  // when something was left out.
  bool store_timeline(const TimelineCandidate& c, std::vector<TimelineEvent> events) {
    const size_t all = events.size();
    if (!until_.empty()) {
      std::erase_if(events, [this](const TimelineEvent& e) { return e.created_at && *e.created_at > until_; });
    }
    const bool complete = events.size() == all;
    summary_.timeline_events_after_until += static_cast<int64_t>(all - events.size());
    replace_timeline(store_, c.id, complete ? c.updated_at : std::nullopt, events);
    return complete;
  }

  void report(const std::string& phase, int64_t done, std::optional<int64_t> total, int64_t items, double eta) {
    if (!options_.progress) return;
    MineProgress p;
    p.repository = summary_.repository;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.items = items;
    p.eta_seconds = eta;
    p.counters = &github_.counters();
    options_.progress(p);
  }

  const std::string until_;                    // --until as a UTC timestamp; empty: none
  std::string left_out_since_;                 // this walk: the oldest updated_at of what --until left out
  std::optional<int64_t> known_events_below_;  // events pass: the newest event id stored before it
  bool reached_known_events_ = false;          // events pass: this page reached that event
  std::optional<int64_t> previous_event_id_;   // events pass: the id of the event read before
  bool events_oldest_first_ = false;           // events pass: an id grew from one event to the next
  Store& store_;
  GithubClient& github_;
  const MineOptions& options_;
  int64_t repository_id_;
  RepositoryMineSummary& summary_;
  std::string canonical_;  // the name GitHub knows the repository by now
};

json summary_json(const MineSummary& s) {
  json repos = json::array();
  for (const RepositoryMineSummary& r : s.repositories) {
    repos.push_back({{"repository", r.repository},
                     {"renamed_to", r.renamed_to},
                     {"issues", r.issues},
                     {"new_issues", r.new_issues},
                     {"updated_issues", r.updated_issues},
                     {"comments", r.comments},
                     {"new_comments", r.new_comments},
                     {"events", r.events},
                     {"new_events", r.new_events},
                     {"event_requests", r.event_requests},
                     {"timelines", r.timelines},
                     {"timelines_missing", r.timelines_missing},
                     {"cross_references_via", r.cross_references_via},
                     {"timeline_requests", r.timeline_requests},
                     {"requests", r.requests},
                     {"not_modified", r.not_modified},
                     {"issues_after_until", r.issues_after_until},
                     {"comments_after_until", r.comments_after_until},
                     {"events_after_until", r.events_after_until},
                     {"timeline_events_after_until", r.timeline_events_after_until}});
  }
  // The window the run mined ("as of" until), for the provenance of what it stored.
  return {{"repositories", repos},
          {"requests", s.counters.requests},
          {"not_modified", s.counters.not_modified},
          {"since", s.since.empty() ? json(nullptr) : json(s.since)},
          {"until", s.until.empty() ? json(nullptr) : json(s.until)}};
}

}  // namespace

MineSummary mine_repositories(Store& store, const Preset& preset, GithubClient& github, const MineOptions& options) {
  if (options.repositories.empty()) throw Error("mine: no repositories given (OWNER/NAME, or --preset)");
  std::vector<std::pair<std::string, std::string>> wanted;
  for (const std::string& r : options.repositories) wanted.push_back(split_repository(r, "mine"));
  // Bad bounds are refused before any request.
  const std::string since = since_parameter(options.since);
  const std::string until = window_bound("--until", options.until, true);
  if (!since.empty() && !until.empty() && until < since)
    throw Error("--until '" + options.until + "' is before --since '" + options.since + "'");
  if (options.timelines == TimelineMode::kFailureLike && !options.failure_like) {
    throw Error("mine: timelines of failure-like issues need a failure filter");
  }
  if (options.timelines != TimelineMode::kNone && options.cross_reference_api == CrossReferenceApi::kGraphql &&
      !github.has_token()) {
    throw Error(
        "mine: cross-references through GraphQL need a token (set GITHUB_TOKEN or GH_TOKEN, or use the REST "
        "timelines)");
  }

  std::optional<RunLock> lock;
  if (store.db().path() != ":memory:") lock.emplace(RunLock::acquire(store.db().path(), "mine"));
  MineSummary summary;
  summary.since = since;
  summary.until = until;
  {
    Transaction tx(store.db());
    summary.run_id = store.begin_run("mine", options.argv, nullptr);
    tx.commit();
  }
  try {
    for (const auto& [owner, name] : wanted) {
      RepositoryInfo info = repository_info(preset, owner, name);
      int64_t repository_id = 0;
      {
        Transaction tx(store.db());
        repository_id = store.upsert_repository(info);
        tx.commit();
      }
      summary.repositories.push_back({});
      summary.repositories.back().repository = owner + "/" + name;
      RepositoryMiner(store, github, options, summary.until, repository_id, summary.repositories.back()).run();
    }
  } catch (const std::exception& e) {
    summary.counters = github.counters();
    json failed = summary_json(summary);
    failed["error"] = e.what();
    Transaction tx(store.db());
    store.finish_run(summary.run_id, "failed", json_text(failed));
    tx.commit();
    throw;
  }
  summary.counters = github.counters();
  Transaction tx(store.db());
  store.finish_run(summary.run_id, "ok", json_text(summary_json(summary)));
  tx.commit();
  return summary;
}

namespace {

std::string eta_text(double seconds) {
  if (seconds < 0) return "";
  long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, " ETA %ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace

std::string mine_progress_text(const MineProgress& p) {
  std::string line = p.repository + "  " + p.phase;
  if (p.phase == "timelines") {
    line += " " + std::to_string(p.done) + "/" + std::to_string(p.total.value_or(0));
  } else if (p.phase != "repository") {
    line += " page " + std::to_string(p.done) + (p.total ? "/" + std::to_string(*p.total) : "") + ", " +
            std::to_string(p.items) + " " + p.phase;
  }
  if (p.counters) {
    line += ", " + std::to_string(p.counters->requests) + " requests";
    if (p.counters->remaining) line += ", " + std::to_string(*p.counters->remaining) + " left";
  }
  return line + eta_text(p.eta_seconds);
}

void print_mine_summary(const MineSummary& s, const std::string& db, std::ostream& out) {
  TextTable table(
      {"repository", "issues", "new", "updated", "PRs", "comments", "new", "events", "timelines", "requests", "304"});
  for (const RepositoryMineSummary& r : s.repositories) {
    std::string name = r.repository + (r.renamed_to.empty() ? "" : " -> " + r.renamed_to);
    table.add_row({name, std::to_string(r.issues), std::to_string(r.new_issues), std::to_string(r.updated_issues),
                   std::to_string(r.pull_requests), std::to_string(r.comments), std::to_string(r.new_comments),
                   std::to_string(r.events), std::to_string(r.timelines), std::to_string(r.requests),
                   std::to_string(r.not_modified)});
  }
  out << "Mined into " << db << " (run " << s.run_id << "): " << s.counters.requests << " requests, "
      << s.counters.not_modified << " answered 304 (no quota)";
  if (s.counters.remaining) out << ", " << *s.counters.remaining << " left this hour";
  out << "\n";
  if (!s.until.empty()) {
    int64_t issues = 0, comments = 0;
    for (const RepositoryMineSummary& r : s.repositories) {
      issues += r.issues_after_until;
      comments += r.comments_after_until;
    }
    out << "As of " << s.until << ": " << issues << " issues and " << comments
        << " comments created later left out\n";
  }
  for (size_t c = 1; c < 11; ++c) table.align_right(c);
  table.print(out);
}

}  // namespace firstmile
