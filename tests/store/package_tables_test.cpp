// Tests of store/package_tables.h: the tidy views a replication package is written from.
#include <doctest/doctest.h>

#include "base/error.h"
#include "store/package_tables.h"
#include "store/store.h"

using namespace firstmile;

namespace {

// acme/model with issues #2 and #1 (inserted in that order), comments by two people.
Store people_store() {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"acme", "model", "Acme", "m1", "Dense"});
  for (int64_t number : {2, 1}) {
    IssueData issue;
    issue.repository_id = repo;
    issue.number = number;
    issue.title = "issue " + std::to_string(number);
    issue.author = number == 1 ? "Octocat" : "hubot";
    issue.url = "https://github.com/acme/model/issues/" + std::to_string(number);
    auto [id, _] = store.upsert_issue(issue);
    CommentData comment;
    comment.github_id = 100 + number;
    comment.author = "octocat";
    comment.body = "hi";
    store.upsert_comment(id, comment);
  }
  return store;
}

}  // namespace

TEST_CASE("a packaged table names issues by repository and number, in the order of its natural key") {
  Store store = people_store();
  std::vector<std::string> columns;
  std::vector<std::pair<std::string, int64_t>> rows;
  read_packaged_table(
      store, "issues", [&](const std::vector<std::string>& c) { columns = c; },
      [&](const std::vector<StoredValue>& row) { rows.emplace_back(row[0].text, row[1].integer); });
  REQUIRE(columns.size() > 5);
  CHECK(columns[0] == "repository");
  CHECK(columns[1] == "number");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::make_pair(std::string("acme/model"), int64_t{1}));
  CHECK(rows[1].second == 2);
}

TEST_CASE("values keep their SQLite type, NULL included") {
  Store store = people_store();
  std::vector<std::string> columns;
  std::vector<std::vector<StoredValue>> rows;
  read_packaged_table(
      store, "issues", [&](const std::vector<std::string>& c) { columns = c; },
      [&](const std::vector<StoredValue>& row) { rows.push_back(row); });
  auto at = [&](const std::string& name) {
    return static_cast<size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  CHECK(rows[0][at("number")].type == StoredValue::Type::kInteger);
  CHECK(rows[0][at("title")].type == StoredValue::Type::kText);
  CHECK(rows[0][at("closed_at")].type == StoredValue::Type::kNull);
}

TEST_CASE("every packaged table can be read, and an unknown one is refused") {
  Store store = people_store();
  for (const std::string& table : packaged_tables()) {
    CAPTURE(table);
    bool header = false;
    read_packaged_table(store, table, [&](const std::vector<std::string>& c) { header = !c.empty(); },
                        [](const std::vector<StoredValue>&) {});
    CHECK(header);
  }
  CHECK_THROWS_AS(read_packaged_table(
                      store, "sqlite_master", [](const std::vector<std::string>&) {},
                      [](const std::vector<StoredValue>&) {}),
                  Error);
}

TEST_CASE("people_in_store lists each login once, whatever table names it") {
  Store store = people_store();
  PeopleInStore people = people_in_store(store);
  CHECK(people.logins == std::vector<std::string>{"Octocat", "hubot", "octocat"});
  CHECK(people.names.empty());
  CHECK(people.emails.empty());
}
