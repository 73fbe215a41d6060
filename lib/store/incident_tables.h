// store/incident_tables.h — the aggregation tables: aggregations, incidents, incident_members,
// incident_links (written by `firstmile aggregate`, read by `incidents` and `aggregate eval`).
//
//   Transaction tx(store.db());
//   replace_aggregation(store, {.name = "default", .route = "rules", ...});  // drops its old rows
//   int64_t id = insert_incident(store, "default", incident);                // with its members
//   insert_incident_link(store, "default", link);
//   tx.commit();
//
//   AggregationInfo a = load_aggregation(store, "default");   // Error naming the known ones
//   std::vector<IncidentRow> rows = load_incidents(store, "default", {.min_size = 3, .members = true});
//   std::map<int64_t, int64_t> numbers = incident_numbers(store, "default");  // issue id -> incident
//
// Only incidents of two or more reports are stored; a report in none is an incident of its own.
// The tables are documented in docs/schema.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

// One aggregation run, as table aggregations holds it.
struct AggregationInfo {
  std::string name;
  std::string source;  // annotation source whose labels were used; empty: none
  double window_days = 0;
  std::string route;  // "rules", "hybrid", "llm"
  std::optional<double> threshold;
  std::optional<int64_t> run_id;
  std::string created_at;
  std::string summary = "{}";  // JSON
  int64_t incidents = 0;       // stored incidents (read only)
  int64_t reports = 0;         // reports in them (read only)
};

struct IncidentMember {
  int64_t issue_id = 0;
  std::string repository;  // OWNER/NAME
  int64_t number = 0;
  std::string created_at;  // empty when unknown
  std::string title;
  std::string url;
  std::optional<int64_t> reactions{};  // the issue's reactions (total_count); unknown when not mined
};

struct IncidentRow {
  int64_t id = 0;
  int64_t number = 0;  // 1, 2, ... by size, then first report
  std::string title;
  int64_t size = 0;
  std::string first_at, last_at;          // ISO 8601; empty when unknown
  double span_days = 0;                   // last_at - first_at, in days (two decimals)
  std::vector<std::string> repositories;  // OWNER/NAME
  std::string signature;                  // dominant normalised error signature
  std::string root_cause;                 // node id; empty when the members carry none
  std::string root_cause_path;  // "Environment Compatibility Issues / ..."; the id when not in a stored taxonomy
  std::vector<IncidentMember> members;  // filled when IncidentQuery::members
  // Reactions on the member issues (their total_count summed): the users the failure hit
  // who did not write a report of their own. Unknown when no member's reactions are.
  std::optional<int64_t> reactions{};
  int64_t reports_with_reactions = 0;  // members whose reactions are known
};

struct IncidentQuery {
  int64_t min_size = 2;  // incidents of at least this many reports
  int64_t limit = 0;     // at most this many (the first by number); 0: all
  bool members = false;  // also read each incident's reports
};

// ---- writing (the caller holds the transaction)

// Deletes the aggregation of that name with its incidents, members and links, and inserts
// `aggregation` (its counts are not stored).
void replace_aggregation(Store& store, const AggregationInfo& aggregation);

struct NewIncident {
  int64_t number = 0;
  std::string title;
  std::string first_at, last_at;
  std::vector<std::string> repositories;  // OWNER/NAME, stored as a JSON array
  std::string signature, root_cause;      // "" is stored as NULL
  std::vector<int64_t> members;           // issue ids; their count is the size
};
// Returns the incident's id.
int64_t insert_incident(Store& store, const std::string& aggregation, const NewIncident& incident);

struct IncidentLink {
  int64_t issue_a = 0, issue_b = 0;
  double score = 0;
  std::string decided_by;  // "score", "llm" or "knowledge" (a known cause both show)
  bool linked = false;
  std::string evidence = "{}";  // JSON
};
void insert_incident_link(Store& store, const std::string& aggregation, const IncidentLink& link);

// ---- reading

// The aggregation stored under `name`. Throws Error naming the aggregations there, or saying
// to run `firstmile aggregate` when there is none.
AggregationInfo load_aggregation(Store& store, const std::string& name);

// The aggregation's incidents by number. Throws as load_aggregation for an unknown name.
std::vector<IncidentRow> load_incidents(Store& store, const std::string& name, const IncidentQuery& query = {});

// The reports of one incident, oldest first (then by repository and number).
std::vector<IncidentMember> load_incident_members(Store& store, int64_t incident_id);

// The incident number of every member of the aggregation `name` (issue id -> number); the
// name is not checked.
std::map<int64_t, int64_t> incident_numbers(Store& store, const std::string& name);

}  // namespace firstmile
