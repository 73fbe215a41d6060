// dataset/check.h — `firstmile check`: a lint of what is loaded.
//
//   CheckReport r = check_store(store, taxonomy, {});
//   for (const Finding& f : r.findings) std::cout << f.severity << " " << f.message << "\n";
//   print_check_report(r, "firstmile.db", "text", std::cout);   // as `firstmile check` prints it
//   return r.exit_code();   // 1 when there is a warning or an error, else 0
//
// Findings: duplicate records, issues with several failures, labels that needed white-space
// normalisation, record numbers out of sequence, a stated record count that differs from the
// files, unmapped labels, node ids the taxonomy does not know, and issues without text yet.
// The queries behind them are in store/checks.h.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;
class Taxonomy;

enum class Severity { kNote, kWarning, kError };
const char* severity_name(Severity s);

struct Finding {
  Severity severity = Severity::kNote;
  std::string code;                  // stable, for scripts: "several-failures", "stated-count", ...
  std::string message;               // one line
  std::vector<std::string> details;  // one line each: where to look
};

struct CheckReport {
  std::vector<Finding> findings;
  int exit_code() const;
  nlohmann::json to_json() const;
};

struct CheckOptions {
  std::string source;       // selector as in AnnotationQuery; empty: every source
  size_t max_details = 10;  // lines of detail per finding (0: all)
};

CheckReport check_store(Store& store, const Taxonomy& taxonomy, const CheckOptions& options);

// The report as `firstmile check` prints it: `format` "text" (a line per finding, its details
// indented) or "json" (the database and the findings).
void print_check_report(const CheckReport& report, const std::string& db, const std::string& format, std::ostream& out);

}  // namespace firstmile
