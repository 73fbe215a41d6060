// Tests of package/table_files.h: tidy CSV and JSON Lines of the tables, people pseudonymised.
#include <doctest/doctest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "package/pseudonyms.h"
#include "package/table_files.h"
#include "store/package_tables.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

// One issue by octocat whose body mentions @hubot, labelled by gold:a and by rules.
Store one_issue_store() {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"acme", "model", "Acme", "m1", "Dense"});
  IssueData issue;
  issue.repository_id = repo;
  issue.number = 7;
  issue.title = "crash, thanks octocat";
  issue.body = "see @hubot's patch";
  issue.author = "octocat";
  issue.labels = {"bug"};
  issue.url = "https://github.com/acme/model/issues/7";
  auto [id, _] = store.upsert_issue(issue);
  for (const char* source : {"gold:a", "rules"}) {
    Annotation a;
    a.issue_id = id;
    a.source = source;
    a.taxonomy = "t";
    a.evidence = R"({"text": "octocat"})";
    store.upsert_annotation(a);
  }
  return store;
}

std::vector<nlohmann::json> jsonl(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("tables are written as CSV and JSON Lines, people pseudonymised, bodies only when asked") {
  Store store = one_issue_store();
  Pseudonymizer p("0123456789abcdef-tables", people_in_store(store));
  TempDir dir;
  std::map<std::string, int64_t> rows = write_table_files(store, p, {}, dir.path());
  CHECK(rows["issues"] == 1);
  CHECK(rows["annotations"] == 2);
  CHECK(rows.size() == packaged_tables().size());
  std::string csv = file_bytes(dir / "issues.csv");
  CHECK(csv.rfind("repository,number,", 0) == 0);
  CHECK(csv.find(",body") == std::string::npos);
  CHECK(csv.find("crash, thanks " + p.person("octocat")) != std::string::npos);
  auto issues = jsonl(file_bytes(dir / "issues.jsonl"));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0]["author"] == p.person("octocat"));
  CHECK(issues[0]["labels"] == nlohmann::json::array({"bug"}));  // JSON column as a JSON value
  CHECK(issues[0]["closed_at"].is_null());
  CHECK_FALSE(issues[0].contains("body"));
  auto annotations = jsonl(file_bytes(dir / "annotations.jsonl"));
  CHECK(annotations[0]["evidence"]["text"] == p.person("octocat"));

  TempDir with_text;
  write_table_files(store, p, {.include_text = true}, with_text.path());
  auto full = jsonl(file_bytes(with_text / "issues.jsonl"));
  CHECK(full[0]["body"] == "see @" + p.person("hubot") + "'s patch");
}

TEST_CASE("annotations of sources not selected are left out") {
  Store store = one_issue_store();
  TempDir dir;
  std::map<std::string, int64_t> rows =
      write_table_files(store, Pseudonymizer::keeping(), {.sources = {"gold"}}, dir.path());
  CHECK(rows["annotations"] == 1);
  CHECK(file_bytes(dir / "annotations.csv").find(",rules,") == std::string::npos);
}

TEST_CASE("secrets in run command lines and summaries do not reach the package") {
  Store store = one_issue_store();
  const std::string token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  int64_t run = store.begin_run("mine", {"mine", "acme/model", "--token", token}, nullptr);
  store.finish_run(run, "ok", nlohmann::json{{"error", "401: Bearer " + token + " rejected"}}.dump());
  TempDir dir;
  write_table_files(store, Pseudonymizer::keeping(), {}, dir.path());
  for (const char* file : {"runs.csv", "runs.jsonl"}) {
    CAPTURE(file);
    std::string bytes = file_bytes(dir / file);
    CHECK(bytes.find(token) == std::string::npos);
    CHECK(bytes.find("<redacted>") != std::string::npos);
    CHECK(bytes.find("acme/model") != std::string::npos);
  }
}
