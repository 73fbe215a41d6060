// aggregate/incidents.cpp — reading stored incidents, and their table, CSV and JSON renderings.
#include "aggregate/incidents.h"

#include "base/csv.h"
#include "base/error.h"
#include "base/text.h"
#include "base/text_table.h"
#include "store/store.h"

namespace firstmile {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

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

// `text` cut to `width` code points, the cut marked with "...", never inside a UTF-8 sequence.
std::string shorten(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  size_t kept = 0, points = 0;
  for (; kept < text.size(); ++kept) {
    bool starts_point = (static_cast<unsigned char>(text[kept]) & 0xC0) != 0x80;
    if (starts_point && ++points > width - 3) break;
  }
  return text.substr(0, kept) + "...";
}

std::string count_of(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string date_of(const std::string& timestamp) { return timestamp.substr(0, 10); }

std::string repositories_cell(const std::vector<std::string>& repositories) {
  if (repositories.empty()) return "";
  std::string cell = repositories[0];
  if (repositories.size() > 1) cell += " +" + std::to_string(repositories.size() - 1);
  return cell;
}

void print_members(const IncidentRow& row, std::ostream& out) {
  out << "\nIncident " << row.number << ": " << row.title << "\n";
  TextTable t({"Report", "Created", "Title", "URL"});
  for (const IncidentMember& m : row.members) {
    t.add_row({m.repository + "#" + std::to_string(m.number), date_of(m.created_at), shorten(m.title, 60), m.url});
  }
  t.print(out, "  ");
}

std::vector<std::string> incident_fields(const IncidentRow& r) {
  return {std::to_string(r.number), std::to_string(r.size), r.first_at, r.last_at, format_fixed(r.span_days, 2),
          join(r.repositories, " "), r.signature, r.root_cause, r.root_cause_path, r.title};
}

}  // namespace

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
      "ORDER BY t.taxonomy LIMIT 1), n.root_cause, '') "
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
    r.repositories = repositories_of(s.column_text(7), "aggregation '" + name + "' incident " + std::to_string(r.number));
    r.signature = s.column_text(8);
    r.root_cause = s.column_text(9);
    r.root_cause_path = s.column_text(10);
    out.push_back(std::move(r));
  }
  if (query.members) {
    for (IncidentRow& r : out) r.members = load_incident_members(store, r.id);
  }
  return out;
}

std::vector<IncidentMember> load_incident_members(Store& store, int64_t incident_id) {
  Query s = store.db().query(
      "SELECT i.id, r.owner || '/' || r.name, i.number, coalesce(i.created_at, ''), coalesce(i.title, ''), i.url "
      "FROM incident_members m JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repository_id "
      "WHERE m.incident_id = ? ORDER BY i.created_at IS NULL, i.created_at, lower(r.owner || '/' || r.name), i.number");
  s.bind(1, incident_id);
  std::vector<IncidentMember> out;
  while (s.step()) {
    out.push_back({s.column_int(0), s.column_text(1), s.column_int(2), s.column_text(3), s.column_text(4),
                   s.column_text(5)});
  }
  return out;
}

void print_incidents_table(const AggregationInfo& a, const std::vector<IncidentRow>& rows, bool members,
                           std::ostream& out) {
  out << "Aggregation '" << a.name << "' (" << a.created_at << "; route " << a.route << ", window "
      << format_fixed(a.window_days, a.window_days == static_cast<double>(static_cast<int64_t>(a.window_days)) ? 0 : 1)
      << " days, labels " << (a.source.empty() ? "none" : a.source) << "): "
      << count_of(a.incidents, "incident") << " of " << count_of(a.reports, "report");
  if (static_cast<int64_t>(rows.size()) < a.incidents) out << ", " << rows.size() << " shown";
  out << "\n";
  // Title, root cause path and signature each run long: they share the last column on lines of
  // their own, so a row fits a terminal and nothing of the path is lost.
  TextTable t({"#", "Size", "First", "Last", "Days", "Repositories", "Incident"});
  t.align_right(0);
  t.align_right(1);
  t.align_right(4);
  for (const IncidentRow& r : rows) {
    if (&r != &rows.front()) t.add_row({"", "", "", "", "", "", ""});
    t.add_row({std::to_string(r.number), std::to_string(r.size), date_of(r.first_at), date_of(r.last_at),
               format_fixed(r.span_days, 1), repositories_cell(r.repositories), shorten(r.title, 80)});
    if (!r.root_cause_path.empty()) t.add_row({"", "", "", "", "", "", "root cause: " + r.root_cause_path});
    if (!r.signature.empty()) t.add_row({"", "", "", "", "", "", "signature: " + shorten(r.signature, 69)});
  }
  t.print(out);
  if (members) {
    for (const IncidentRow& r : rows) print_members(r, out);
  }
}

void print_incidents_csv(const std::vector<IncidentRow>& rows, bool members, std::ostream& out) {
  CsvWriter csv(out);
  std::vector<std::string> header = {"number", "size", "first_at", "last_at", "span_days", "repositories",
                                     "signature", "root_cause", "root_cause_path", "title"};
  if (!members) {
    csv.row(header);
    for (const IncidentRow& r : rows) csv.row(incident_fields(r));
    return;
  }
  for (const char* column : {"member", "member_created_at", "member_title", "member_url"}) header.push_back(column);
  csv.row(header);
  for (const IncidentRow& r : rows) {
    for (const IncidentMember& m : r.members) {
      std::vector<std::string> fields = incident_fields(r);
      for (std::string field : {m.repository + "#" + std::to_string(m.number), m.created_at, m.title, m.url}) {
        fields.push_back(std::move(field));
      }
      csv.row(fields);
    }
  }
}

ordered_json incidents_to_json(const AggregationInfo& a, const std::vector<IncidentRow>& rows, bool members) {
  ordered_json incidents = ordered_json::array();
  for (const IncidentRow& r : rows) {
    ordered_json j = {{"number", r.number},
                      {"size", r.size},
                      {"first_at", r.first_at},
                      {"last_at", r.last_at},
                      {"span_days", r.span_days},
                      {"repositories", r.repositories},
                      {"signature", r.signature},
                      {"root_cause", r.root_cause},
                      {"root_cause_path", r.root_cause_path},
                      {"title", r.title}};
    if (members) {
      ordered_json list = ordered_json::array();
      for (const IncidentMember& m : r.members) {
        list.push_back({{"repository", m.repository},
                        {"number", m.number},
                        {"created_at", m.created_at},
                        {"title", m.title},
                        {"url", m.url}});
      }
      j["members"] = std::move(list);
    }
    incidents.push_back(std::move(j));
  }
  ordered_json summary = ordered_json::parse(a.summary, nullptr, false);
  return {{"aggregation",
           {{"name", a.name},
            {"source", a.source},
            {"window_days", a.window_days},
            {"route", a.route},
            {"threshold", a.threshold ? ordered_json(*a.threshold) : ordered_json(nullptr)},
            {"run_id", a.run_id ? ordered_json(*a.run_id) : ordered_json(nullptr)},
            {"created_at", a.created_at},
            {"incidents", a.incidents},
            {"reports", a.reports},
            {"summary", summary.is_discarded() ? ordered_json(a.summary) : summary}}},
          {"incidents", incidents}};
}

}  // namespace firstmile
