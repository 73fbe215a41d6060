// aggregate/incidents.h — the incidents `firstmile aggregate` stored, rendered for people.
//
//   AggregationInfo a = load_aggregation(store, "default");   // store/incident_tables.h
//   IncidentQuery q;  q.min_size = 3;  q.limit = 20;  q.members = true;
//   std::vector<IncidentRow> rows = load_incidents(store, "default", q);
//   print_incidents_table(a, rows, true, std::cout);   // or print_incidents_csv, incidents_to_json
//
// Only incidents of two or more reports are stored; a report in none is an incident of its
// own and is not listed here.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/incident_tables.h"

namespace firstmile {

// Renderings. The table shortens long cells so a row fits a terminal; CSV and JSON keep them
// whole. With members, each incident's reports follow it (table, JSON) or get one row each
// (CSV, with the incident's columns repeated).
void print_incidents_table(const AggregationInfo& aggregation, const std::vector<IncidentRow>& rows, bool members,
                           std::ostream& out);
void print_incidents_csv(const std::vector<IncidentRow>& rows, bool members, std::ostream& out);
nlohmann::ordered_json incidents_to_json(const AggregationInfo& aggregation, const std::vector<IncidentRow>& rows,
                                         bool members);

}  // namespace firstmile
