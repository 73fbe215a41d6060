// export/tables.cpp — CSV writers for distributions, cross tables, tests and similarities.
#include "export/tables.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "analyze/report.h"
#include "base/atomic_file.h"
#include "base/csv.h"
#include "base/error.h"

namespace firstmile {

namespace fs = std::filesystem;

std::string format_number(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string file_stem(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '-' && i + 1 < name.size() && name[i + 1] == '>') {
      out += "_to_";
      ++i;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  return out;
}

std::vector<std::string> write_files(const fs::path& dir,
                                     const std::vector<std::pair<std::string, std::string>>& files) {
  fs::create_directories(dir);
  std::vector<std::string> names;
  for (const auto& [name, content] : files) {
    write_file_atomically(dir / name, content);
    names.push_back(name);
  }
  return names;
}

namespace {

std::string count(double value) { return std::to_string(static_cast<long long>(value)); }

std::string distributions_csv(const StudyReport& r) {
  std::ostringstream s;
  CsvWriter csv(s);
  csv.row({"analysis", "dimension", "level", "category_id", "category", "path", "count", "share", "ci95_lower",
           "ci95_upper"});
  const std::pair<const char*, const Distribution*> all[] = {
      {"rq1_symptom", &r.symptoms}, {"rq2_root_cause", &r.root_causes}, {"stage", &r.stages}};
  for (const auto& [analysis, d] : all) {
    for (const CategoryShare& c : d->rows) {
      csv.row({analysis, d->dimension, std::to_string(d->level), c.id, c.name, c.path, std::to_string(c.count),
               format_number(c.share), format_number(c.lower), format_number(c.upper)});
    }
  }
  return s.str();
}

std::string cells_csv(const StudyReport& r) {
  std::ostringstream s;
  CsvWriter csv(s);
  csv.row({"analysis", "row", "column", "count", "expected", "adjusted_residual"});
  for (const CrossTable* c : cross_tables(r)) {
    for (size_t i = 0; i < c->table.rows(); ++i) {
      for (size_t j = 0; j < c->table.columns(); ++j) {
        csv.row({c->name, c->table.row_labels()[i], c->table.column_labels()[j], count(c->table.at(i, j)),
                 c->test.ok ? format_number(c->test.expected[i][j]) : "",
                 c->test.ok ? format_number(c->test.adjusted_residuals[i][j]) : ""});
      }
    }
  }
  return s.str();
}

std::string tests_csv(const StudyReport& r) {
  std::ostringstream s;
  CsvWriter csv(s);
  csv.row({"analysis", "test", "ok", "statistic", "dof", "p_value", "cramers_v", "n", "min_expected",
           "cells_expected_below_5", "note"});
  for (const CrossTable* c : cross_tables(r)) {
    const stats::ChiSquare& t = c->test;
    csv.row({c->name, "pearson_chi_square", t.ok ? "true" : "false", format_number(t.statistic), std::to_string(t.dof),
             format_number(t.p_value), format_number(t.cramers_v), count(t.n),
             t.ok ? format_number(t.min_expected) : "", std::to_string(t.cells_expected_below_5), t.note});
    if (c->has_fisher) {
      csv.row({c->name, "fisher_exact", "true",
               c->fisher.odds_ratio_infinite ? "inf" : format_number(c->fisher.odds_ratio), "",
               format_number(c->fisher.p_value), "", count(t.n), "", "", "statistic is the sample odds ratio"});
    }
  }
  return s.str();
}

std::string similarity_csv(const StudyReport& r) {
  std::ostringstream s;
  CsvWriter csv(s);
  csv.row({"analysis", "series_a", "series_b", "pearson_r", "pearson_p", "spearman_rho", "spearman_p", "jsd_bits"});
  for (const SeriesComparison* c : {&r.series_by_symptom, &r.series_by_root_cause}) {
    const auto& labels = c->cross.table.row_labels();
    for (size_t a = 0; a < labels.size(); ++a) {
      for (size_t b = a + 1; b < labels.size(); ++b) {
        const auto& p = c->pearson[a][b];
        const auto& q = c->spearman[a][b];
        csv.row({c->cross.name, labels[a], labels[b], p.ok ? format_number(p.coefficient) : "",
                 p.ok ? format_number(p.p_value) : "", q.ok ? format_number(q.coefficient) : "",
                 q.ok ? format_number(q.p_value) : "", format_number(c->jensen_shannon[a][b])});
      }
    }
  }
  return s.str();
}

std::string wide_csv(const CrossTable& c) {
  std::ostringstream s;
  CsvWriter csv(s);
  std::vector<std::string> header{""};
  for (const auto& label : c.table.column_labels()) header.push_back(label);
  header.push_back("Total");
  csv.row(header);
  for (size_t i = 0; i < c.table.rows(); ++i) {
    std::vector<std::string> row{c.table.row_labels()[i]};
    for (size_t j = 0; j < c.table.columns(); ++j) row.push_back(count(c.table.at(i, j)));
    row.push_back(count(c.table.row_total(i)));
    csv.row(row);
  }
  std::vector<std::string> total{"Total"};
  for (size_t j = 0; j < c.table.columns(); ++j) total.push_back(count(c.table.column_total(j)));
  total.push_back(count(c.table.total()));
  csv.row(total);
  return s.str();
}

}  // namespace

std::vector<std::string> write_csv_tables(const StudyReport& r, const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> files = {{"distributions.csv", distributions_csv(r)},
                                                            {"cells.csv", cells_csv(r)},
                                                            {"tests.csv", tests_csv(r)},
                                                            {"series_similarity.csv", similarity_csv(r)}};
  for (const CrossTable* c : cross_tables(r)) files.emplace_back("table_" + file_stem(c->name) + ".csv", wide_csv(*c));
  return write_files(dir, files);
}

}  // namespace firstmile
