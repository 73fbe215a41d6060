// export/paper.cpp — writes the chosen formats and an index of them.
#include "export/paper.h"

#include <sstream>

#include "analyze/report.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "base/json_file.h"
#include "export/figures.h"
#include "export/latex.h"
#include "export/tables.h"

namespace firstmile {

namespace {

std::string describe(const std::string& file) {
  auto has = [&](const char* s) { return file.find(s) != std::string::npos; };
  if (file == "report.json") return "every count and statistic of the analysis, with the findings";
  if (file == "distributions.csv") return "RQ1/RQ2: count, share and 95% Wilson interval per category (long)";
  if (file == "cells.csv") return "every cell of every cross table: count, expected count, adjusted residual (long)";
  if (file == "tests.csv") return "chi-square (and Fisher) tests of every cross table";
  if (file == "series_similarity.csv") return "RQ4: Pearson, Spearman and Jensen-Shannon between series";
  if (file == "tests.tex") return "LaTeX: the tests of every cross table";
  if (file.rfind("rq1_", 0) == 0 || file.rfind("rq2_", 0) == 0 || file == "stage.tex") return "LaTeX: a distribution";
  if (file.rfind("table_", 0) == 0)
    return has(".tex") ? "LaTeX: a cross table with residual marks" : "a cross table as printed (wide)";
  if (has("stage_by")) return "figure: category shares within each stage (stacked bars)";
  if (has("series_correlation")) return "figure: correlation between series (heatmap)";
  if (has("symptom_by_root_cause")) return "figure: symptom x root cause, coloured by adjusted residual (heatmap)";
  if (has("hierarchy")) return "figure: the hierarchy, area by failures (treemap)";
  if (has("evolution")) return "figure: successive versions compared (grouped bars)";
  return "";
}

}  // namespace

PaperFiles write_paper(const StudyReport& report, const std::filesystem::path& dir,
                       const std::set<std::string>& formats) {
  for (const std::string& f : formats) {
    if (f != "csv" && f != "latex" && f != "json" && f != "svg") {
      throw Error("unknown format '" + f + "' (use csv, latex, json, svg)");
    }
  }
  std::filesystem::create_directories(dir);
  PaperFiles out;
  auto add = [&](const std::vector<std::string>& names) {
    out.files.insert(out.files.end(), names.begin(), names.end());
  };
  if (formats.count("json")) {
    write_file_atomically(dir / "report.json", json_text(study_to_json(report), 2) + "\n");
    out.files.push_back("report.json");
  }
  if (formats.count("csv")) add(write_csv_tables(report, dir));
  if (formats.count("latex")) add(write_latex_tables(report, dir));
  if (formats.count("svg")) add(write_figures(report, dir));

  std::ostringstream index;
  index << "# firstmile analysis\n\nSource `" << report.source << "`, taxonomy `" << report.taxonomy << "`, level "
        << report.level;
  if (!report.filters.empty()) index << ", " << report.filters;
  index << ": " << report.annotations << " failures on " << report.issues << " issues.\n\n## Findings\n\n";
  for (const std::string& f : report.findings) index << "- " << f << "\n";
  index << "\n## Files\n\n| file | content |\n|---|---|\n";
  for (const std::string& f : out.files) index << "| [" << f << "](" << f << ") | " << describe(f) << " |\n";
  write_file_atomically(dir / "README.md", index.str());
  out.files.push_back("README.md");
  return out;
}

}  // namespace firstmile
