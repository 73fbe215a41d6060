// selections: a named selection's rows replaced, its last run, names, counts, duplicates marked.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "store/mining_state.h"
#include "store/selections.h"
#include "store/store.h"

using namespace firstmile;

namespace {

int64_t select_run(Store& store, const std::string& name, const std::string& status = "ok") {
  int64_t run = store.begin_run("select", {}, nullptr);
  store.finish_run(run, status, nlohmann::json{{"name", name}, {"options", {{"keywords", name}}}}.dump());
  return run;
}

}  // namespace

TEST_CASE("writing a selection replaces its rows and leaves other selections alone") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t a = store.ensure_issue(repo, 1, "u1"), b = store.ensure_issue(repo, 2, "u2");
  int64_t first = select_run(store, "x");
  replace_selection(store, "x", {{a, 5, std::nullopt}, {b, 2, R"({"step": "keyword"})"}}, first);
  replace_selection(store, "y", {{a, 1, std::nullopt}}, first);
  int64_t second = select_run(store, "x");
  replace_selection(store, "x", {{b, 3, std::nullopt}}, second);
  CHECK(store.db().query_int("SELECT count(*) FROM selections WHERE name = 'x'") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM selections WHERE name = 'y'") == 1);
  std::vector<SelectionStepCount> counts = selection_step_counts(store, "x");
  REQUIRE(counts.size() == 1);
  CHECK(counts[0].repository == "o/r");
  CHECK(counts[0].step_reached == 3);
  CHECK(counts[0].issues == 1);
}

TEST_CASE("the last successful run of a selection is found by name, and the names are listed once each") {
  Store store = Store::open_memory();
  CHECK_FALSE(last_selection_run(store, "x"));
  select_run(store, "x");
  int64_t later = select_run(store, "x");
  select_run(store, "x", "failed");
  select_run(store, "a");
  std::optional<SelectionRun> run = last_selection_run(store, "x");
  REQUIRE(run);
  CHECK(run->run_id == later);
  CHECK(run->options == R"({"keywords":"x"})");
  CHECK(selection_names(store) == std::vector<std::string>{"a", "x"});
}

TEST_CASE("issues with a marked_as_duplicate event in their timeline are listed") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t a = store.ensure_issue(repo, 1, "u1"), b = store.ensure_issue(repo, 2, "u2");
  TimelineEvent marked, closed;
  marked.event = "marked_as_duplicate";
  closed.event = "closed";
  replace_timeline(store, a, std::nullopt, {marked, closed});
  replace_timeline(store, b, std::nullopt, {closed});
  CHECK(issues_marked_duplicate_in_timeline(store) == std::set<int64_t>{a});
}

TEST_CASE("issues marked as duplicate in the repository-wide issue events are listed too") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t a = store.ensure_issue(repo, 1, "u1"), b = store.ensure_issue(repo, 2, "u2");
  TimelineEvent marked, labeled;
  marked.event = "marked_as_duplicate";
  marked.github_id = 11;
  labeled.event = "labeled";
  labeled.github_id = 12;
  CHECK(upsert_issue_event(store, b, marked));
  CHECK(upsert_issue_event(store, a, labeled));
  CHECK_FALSE(upsert_issue_event(store, b, marked));  // listed again: the same row
  CHECK(store.db().query_int("SELECT count(*) FROM issue_events") == 2);
  CHECK(newest_issue_event(store, repo) == 12);
  CHECK(issues_marked_duplicate_in_timeline(store) == std::set<int64_t>{b});
}
