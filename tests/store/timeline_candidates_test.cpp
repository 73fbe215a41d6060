// Tests of store/timeline_candidates.h.
#include <doctest/doctest.h>

#include "store/mining_state.h"
#include "store/store.h"
#include "store/timeline_candidates.h"

using namespace firstmile;

namespace {

int64_t add_issue(Store& store, int64_t repo, int64_t number, const std::string& updated_at,
                  bool pull_request = false) {
  IssueData d;
  d.repository_id = repo;
  d.number = number;
  d.title = "title " + std::to_string(number);
  d.updated_at = updated_at;
  d.labels = {"bug"};
  d.is_pull_request = pull_request;
  d.url = "https://github.com/o/r/issues/" + std::to_string(number);
  return store.upsert_issue(d).first;
}

std::string candidates(Store& store, int64_t repo) {
  std::string out;
  for_each_issue_needing_timeline(store, repo, [&](const TimelineCandidateRow& c) {
    out += "#" + std::to_string(c.number) + " " + c.title + " " + c.labels_json + " " + c.updated_at.value_or("-") +
           (c.known ? " known" : "") + "; ";
  });
  return out;
}

}  // namespace

TEST_CASE("issues need a timeline when they have none, or one fetched for an older version, by number") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t other = store.upsert_repository({"o", "other", "", "", ""});
  int64_t current = add_issue(store, repo, 3, "2024-05-03T00:00:00Z");
  int64_t stale = add_issue(store, repo, 2, "2024-05-02T00:00:00Z");
  add_issue(store, repo, 1, "2024-05-01T00:00:00Z");
  add_issue(store, repo, 4, "2024-05-04T00:00:00Z", /*pull_request=*/true);
  store.ensure_issue(repo, 5, "https://github.com/o/r/issues/5");  // a placeholder: no text
  add_issue(store, other, 6, "2024-05-06T00:00:00Z");
  replace_timeline(store, current, "2024-05-03T00:00:00Z", {});
  replace_timeline(store, stale, "2024-04-30T00:00:00Z", {});
  CHECK(candidates(store, repo) ==
        "#1 title 1 [\"bug\"] 2024-05-01T00:00:00Z; #2 title 2 [\"bug\"] 2024-05-02T00:00:00Z known; ");
}
