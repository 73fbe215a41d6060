// labels/label_sheet.h — the manual labelling loop: a sheet out for annotators, their labels in.
//
//   LabelSheetExport x = export_label_sheet(store, taxonomy, {.sample = 50, .seed = 7}, "sheet.csv");
//   // annotators fill is_failure, stage, symptom, root_cause (and notes) in a spreadsheet
//   LabelImport in = import_label_sheet(store, taxonomy, "sheet.csv", {.name = "ana", .argv = argv});
//   // -> annotations of source "manual:ana"
//   print_label_import(in, std::cout);
//
// The sheet is RFC 4180 CSV with the columns repository, number, url, title, body, is_failure,
// stage, symptom, root_cause, notes; beside it a legend (sheet.legend.csv) lists every label
// allowed: dimension, id, label ("Crash - CUDA Error - Out of Memory"), definition.
//
// The sample is reproducible everywhere: candidates are ordered by repository and number, and
// drawn by a partial Fisher-Yates shuffle driven by std::mt19937_64 (whose output the C++
// standard fixes) through uniform_below, not std::uniform_int_distribution (whose output
// each standard library computes its own way).
//
// Import checks every cell before writing anything — labels by id or by label text (as
// Taxonomy::match_label reads them), is_failure as yes/no/1/0/true/false, repository and issue
// known to the database, no issue twice — and throws Error naming file, line and column. It
// then writes all rows in one transaction with a run record. Rows with every label cell blank
// are skipped and counted. An optional failure_index column labels a second failure of an issue.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "taxonomy/taxonomy.h"

namespace firstmile {

class Store;

struct LabelSheetOptions {
  int64_t sample = 50;
  uint64_t seed = 1;
  std::vector<std::string> source_filter;  // only issues some matching source labelled (any when empty)
  size_t excerpt_chars = 600;              // body excerpt length, in code points
};

struct LabelSheetExport {
  int64_t candidates = 0;  // issues with text, not pull requests, passing the filter
  int64_t rows = 0;
  std::filesystem::path sheet, legend;
};

LabelSheetExport export_label_sheet(Store& store, const Taxonomy& taxonomy, const LabelSheetOptions& options,
                                    const std::filesystem::path& sheet);
// "Wrote 50 of 812 issues to sheet.csv (labels: sheet.legend.csv)"
void print_label_sheet_export(const LabelSheetExport& exported, std::ostream& out);

// The legend's path for a sheet: "sheet.csv" -> "sheet.legend.csv".
std::filesystem::path legend_path(const std::filesystem::path& sheet);

// A uniform integer in [0, bound) from `rng`, by rejection: draws below 2^64 mod bound are
// redrawn so every remainder is equally likely (the method of OpenBSD's arc4random_uniform).
uint64_t uniform_below(std::mt19937_64& rng, uint64_t bound);
// `n` distinct indices out of [0, population) in draw order (all of them when n >= population).
std::vector<size_t> sample_indices(size_t population, size_t n, uint64_t seed);

struct LabelImportOptions {
  std::string name;               // the annotator: source "manual:NAME"
  std::vector<std::string> argv;  // recorded in the run
};

struct LabelImport {
  std::string source;
  int64_t run_id = 0;
  int64_t rows = 0;      // data rows in the sheet
  int64_t imported = 0;  // annotations written
  int64_t skipped = 0;   // rows left blank
};

LabelImport import_label_sheet(Store& store, const Taxonomy& taxonomy, const std::filesystem::path& sheet,
                               const LabelImportOptions& options);
// "Imported 48 labelled rows as manual:ana (2 blank rows skipped; run 7)"
void print_label_import(const LabelImport& imported, std::ostream& out);

}  // namespace firstmile
