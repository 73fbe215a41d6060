// aggregate/incidents.cpp — stored incidents as a table, CSV and JSON.
#include "aggregate/incidents.h"

#include "base/csv.h"
#include "base/text.h"
#include "base/text_table.h"

namespace firstmile {

using nlohmann::ordered_json;

namespace {

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

std::string optional_count(const std::optional<int64_t>& n) { return n ? std::to_string(*n) : ""; }

// "reactions: 12 on 2 of 3 reports": the users an incident hit beyond those who reported it.
std::string reactions_line(const IncidentRow& r) {
  return "reactions: " + optional_count(r.reactions) + " on " + std::to_string(r.reports_with_reactions) + " of " +
         count_of(r.size, "report");
}

void print_members(const IncidentRow& row, std::ostream& out) {
  out << "\nIncident " << row.number << ": " << row.title << "\n";
  // The reactions column only when some member's reactions are known (mined or imported with them).
  bool reactions = row.reports_with_reactions > 0;
  TextTable t(reactions ? std::vector<std::string>{"Report", "Created", "Reactions", "Title", "URL"}
                        : std::vector<std::string>{"Report", "Created", "Title", "URL"});
  if (reactions) t.align_right(2);
  for (const IncidentMember& m : row.members) {
    std::vector<std::string> cells = {m.repository + "#" + std::to_string(m.number), date_of(m.created_at),
                                      shorten(m.title, 60), m.url};
    if (reactions) cells.insert(cells.begin() + 2, optional_count(m.reactions));
    t.add_row(cells);
  }
  t.print(out, "  ");
}

std::vector<std::string> incident_fields(const IncidentRow& r) {
  return {std::to_string(r.number),
          std::to_string(r.size),
          r.first_at,
          r.last_at,
          format_fixed(r.span_days, 2),
          join(r.repositories, " "),
          r.signature,
          r.root_cause,
          r.root_cause_path,
          r.title,
          optional_count(r.reactions)};
}

}  // namespace

void print_incidents_table(const AggregationInfo& a, const std::vector<IncidentRow>& rows, bool members,
                           std::ostream& out) {
  out << "Aggregation '" << a.name << "' (" << a.created_at << "; route " << a.route << ", window "
      << format_fixed(a.window_days, a.window_days == static_cast<double>(static_cast<int64_t>(a.window_days)) ? 0 : 1)
      << " days, labels " << (a.source.empty() ? "none" : a.source) << "): " << count_of(a.incidents, "incident")
      << " of " << count_of(a.reports, "report");
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
    if (r.reports_with_reactions > 0) t.add_row({"", "", "", "", "", "", reactions_line(r)});
  }
  t.print(out);
  if (members) {
    for (const IncidentRow& r : rows) print_members(r, out);
  }
}

void print_incidents_csv(const std::vector<IncidentRow>& rows, bool members, std::ostream& out) {
  CsvWriter csv(out);
  std::vector<std::string> header = {"number",       "size",      "first_at",   "last_at",         "span_days",
                                     "repositories", "signature", "root_cause", "root_cause_path", "title",
                                     "reactions"};
  if (!members) {
    csv.row(header);
    for (const IncidentRow& r : rows) csv.row(incident_fields(r));
    return;
  }
  for (const char* column : {"member", "member_created_at", "member_title", "member_url", "member_reactions"})
    header.push_back(column);
  csv.row(header);
  for (const IncidentRow& r : rows) {
    for (const IncidentMember& m : r.members) {
      std::vector<std::string> fields = incident_fields(r);
      for (std::string field : {m.repository + "#" + std::to_string(m.number), m.created_at, m.title, m.url,
                                optional_count(m.reactions)}) {
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
                      {"title", r.title},
                      {"reactions", r.reactions ? ordered_json(*r.reactions) : ordered_json(nullptr)},
                      {"reports_with_reactions", r.reports_with_reactions}};
    if (members) {
      ordered_json list = ordered_json::array();
      for (const IncidentMember& m : r.members) {
        list.push_back({{"repository", m.repository},
                        {"number", m.number},
                        {"created_at", m.created_at},
                        {"title", m.title},
                        {"url", m.url},
                        {"reactions", m.reactions ? ordered_json(*m.reactions) : ordered_json(nullptr)}});
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
