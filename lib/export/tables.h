// export/tables.h — the study's results as CSV: tidy long tables and wide tables as printed.
//
//   write_csv_tables(report, "paper/");   // distributions.csv, cells.csv, tests.csv, ...
//
// Long tables have one observation per line (for R, pandas or a spreadsheet); wide tables
// mirror the printed cross tables. RFC 4180, numbers with up to 10 significant digits, rows in
// taxonomy order: two runs on the same labels write identical bytes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyze/study.h"

namespace firstmile {

// Writes the CSV files into `dir` (created if needed); returns their names, relative to `dir`.
std::vector<std::string> write_csv_tables(const StudyReport& report, const std::filesystem::path& dir);

// A stable file-name stem for a cross table ("evolution:llama->llama3:symptom" -> "evolution_llama_to_llama3_symptom").
std::string file_stem(const std::string& name);

// Up to 10 significant digits, never NaN or inf (written as empty).
std::string format_number(double value);

// Writes each (name, content) into `dir` (created if needed), each file whole or not at all;
// returns the names in order.
std::vector<std::string> write_files(const std::filesystem::path& dir,
                                     const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace firstmile
