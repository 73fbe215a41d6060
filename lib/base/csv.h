// base/csv.h — RFC 4180 CSV, written and read.
//
//   CsvWriter csv(std::cout);
//   csv.row({"dimension", "category", "count"});
//   csv.row({"symptom", "Crash, fatal", "295"});   // -> "Crash, fatal" is quoted
//
//   for (const CsvRecord& r : parse_csv(text, "sheet.csv"))
//     std::cout << r.line << ": " << r.fields[0] << "\n";   // line where the record starts
//
// Fields holding a comma, a quote, CR or LF are quoted, quotes doubled; lines end in CRLF as
// the RFC says. The reader takes what spreadsheets write: CRLF or LF line ends, a UTF-8 byte
// order mark, quoted fields spanning lines. Empty lines are skipped (a record of one empty
// field is never meaningful in a sheet). Malformed input — a quote inside an unquoted field,
// text after a closing quote, a quote never closed — throws Error naming origin, line and
// column (the field's 1-based position).
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void row(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
};

std::string csv_escape(const std::string& field);

struct CsvRecord {
  std::vector<std::string> fields;
  int64_t line = 0;  // 1-based line of the file where the record starts
};

// `origin` names the text in error messages (usually its file name).
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& origin);
std::vector<CsvRecord> read_csv_file(const std::filesystem::path& path);

}  // namespace firstmile
