// select/funnel.cpp — a selection's counts per step and repository, read back and printed.
#include <cmath>
#include <map>

#include "base/csv.h"
#include "base/error.h"
#include "base/text_table.h"
#include "select/funnel.h"
#include "store/store.h"

namespace firstmile {

namespace {

using nlohmann::json;

SelectionStep step_at(size_t index) { return static_cast<SelectionStep>(index + 1); }

std::vector<const FunnelRow*> rows_of(const Funnel& f) {
  std::vector<const FunnelRow*> rows;
  for (const FunnelRow& r : f.repositories) rows.push_back(&r);
  rows.push_back(&f.total);
  return rows;
}

}  // namespace

const char* step_id(SelectionStep step) {
  switch (step) {
    case SelectionStep::kMined: return "mined";
    case SelectionStep::kIssue: return "issue";
    case SelectionStep::kKeyword: return "keyword";
    case SelectionStep::kFailureReport: return "failure_report";
    case SelectionStep::kNotDuplicate: return "not_duplicate";
  }
  return "";
}

const char* step_title(SelectionStep step) {
  switch (step) {
    case SelectionStep::kMined: return "mined";
    case SelectionStep::kIssue: return "issues (not PRs)";
    case SelectionStep::kKeyword: return "keyword";
    case SelectionStep::kFailureReport: return "failure report";
    case SelectionStep::kNotDuplicate: return "not duplicate";
  }
  return "";
}

Funnel load_funnel(Store& store, const std::string& name) {
  Funnel f;
  f.name = name;
  f.total.repository = "total";
  // The run that last wrote the selection, even one that found no issue in scope.
  Query run = store.db().query(
      "SELECT id, coalesce(json_extract(summary, '$.options'), '{}') FROM runs WHERE command = 'select' "
      "AND status = 'ok' AND json_extract(summary, '$.name') = ? ORDER BY id DESC LIMIT 1");
  run.bind(1, name);
  if (run.step()) {
    f.run_id = run.column_int(0);
    f.options = run.column_text(1);
  }
  if (f.run_id == 0) {
    std::string known;
    Query names = store.db().query(
        "SELECT DISTINCT json_extract(summary, '$.name') FROM runs WHERE command = 'select' AND status = 'ok' ORDER BY 1");
    while (names.step()) known += (known.empty() ? "" : ", ") + names.column_text(0);
    throw Error("no selection named '" + name + "' (" + (known.empty() ? "run `firstmile select` first" : "selections: " + known) +
                ")");
  }
  Query q = store.db().query(
      "SELECT r.owner || '/' || r.name, s.step_reached, count(*) FROM selections s JOIN issues i ON i.id = s.issue_id "
      "JOIN repositories r ON r.id = i.repository_id WHERE s.name = ? GROUP BY r.id, s.step_reached "
      "ORDER BY lower(r.owner || '/' || r.name), s.step_reached");
  q.bind(1, name);
  std::map<std::string, size_t> at;
  while (q.step()) {
    std::string repository = q.column_text(0);
    auto it = at.find(repository);
    if (it == at.end()) {
      it = at.emplace(repository, f.repositories.size()).first;
      f.repositories.push_back({repository, {}});
    }
    auto reached = static_cast<size_t>(q.column_int(1));
    int64_t n = q.column_int(2);
    for (size_t k = 0; k < reached && k < f.total.counts.size(); ++k) {
      f.repositories[it->second].counts[k] += n;
      f.total.counts[k] += n;
    }
  }
  return f;
}

void print_funnel_table(const Funnel& f, std::ostream& out) {
  json options = json::parse(f.options, nullptr, false);
  out << "Selection '" << f.name << "' (run " << f.run_id << ")";
  if (options.is_object()) {
    out << ": keywords " << options.value("keywords", "?") << "; failure reports by "
        << options.value("failure_report", "?") << "; duplicates " << options.value("duplicates", "?");
  }
  out << "\n";
  std::vector<std::string> header = {"repository"};
  for (size_t k = 0; k < kSelectionSteps; ++k) header.push_back(step_title(step_at(k)));
  TextTable t(header);
  for (size_t k = 1; k <= kSelectionSteps; ++k) t.align_right(k);
  for (const FunnelRow* r : rows_of(f)) {
    std::vector<std::string> cells = {r->repository};
    for (int64_t n : r->counts) cells.push_back(std::to_string(n));
    t.add_row(cells);
  }
  std::vector<std::string> share = {"share of mined"};
  for (int64_t n : f.total.counts) {
    share.push_back(format_percent(f.total.counts[0] ? static_cast<double>(n) / static_cast<double>(f.total.counts[0]) : std::nan("")));
  }
  t.add_row(share);
  t.print(out);
}

void print_funnel_csv(const Funnel& f, std::ostream& out) {
  CsvWriter csv(out);
  std::vector<std::string> header = {"selection", "repository"};
  for (size_t k = 0; k < kSelectionSteps; ++k) header.push_back(step_id(step_at(k)));
  csv.row(header);
  for (const FunnelRow* r : rows_of(f)) {
    std::vector<std::string> cells = {f.name, r->repository};
    for (int64_t n : r->counts) cells.push_back(std::to_string(n));
    csv.row(cells);
  }
}

json funnel_to_json(const Funnel& f) {
  auto counts = [](const FunnelRow& r) {
    json o = {{"repository", r.repository}};
    for (size_t k = 0; k < kSelectionSteps; ++k) o[step_id(step_at(k))] = r.counts[k];
    return o;
  };
  json steps = json::array();
  for (size_t k = 0; k < kSelectionSteps; ++k) steps.push_back({{"id", step_id(step_at(k))}, {"title", step_title(step_at(k))}});
  json repositories = json::array();
  for (const FunnelRow& r : f.repositories) repositories.push_back(counts(r));
  json options = json::parse(f.options, nullptr, false);
  return {{"name", f.name},
          {"run_id", f.run_id},
          {"options", options.is_discarded() ? json::object() : options},
          {"steps", steps},
          {"repositories", repositories},
          {"total", counts(f.total)}};
}

}  // namespace firstmile
