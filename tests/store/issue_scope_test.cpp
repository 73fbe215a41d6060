// issue_scope: which issues a command works on, on a few issues of two repositories.
#include <doctest/doctest.h>

#include "store/issue_scope.h"
#include "store/store.h"

using namespace firstmile;

namespace {

// b/two #2 and #1, A/one #1 (created in that order, so ids run against repository order), a
// pull request A/one #2, and a placeholder A/one #3 without text.
struct Issues {
  Store store = Store::open_memory();
  int64_t two_2 = 0, two_1 = 0, one_1 = 0, one_pr = 0;

  Issues() {
    int64_t one = store.upsert_repository({"A", "one", "", "", ""});
    int64_t two = store.upsert_repository({"b", "two", "", "", ""});
    two_2 = add(two, 2, "2024-05-31T23:00:00Z");
    two_1 = add(two, 1, "2024-05-01T00:00:00Z");
    one_1 = add(one, 1, "2024-04-30T12:00:00Z", R"(["bug"])");
    one_pr = add(one, 2, "2024-05-15T00:00:00Z", "[]", true);
    store.ensure_issue(one, 3, "https://github.com/A/one/issues/3");
  }
  int64_t add(int64_t repository, int64_t number, const std::string& created_at, const std::string& labels = "[]",
              bool pull_request = false) {
    IssueData d;
    d.repository_id = repository;
    d.number = number;
    d.title = "t" + std::to_string(number);
    d.created_at = created_at;
    d.labels = labels == "[]" ? std::vector<std::string>{} : std::vector<std::string>{"bug"};
    d.is_pull_request = pull_request;
    d.url = "u" + std::to_string(number);
    return store.upsert_issue(d).first;
  }
};

}  // namespace

TEST_CASE("issues with text are in scope in id order, pull requests too unless left out") {
  Issues i;
  CHECK(issue_ids_in_scope(i.store, {}) == std::vector<int64_t>{i.two_2, i.two_1, i.one_1, i.one_pr});
  CHECK(issue_ids_in_scope(i.store, {.pull_requests = false}) == std::vector<int64_t>{i.two_2, i.two_1, i.one_1});
  CHECK(issue_ids_in_scope(i.store, {.pull_requests = false, .limit = 2}) == std::vector<int64_t>{i.two_2, i.two_1});
}

TEST_CASE("repositories are named without case, and dates bound the creation time, a date the whole day") {
  Issues i;
  CHECK(issue_ids_in_scope(i.store, {.repositories = {{"a", "ONE"}}}) == std::vector<int64_t>{i.one_1, i.one_pr});
  CHECK(issue_ids_in_scope(i.store, {.since = "2024-05-01", .until = "2024-05-31"}) ==
        std::vector<int64_t>{i.two_2, i.two_1, i.one_pr});
  CHECK(issue_ids_in_scope(i.store, {.until = "2024-04-30T12:00:00Z"}) == std::vector<int64_t>{i.one_1});
}

TEST_CASE("issues in scope carry what the funnel and the label sheets read, in either order") {
  Issues i;
  std::vector<ScopedIssue> by_number =
      issues_in_scope(i.store, {.pull_requests = false, .order = IssueScope::Order::kByRepositoryAndNumber});
  REQUIRE(by_number.size() == 3);
  CHECK(by_number[0].id == i.one_1);
  CHECK(by_number[1].id == i.two_1);
  CHECK(by_number[2].id == i.two_2);
  CHECK(by_number[0].owner == "A");
  CHECK(by_number[0].name == "one");
  CHECK(by_number[0].number == 1);
  CHECK(by_number[0].url == "u1");
  CHECK(by_number[0].title == "t1");
  CHECK(by_number[0].body == "");
  CHECK(by_number[0].labels == R"(["bug"])");
  std::vector<ScopedIssue> all = issues_in_scope(i.store, {});
  REQUIRE(all.size() == 4);
  CHECK(all[3].is_pull_request);
}
