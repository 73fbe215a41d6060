// `firstmile incidents` and `firstmile analyze --unit incident` end to end, on the small
// dataset fixture with one incident written into the database as `firstmile aggregate` would.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

// dataset-small: six failures on five issues. Incident 1 joins QwenLM/Qwen2.5#7 and #8 (one
// failure each, different labels); the three DeepSeek-V3 and llama3 failures stay alone.
class IncidentDatabase {
 public:
  IncidentDatabase() : db_((dir_ / "t.db").string()) {
    REQUIRE(run_firstmile({"import-dataset", test_data("dataset-small").string(), "--name", "small", "--db", db_})
                .exit_code == 0);
  }

  void aggregate() {
    Store store = Store::open(db_);
    Database& db = store.db();
    db.exec(
        "UPDATE issues SET title = 'repetition after ' || number, created_at = '2024-05-0' || number || 'T10:00:00Z' "
        "WHERE number IN (7, 8)");
    db.exec(
        "INSERT INTO aggregations (name, source, window_days, route, created_at) "
        "VALUES ('default', 'gold:small', 14, 'rules', '2024-06-01T00:00:00Z')");
    db.exec(
        "INSERT INTO incidents (aggregation, number, title, size, first_at, last_at, repositories, signature, "
        "root_cause) VALUES ('default', 1, 'Qwen2.5 repeats itself', 2, '2024-05-07T10:00:00Z', "
        "'2024-05-08T10:00:00Z', '[\"QwenLM/Qwen2.5\"]', 'RuntimeError: repetition', 'rc.env.dependency')");
    db.exec(
        "INSERT INTO incident_members (incident_id, issue_id) SELECT last_insert_rowid(), i.id FROM issues i "
        "JOIN repositories r ON r.id = i.repository_id WHERE r.name = 'Qwen2.5' AND i.number IN (7, 8)");
  }

  CommandResult run(std::vector<std::string> args) const {
    args.push_back("--db");
    args.push_back(db_);
    return run_firstmile(args);
  }

 private:
  TempDir dir_;
  std::string db_;
};

}  // namespace

TEST_CASE("incidents prints a table with the aggregation, each incident and, with --members, its reports") {
  IncidentDatabase d;
  d.aggregate();
  CommandResult r = d.run({"incidents", "--members"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Aggregation 'default'") != std::string::npos);
  CHECK(r.out.find("1 incident of 2 reports") != std::string::npos);
  CHECK(r.out.find("Qwen2.5 repeats itself") != std::string::npos);
  CHECK(r.out.find("root cause: Environment Compatibility Issues / Dependency Library Compatibility") !=
        std::string::npos);
  CHECK(r.out.find("QwenLM/Qwen2.5#7") != std::string::npos);
  CHECK(r.out.find("https://github.com/QwenLM/Qwen2.5/issues/8") != std::string::npos);
}

TEST_CASE("incidents --format csv writes one row per incident, or per member with --members") {
  IncidentDatabase d;
  d.aggregate();
  CommandResult plain = d.run({"incidents", "--format", "csv"});
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.out.rfind(
            "number,size,first_at,last_at,span_days,repositories,signature,root_cause,root_cause_path,title,"
            "reactions\r\n",
            0) ==
        0);
  CHECK(plain.out.find("1,2,2024-05-07T10:00:00Z,2024-05-08T10:00:00Z,1.00,QwenLM/Qwen2.5,") != std::string::npos);
  CommandResult members = d.run({"incidents", "--format", "csv", "--members"});
  REQUIRE(members.exit_code == 0);
  CHECK(std::count(members.out.begin(), members.out.end(), '\n') == 3);
  CHECK(members.out.find("QwenLM/Qwen2.5#8,2024-05-08T10:00:00Z,repetition after 8,") != std::string::npos);
}

TEST_CASE("incidents --format json holds the aggregation, the incidents and their members") {
  IncidentDatabase d;
  d.aggregate();
  CommandResult r = d.run({"incidents", "--format", "json", "--members"});
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["aggregation"]["name"] == "default");
  CHECK(j["aggregation"]["reports"] == 2);
  REQUIRE(j["incidents"].size() == 1);
  CHECK(j["incidents"][0]["size"] == 2);
  CHECK(j["incidents"][0]["span_days"] == 1.0);
  CHECK(j["incidents"][0]["root_cause"] == "rc.env.dependency");
  REQUIRE(j["incidents"][0]["members"].size() == 2);
  CHECK(j["incidents"][0]["members"][0]["number"] == 7);
}

TEST_CASE("incidents --min-size and --limit leave out incidents") {
  IncidentDatabase d;
  d.aggregate();
  CHECK(json::parse(d.run({"incidents", "--format", "json", "--min-size", "3"}).out)["incidents"].empty());
  CHECK(json::parse(d.run({"incidents", "--format", "json", "--limit", "1"}).out)["incidents"].size() == 1);
}

TEST_CASE("incidents with an unknown name exits 2 listing the aggregations") {
  IncidentDatabase d;
  d.aggregate();
  CommandResult r = d.run({"incidents", "--name", "other"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no aggregation named 'other' (aggregations: default)") != std::string::npos);
}

TEST_CASE("incidents before any aggregation exits 2 saying to run firstmile aggregate") {
  IncidentDatabase d;
  CommandResult r = d.run({"incidents"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("run `firstmile aggregate` first") != std::string::npos);
}

TEST_CASE("analyze --unit incident counts the two-report incident once") {
  IncidentDatabase d;
  d.aggregate();
  json by_report = json::parse(d.run({"analyze", "--format", "json"}).out);
  CHECK(by_report["unit"] == "report");
  CHECK(by_report["annotations"] == 6);
  CommandResult r = d.run({"analyze", "--unit", "incident", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["unit"] == "incident");
  CHECK(j["aggregation"] == "default");
  CHECK(j["annotations"] == 5);  // the incident's one vote and four lone failures
  CHECK(j["issues"] == 5);
  CHECK(j["incidents"] == 4);  // the incident and three lone reports
  CHECK(j["multi_report_incidents"] == 1);
  CHECK(j["filters"] == "counted by incident (4 incidents from 5 reports, aggregation 'default')");
  int64_t symptoms = 0;
  for (const json& c : j["rq1_symptom"]["categories"]) symptoms += c["count"].get<int64_t>();
  CHECK(symptoms == 5);
}

TEST_CASE("analyze --unit incident says in its report which unit it counted") {
  IncidentDatabase d;
  d.aggregate();
  CommandResult r = d.run({"analyze", "--unit", "incident"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("counted by incident (4 incidents from 5 reports") != std::string::npos);
}

TEST_CASE("analyze --unit incident with an unknown aggregation exits 2 naming it") {
  IncidentDatabase d;
  d.aggregate();
  CommandResult r = d.run({"analyze", "--unit", "incident", "--incidents", "storms"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no aggregation named 'storms'") != std::string::npos);
  CHECK(d.run({"analyze", "--incidents", "default"}).exit_code == 2);  // --incidents needs --unit incident
}
