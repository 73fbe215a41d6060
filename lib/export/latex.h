// export/latex.h — the study's tables as LaTeX (booktabs), ready to \input into a paper.
//
//   write_latex_tables(report, "paper/");   // rq1_symptom.tex, table_symptom_by_root_cause.tex, tests.tex, ...
//
// Each file is one `table` environment with a caption and a label (tab:firstmile-<name>);
// text is escaped; the paper's preamble needs \usepackage{booktabs}.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyze/study.h"

namespace firstmile {

std::vector<std::string> write_latex_tables(const StudyReport& report, const std::filesystem::path& dir);

// Escapes LaTeX's special characters: \ & % $ # _ { } ~ ^
std::string latex_escape(const std::string& text);

}  // namespace firstmile
