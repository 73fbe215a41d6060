// aggregate/incidents.h — the incidents `firstmile aggregate` stored, read back for people.
//
//   AggregationInfo a = load_aggregation(store, "default");   // Error naming the known ones
//   IncidentQuery q;  q.min_size = 3;  q.limit = 20;  q.members = true;
//   std::vector<IncidentRow> rows = load_incidents(store, "default", q);
//   rows[0].number, rows[0].size, rows[0].root_cause_path, rows[0].members[0].url;
//   print_incidents_table(a, rows, true, std::cout);   // or print_incidents_csv, incidents_to_json
//
// Only incidents of two or more reports are stored; a report in none is an incident of its
// own and is not listed here.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;

// One aggregation run, as table aggregations holds it.
struct AggregationInfo {
  std::string name;
  std::string source;       // annotation source whose labels were used; empty: none
  double window_days = 0;
  std::string route;        // "rules", "hybrid", "llm"
  std::optional<double> threshold;
  std::optional<int64_t> run_id;
  std::string created_at;
  std::string summary = "{}";  // JSON
  int64_t incidents = 0;       // stored incidents
  int64_t reports = 0;         // reports in them
};

struct IncidentMember {
  int64_t issue_id = 0;
  std::string repository;  // OWNER/NAME
  int64_t number = 0;
  std::string created_at;  // empty when unknown
  std::string title;
  std::string url;
};

struct IncidentRow {
  int64_t id = 0;
  int64_t number = 0;              // 1, 2, ... by size, then first report
  std::string title;
  int64_t size = 0;
  std::string first_at, last_at;   // ISO 8601; empty when unknown
  double span_days = 0;            // last_at - first_at, in days (two decimals)
  std::vector<std::string> repositories;  // OWNER/NAME
  std::string signature;           // dominant normalised error signature
  std::string root_cause;          // node id; empty when the members carry none
  std::string root_cause_path;     // "Environment Compatibility Issues / ..."; the id when not in a stored taxonomy
  std::vector<IncidentMember> members;  // filled when IncidentQuery::members
};

struct IncidentQuery {
  int64_t min_size = 2;    // incidents of at least this many reports
  int64_t limit = 0;       // at most this many (the first by number); 0: all
  bool members = false;    // also read each incident's reports
};

// The aggregation stored under `name`. Throws Error naming the aggregations there, or saying
// to run `firstmile aggregate` when there is none.
AggregationInfo load_aggregation(Store& store, const std::string& name);

// The aggregation's incidents by number. Throws as load_aggregation for an unknown name.
std::vector<IncidentRow> load_incidents(Store& store, const std::string& name, const IncidentQuery& query = {});

// The reports of one incident, oldest first (then by repository and number).
std::vector<IncidentMember> load_incident_members(Store& store, int64_t incident_id);

// Renderings. The table shortens long cells so a row fits a terminal; CSV and JSON keep them
// whole. With members, each incident's reports follow it (table, JSON) or get one row each
// (CSV, with the incident's columns repeated).
void print_incidents_table(const AggregationInfo& aggregation, const std::vector<IncidentRow>& rows, bool members,
                           std::ostream& out);
void print_incidents_csv(const std::vector<IncidentRow>& rows, bool members, std::ostream& out);
nlohmann::ordered_json incidents_to_json(const AggregationInfo& aggregation, const std::vector<IncidentRow>& rows,
                                         bool members);

}  // namespace firstmile
