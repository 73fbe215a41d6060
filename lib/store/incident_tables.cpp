// store/incident_tables.cpp — the SQL of the aggregation tables.
#include "store/incident_tables.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "store/store.h"

namespace firstmile {

using nlohmann::json;

namespace {

std::optional<std::string> null_if_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::vector<std::string> repositories_of(const std::string& text, const std::string& where) {
  json parsed = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!parsed.is_array()) throw Error(where + ": repositories is not a JSON array: " + text);
  for (const json& r : parsed) {
    if (!r.is_string()) throw Error(where + ": repositories holds a non-string: " + text);
    out.push_back(r.get<std::string>());
  }
  return out;
}

}  // namespace

void replace_aggregation(Store& store, const AggregationInfo& a) {
  // Incidents, their members and the links go with it (ON DELETE CASCADE).
  store.db().query("DELETE FROM aggregations WHERE name = ?").bind(1, a.name).run();
  store.db()
      .query(
          "INSERT INTO aggregations (name, source, window_days, route, threshold, run_id, created_at, summary) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(a.name, a.source, a.window_days, a.route, a.threshold, a.run_id, a.created_at, a.summary)
      .run();
}

int64_t insert_incident(Store& store, const std::string& aggregation, const NewIncident& n) {
  Query incident = store.db().query(
      "INSERT INTO incidents (aggregation, number, title, size, first_at, last_at, repositories, signature, "
      "root_cause) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  incident.bind(1, aggregation).bind(2, n.number).bind(3, n.title).bind(4, static_cast<int64_t>(n.members.size()));
  incident.bind(5, n.first_at).bind(6, n.last_at).bind(7, json_text(json(n.repositories)));
  incident.bind(8, null_if_empty(n.signature)).bind(9, null_if_empty(n.root_cause));
  std::optional<int64_t> id = incident.first_int();
  if (!id) throw Error("aggregate: incident insert returned no id");
  Query member = store.db().query("INSERT INTO incident_members (incident_id, issue_id) VALUES (?, ?)");
  for (int64_t issue : n.members) member.bind(1, *id).bind(2, issue).run();
  return *id;
}

void insert_incident_link(Store& store, const std::string& aggregation, const IncidentLink& l) {
  store.db()
      .query(
          "INSERT OR REPLACE INTO incident_links (aggregation, issue_a, issue_b, score, decided_by, linked, evidence) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(aggregation, l.issue_a, l.issue_b, l.score, l.decided_by, l.linked ? 1 : 0, l.evidence)
      .run();
}

AggregationInfo load_aggregation(Store& store, const std::string& name) {
  Query s = store.db().query(
      "SELECT a.name, coalesce(a.source, ''), a.window_days, a.route, a.threshold, a.run_id, a.created_at, a.summary, "
      "(SELECT count(*) FROM incidents n WHERE n.aggregation = a.name), "
      "(SELECT count(*) FROM incidents n JOIN incident_members m ON m.incident_id = n.id WHERE n.aggregation = a.name) "
      "FROM aggregations a WHERE a.name = ?");
  s.bind(1, name);
  if (!s.step()) {
    std::vector<std::string> names = store.aggregation_names();
    if (names.empty()) throw Error("no incidents yet: run `firstmile aggregate` first");
    throw Error("no aggregation named '" + name + "' (aggregations: " + join(names, ", ") + ")");
  }
  AggregationInfo a;
  a.name = s.column_text(0);
  a.source = s.column_text(1);
  a.window_days = s.column_double(2);
  a.route = s.column_text(3);
  if (!s.column_is_null(4)) a.threshold = s.column_double(4);
  if (!s.column_is_null(5)) a.run_id = s.column_int(5);
  a.created_at = s.column_text(6);
  a.summary = s.column_text(7);
  a.incidents = s.column_int(8);
  a.reports = s.column_int(9);
  return a;
}

std::vector<IncidentRow> load_incidents(Store& store, const std::string& name, const IncidentQuery& query) {
  load_aggregation(store, name);  // an unknown name is an error, not an empty list
  // The root cause is a node id; its path comes from the taxonomy copied into the database
  // (the first by id when several taxonomies share the node id).
  Query s = store.db().query(
      "SELECT n.id, n.number, n.title, n.size, coalesce(n.first_at, ''), coalesce(n.last_at, ''), "
      "coalesce(round(julianday(n.last_at) - julianday(n.first_at), 2), 0), n.repositories, "
      "coalesce(n.signature, ''), coalesce(n.root_cause, ''), "
      "coalesce((SELECT t.path FROM taxonomy_nodes t WHERE t.id = n.root_cause AND t.dimension = 'root_cause' "
      "ORDER BY t.taxonomy LIMIT 1), n.root_cause, ''), "
      "(SELECT sum(i.reactions_total) FROM incident_members m JOIN issues i ON i.id = m.issue_id "
      "WHERE m.incident_id = n.id), "
      "(SELECT count(i.reactions_total) FROM incident_members m JOIN issues i ON i.id = m.issue_id "
      "WHERE m.incident_id = n.id) "
      "FROM incidents n WHERE n.aggregation = ? AND n.size >= ? ORDER BY n.number LIMIT ?");
  s.bind(1, name).bind(2, query.min_size).bind(3, query.limit > 0 ? query.limit : int64_t{-1});
  std::vector<IncidentRow> out;
  while (s.step()) {
    IncidentRow r;
    r.id = s.column_int(0);
    r.number = s.column_int(1);
    r.title = s.column_text(2);
    r.size = s.column_int(3);
    r.first_at = s.column_text(4);
    r.last_at = s.column_text(5);
    r.span_days = s.column_double(6);
    r.repositories =
        repositories_of(s.column_text(7), "aggregation '" + name + "' incident " + std::to_string(r.number));
    r.signature = s.column_text(8);
    r.root_cause = s.column_text(9);
    r.root_cause_path = s.column_text(10);
    if (!s.column_is_null(11)) r.reactions = s.column_int(11);
    r.reports_with_reactions = s.column_int(12);
    out.push_back(std::move(r));
  }
  if (query.members) {
    for (IncidentRow& r : out) r.members = load_incident_members(store, r.id);
  }
  return out;
}

std::vector<IncidentMember> load_incident_members(Store& store, int64_t incident_id) {
  Query s = store.db().query(
      "SELECT i.id, r.owner || '/' || r.name, i.number, coalesce(i.created_at, ''), coalesce(i.title, ''), i.url, "
      "i.reactions_total "
      "FROM incident_members m JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repository_id "
      "WHERE m.incident_id = ? ORDER BY i.created_at IS NULL, i.created_at, lower(r.owner || '/' || r.name), i.number");
  s.bind(1, incident_id);
  std::vector<IncidentMember> out;
  while (s.step()) {
    IncidentMember& m = out.emplace_back();
    m.issue_id = s.column_int(0);
    m.repository = s.column_text(1);
    m.number = s.column_int(2);
    m.created_at = s.column_text(3);
    m.title = s.column_text(4);
    m.url = s.column_text(5);
    if (!s.column_is_null(6)) m.reactions = s.column_int(6);
  }
  return out;
}

std::map<int64_t, int64_t> incident_numbers(Store& store, const std::string& name) {
  std::map<int64_t, int64_t> out;
  Query q = store.db().query(
      "SELECT m.issue_id, i.number FROM incident_members m JOIN incidents i ON i.id = m.incident_id WHERE "
      "i.aggregation = ?");
  q.bind(1, name);
  while (q.step()) out[q.column_int(0)] = q.column_int(1);
  return out;
}

}  // namespace firstmile
