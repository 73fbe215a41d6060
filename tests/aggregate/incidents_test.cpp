// Tests of aggregate/incidents.h: stored incidents as a table, CSV and JSON (reading them is
// store/incident_tables.h's, tested in tests/store/incident_tables_test.cpp).
#include <doctest/doctest.h>

#include <sstream>

#include "aggregate/incidents.h"

using namespace firstmile;

namespace {

AggregationInfo aggregation() {
  AggregationInfo a;
  a.name = "default";
  a.source = "gold:small";
  a.window_days = 14;
  a.route = "rules";
  a.threshold = 0.3;
  a.run_id = 5;
  a.created_at = "2024-06-01T00:00:00Z";
  a.summary = R"({"reports":6})";
  a.incidents = 2;
  a.reports = 4;
  return a;
}

IncidentRow incident() {
  IncidentRow r;
  r.number = 1;
  r.title = "Qwen2.5 repeats itself";
  r.size = 2;
  r.first_at = "2024-05-07T10:00:00Z";
  r.last_at = "2024-05-08T10:00:00Z";
  r.span_days = 1;
  r.repositories = {"QwenLM/Qwen2.5"};
  r.signature = "RuntimeError: x";
  r.root_cause = "rc.env.dependency";
  r.root_cause_path = "Env / Dep";
  r.members = {{7, "QwenLM/Qwen2.5", 7, "2024-05-07T10:00:00Z", "repetition after 7",
                "https://github.com/QwenLM/Qwen2.5/issues/7"},
               {8, "QwenLM/Qwen2.5", 8, "2024-05-08T10:00:00Z", "repetition after 8",
                "https://github.com/QwenLM/Qwen2.5/issues/8"}};
  return r;
}

}  // namespace

TEST_CASE("the table heads with the aggregation and gives each incident its root cause and signature lines") {
  std::ostringstream out;
  print_incidents_table(aggregation(), {incident()}, false, out);
  const std::string under(55, ' ');  // the six columns before the last, and their gaps
  CHECK(out.str() ==
        "Aggregation 'default' (2024-06-01T00:00:00Z; route rules, window 14 days, labels gold:small): "
        "2 incidents of 4 reports, 1 shown\n"
        "#  Size  First       Last        Days  Repositories    Incident\n"
        "-  ----  ----------  ----------  ----  --------------  --------------------------\n"
        "1     2  2024-05-07  2024-05-08   1.0  QwenLM/Qwen2.5  Qwen2.5 repeats itself\n" +
            under + "root cause: Env / Dep\n" + under + "signature: RuntimeError: x\n");
}

TEST_CASE("with members the table lists each incident's reports after it") {
  std::ostringstream out;
  print_incidents_table(aggregation(), {incident()}, true, out);
  CHECK(out.str().find(
            "\nIncident 1: Qwen2.5 repeats itself\n"
            "  Report            Created     Title               URL\n"
            "  ----------------  ----------  ------------------  ------------------------------------------\n"
            "  QwenLM/Qwen2.5#7  2024-05-07  repetition after 7  https://github.com/QwenLM/Qwen2.5/issues/7\n") !=
        std::string::npos);
}

TEST_CASE("CSV gives one row per incident, or per member with the incident's columns repeated") {
  std::ostringstream plain;
  print_incidents_csv({incident()}, false, plain);
  CHECK(plain.str() ==
        "number,size,first_at,last_at,span_days,repositories,signature,root_cause,root_cause_path,title,reactions\r\n"
        "1,2,2024-05-07T10:00:00Z,2024-05-08T10:00:00Z,1.00,QwenLM/Qwen2.5,RuntimeError: x,rc.env.dependency,Env / Dep,"
        "Qwen2.5 repeats itself,\r\n");
  std::ostringstream members;
  print_incidents_csv({incident()}, true, members);
  CHECK(members.str().find(",member,member_created_at,member_title,member_url,member_reactions\r\n") !=
        std::string::npos);
  CHECK(members.str().find("Qwen2.5 repeats itself,,QwenLM/Qwen2.5#8,2024-05-08T10:00:00Z,repetition after 8,"
                           "https://github.com/QwenLM/Qwen2.5/issues/8,\r\n") != std::string::npos);
}

TEST_CASE("an incident whose members' reactions are known shows their sum, the users it hit") {
  IncidentRow r = incident();
  r.members[0].reactions = 5;
  r.reactions = 5;
  r.reports_with_reactions = 1;
  std::ostringstream table;
  print_incidents_table(aggregation(), {r}, true, table);
  CHECK(table.str().find("reactions: 5 on 1 of 2 reports\n") != std::string::npos);
  CHECK(table.str().find("  Report            Created     Reactions  Title") != std::string::npos);
  CHECK(table.str().find("  QwenLM/Qwen2.5#7  2024-05-07          5  repetition after 7") != std::string::npos);
  std::ostringstream csv;
  print_incidents_csv({r}, true, csv);
  CHECK(csv.str().find("Qwen2.5 repeats itself,5,QwenLM/Qwen2.5#7,2024-05-07T10:00:00Z,repetition after 7,"
                       "https://github.com/QwenLM/Qwen2.5/issues/7,5\r\n") != std::string::npos);
  nlohmann::ordered_json j = incidents_to_json(aggregation(), {r}, true);
  CHECK(j["incidents"][0]["reactions"] == 5);
  CHECK(j["incidents"][0]["members"][0]["reactions"] == 5);
  CHECK(j["incidents"][0]["members"][1]["reactions"].is_null());
  // Unknown everywhere: no line, no column, an empty cell, null.
  std::ostringstream none;
  print_incidents_table(aggregation(), {incident()}, true, none);
  CHECK(none.str().find("reactions") == std::string::npos);
  CHECK(incidents_to_json(aggregation(), {incident()}, false)["incidents"][0]["reactions"].is_null());
}

TEST_CASE("JSON holds the aggregation with its summary parsed, and the incidents") {
  nlohmann::ordered_json j = incidents_to_json(aggregation(), {incident()}, true);
  CHECK(j["aggregation"]["name"] == "default");
  CHECK(j["aggregation"]["threshold"] == 0.3);
  CHECK(j["aggregation"]["run_id"] == 5);
  CHECK(j["aggregation"]["summary"]["reports"] == 6);
  REQUIRE(j["incidents"].size() == 1);
  CHECK(j["incidents"][0]["root_cause_path"] == "Env / Dep");
  CHECK(j["incidents"][0]["members"][1]["number"] == 8);
  CHECK_FALSE(incidents_to_json(aggregation(), {incident()}, false)["incidents"][0].contains("members"));
}
