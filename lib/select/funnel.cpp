// select/funnel.cpp — a selection's counts per step and repository, read back and printed.
#include "select/funnel.h"

#include <cmath>
#include <map>
#include <optional>

#include "base/csv.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text_table.h"
#include "store/selections.h"

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
  std::optional<SelectionRun> run = last_selection_run(store, name);
  if (!run) {
    std::string known;
    for (const std::string& n : selection_names(store)) known += (known.empty() ? "" : ", ") + n;
    throw Error("no selection named '" + name + "' (" +
                (known.empty() ? "run `firstmile select` first" : "selections: " + known) + ")");
  }
  f.run_id = run->run_id;
  f.options = run->options;
  std::map<std::string, size_t> at;
  for (const SelectionStepCount& c : selection_step_counts(store, name)) {
    auto it = at.find(c.repository);
    if (it == at.end()) {
      it = at.emplace(c.repository, f.repositories.size()).first;
      f.repositories.push_back({c.repository, {}});
    }
    auto reached = static_cast<size_t>(c.step_reached);
    for (size_t k = 0; k < reached && k < f.total.counts.size(); ++k) {
      f.repositories[it->second].counts[k] += c.issues;
      f.total.counts[k] += c.issues;
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
    share.push_back(format_percent(f.total.counts[0] ? static_cast<double>(n) / static_cast<double>(f.total.counts[0])
                                                     : std::nan("")));
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
  for (size_t k = 0; k < kSelectionSteps; ++k)
    steps.push_back({{"id", step_id(step_at(k))}, {"title", step_title(step_at(k))}});
  json repositories = json::array();
  for (const FunnelRow& r : f.repositories) repositories.push_back(counts(r));
  json options = json::parse(f.options, nullptr, false);
  return {
      {"name", f.name}, {"run_id", f.run_id},           {"options", options.is_discarded() ? json::object() : options},
      {"steps", steps}, {"repositories", repositories}, {"total", counts(f.total)}};
}

void print_funnel(const Funnel& funnel, const std::string& format, std::ostream& out) {
  if (format == "json") {
    out << json_text(funnel_to_json(funnel), 2) << "\n";
  } else if (format == "csv") {
    print_funnel_csv(funnel, out);
  } else {
    print_funnel_table(funnel, out);
  }
}

}  // namespace firstmile
