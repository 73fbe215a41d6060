// analyze/report.cpp — terminal and JSON renderings of the study.
#include "analyze/report.h"

#include <cstdio>

#include "base/text_table.h"

namespace firstmile {

using nlohmann::ordered_json;

namespace {

std::string p_value(double p) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, p < 0.001 ? "%.2e" : "%.4f", p);
  return buffer;
}

void print_distribution(const std::string& title, const Distribution& d, std::ostream& out) {
  out << "\n" << title << " (level " << d.level << ")\n";
  TextTable t({"Category", "Count", "Share", "95% CI"});
  t.align_right(1);
  t.align_right(2);
  for (const CategoryShare& c : d.rows) {
    t.add_row({c.path, std::to_string(c.count), format_percent(c.share),
               format_percent(c.lower) + " - " + format_percent(c.upper)});
  }
  t.print(out, "  ");
}

std::string test_line(const CrossTable& c) {
  if (!c.test.ok) return "not tested: " + c.test.note;
  std::string line = "chi-square " + format_fixed(c.test.statistic, 2) + ", dof " + std::to_string(c.test.dof) +
                     ", p " + p_value(c.test.p_value) + ", Cramer's V " + format_fixed(c.test.cramers_v, 3) + ", n " +
                     std::to_string(static_cast<long long>(c.test.n));
  if (c.has_fisher) line += "; Fisher's exact p " + p_value(c.fisher.p_value);
  if (!c.test.note.empty()) line += "\n  note: " + c.test.note;
  return line;
}

void print_cross(const CrossTable& c, std::ostream& out, bool residuals) {
  out << "\n" << c.title << "\n";
  // The study's category names are long: past a few characters, columns get numbers and a
  // legend so a table fits a terminal.
  bool numbered = false;
  for (const auto& label : c.table.column_labels()) numbered = numbered || label.size() > 14;
  std::vector<std::string> header{""};
  for (size_t j = 0; j < c.table.columns(); ++j) {
    header.push_back(numbered ? "[" + std::to_string(j + 1) + "]" : c.table.column_labels()[j]);
  }
  TextTable t(header);
  for (size_t j = 1; j < header.size(); ++j) t.align_right(j);
  for (size_t r = 0; r < c.table.rows(); ++r) {
    std::vector<std::string> row{c.table.row_labels()[r]};
    for (size_t col = 0; col < c.table.columns(); ++col) {
      std::string cell = std::to_string(static_cast<long long>(c.table.at(r, col)));
      if (residuals && c.test.ok) cell += " (" + format_fixed(c.test.adjusted_residuals[r][col], 1) + ")";
      row.push_back(cell);
    }
    t.add_row(row);
  }
  t.print(out, "  ");
  if (numbered) {
    std::string legend = "  ";
    for (size_t j = 0; j < c.table.columns(); ++j) {
      std::string item = "[" + std::to_string(j + 1) + "] " + c.table.column_labels()[j];
      if (legend.size() > 2 && legend.size() + item.size() + 2 > 110) {
        out << legend << "\n";
        legend = "  ";
      }
      legend += (legend.size() > 2 ? "; " : "") + item;
    }
    out << legend << "\n";
  }
  out << "  " << test_line(c) << "\n";
}

void print_similarity(const SeriesComparison& s, std::ostream& out) {
  const auto& labels = s.cross.table.row_labels();
  TextTable t({"Series pair", "Pearson r", "p", "Spearman rho", "JSD (bits)"});
  for (size_t j = 1; j < 5; ++j) t.align_right(j);
  for (size_t a = 0; a < labels.size(); ++a) {
    for (size_t b = a + 1; b < labels.size(); ++b) {
      const auto& p = s.pearson[a][b];
      const auto& r = s.spearman[a][b];
      t.add_row({labels[a] + " - " + labels[b], p.ok ? format_fixed(p.coefficient, 3) : "n/a",
                 p.ok ? p_value(p.p_value) : "", r.ok ? format_fixed(r.coefficient, 3) : "n/a",
                 format_fixed(s.jensen_shannon[a][b], 4)});
    }
  }
  t.print(out, "  ");
}

ordered_json distribution_json(const Distribution& d) {
  ordered_json rows = ordered_json::array();
  for (const CategoryShare& c : d.rows) {
    rows.push_back({{"id", c.id},
                    {"name", c.name},
                    {"path", c.path},
                    {"count", c.count},
                    {"share", c.share},
                    {"ci95", {c.lower, c.upper}}});
  }
  return {{"dimension", d.dimension}, {"level", d.level}, {"categories", rows}};
}

ordered_json correlation_json(const std::vector<std::vector<stats::Correlation>>& m) {
  ordered_json coefficients = ordered_json::array(), p_values = ordered_json::array();
  for (const auto& row : m) {
    ordered_json c = ordered_json::array(), p = ordered_json::array();
    for (const auto& cell : row) {
      c.push_back(cell.ok ? ordered_json(cell.coefficient) : ordered_json(nullptr));
      p.push_back(cell.ok ? ordered_json(cell.p_value) : ordered_json(nullptr));
    }
    coefficients.push_back(c);
    p_values.push_back(p);
  }
  return {{"coefficient", coefficients}, {"p_value", p_values}};
}

ordered_json series_json(const SeriesComparison& s) {
  ordered_json j = cross_table_to_json(s.cross);
  j["pearson"] = correlation_json(s.pearson);
  j["spearman"] = correlation_json(s.spearman);
  j["jensen_shannon_bits"] = s.jensen_shannon;
  return j;
}

}  // namespace

std::vector<const CrossTable*> cross_tables(const StudyReport& r) {
  std::vector<const CrossTable*> out{&r.symptom_by_root_cause, &r.series_by_symptom.cross,
                                     &r.series_by_root_cause.cross, &r.stage_by_symptom, &r.stage_by_root_cause};
  for (const Evolution& e : r.evolution) {
    out.push_back(&e.symptom);
    out.push_back(&e.root_cause);
  }
  return out;
}

ordered_json cross_table_to_json(const CrossTable& c) {
  const stats::ChiSquare& t = c.test;
  ordered_json test = {{"ok", t.ok},
                       {"note", t.note},
                       {"chi2", t.statistic},
                       {"dof", t.dof},
                       {"p", t.p_value},
                       {"cramers_v", t.cramers_v},
                       {"n", t.n},
                       {"min_expected", t.ok ? t.min_expected : 0.0},
                       {"cells_expected_below_5", t.cells_expected_below_5},
                       {"expected", t.expected},
                       {"adjusted_residuals", t.adjusted_residuals}};
  ordered_json j = {{"name", c.name},
                    {"title", c.title},
                    {"rows", c.table.row_labels()},
                    {"cols", c.table.column_labels()},
                    {"counts", c.table.matrix()},
                    {"test", test}};
  if (c.has_fisher) {
    j["fisher"] = {{"p", c.fisher.p_value},
                   {"odds_ratio", c.fisher.odds_ratio},
                   {"odds_ratio_infinite", c.fisher.odds_ratio_infinite},
                   {"odds_ratio_undefined", c.fisher.odds_ratio_undefined}};
  }
  return j;
}

ordered_json study_to_json(const StudyReport& r) {
  ordered_json evolution = ordered_json::array();
  for (const Evolution& e : r.evolution) {
    evolution.push_back({{"from", e.from},
                         {"to", e.to},
                         {"symptom", cross_table_to_json(e.symptom)},
                         {"root_cause", cross_table_to_json(e.root_cause)}});
  }
  return {{"source", r.source},
          {"taxonomy", r.taxonomy},
          {"filters", r.filters},
          {"level", r.level},
          {"unit", r.unit},
          {"aggregation", r.aggregation},
          {"incidents", r.incidents},
          {"multi_report_incidents", r.multi_report_incidents},
          {"annotations", r.annotations},
          {"issues", r.issues},
          {"unlabelled", r.unlabelled},
          {"findings", r.findings},
          {"rq1_symptom", distribution_json(r.symptoms)},
          {"rq2_root_cause", distribution_json(r.root_causes)},
          {"stage", distribution_json(r.stages)},
          {"rq3_symptom_by_root_cause", cross_table_to_json(r.symptom_by_root_cause)},
          {"rq4_series_by_symptom", series_json(r.series_by_symptom)},
          {"rq4_series_by_root_cause", series_json(r.series_by_root_cause)},
          {"rq5_stage_by_symptom", cross_table_to_json(r.stage_by_symptom)},
          {"rq5_stage_by_root_cause", cross_table_to_json(r.stage_by_root_cause)},
          {"rq6_evolution", evolution}};
}

void print_study_report(const StudyReport& r, std::ostream& out) {
  out << "Source " << r.source << ", taxonomy " << r.taxonomy << ", level " << r.level;
  if (!r.filters.empty()) out << ", " << r.filters;
  out << ": " << r.annotations << (r.unit == "incident" ? " counts" : " failures") << " on " << r.issues << " issues";
  if (r.unlabelled) out << " (" << r.unlabelled << " without a full label, left out of the tables)";
  out << "\n\nFindings\n";
  for (const std::string& f : r.findings) out << "- " << f << "\n";

  out << "\nRQ1-RQ2: distributions";
  print_distribution("Symptom", r.symptoms, out);
  print_distribution("Root cause", r.root_causes, out);
  print_distribution("Stage", r.stages, out);
  out << "\nRQ3: diagnostic divergence (counts, adjusted residuals in brackets)";
  print_cross(r.symptom_by_root_cause, out, true);
  out << "\nRQ4: systemic homogeneity";
  print_cross(r.series_by_symptom.cross, out, false);
  print_similarity(r.series_by_symptom, out);
  print_cross(r.series_by_root_cause.cross, out, false);
  print_similarity(r.series_by_root_cause, out);
  out << "\nRQ5: lifecycle escalation (counts, adjusted residuals in brackets)";
  print_cross(r.stage_by_symptom, out, true);
  print_cross(r.stage_by_root_cause, out, true);
  if (!r.evolution.empty()) {
    out << "\nRQ6: version evolution";
    for (const Evolution& e : r.evolution) {
      print_cross(e.symptom, out, false);
      print_cross(e.root_cause, out, false);
    }
  }
}

}  // namespace firstmile
