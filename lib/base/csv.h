// base/csv.h — RFC 4180 CSV output.
//
//   CsvWriter csv(std::cout);
//   csv.row({"dimension", "category", "count"});
//   csv.row({"symptom", "Crash, fatal", "295"});   // -> "Crash, fatal" is quoted
//
// Fields holding a comma, a quote, CR or LF are quoted, quotes doubled; lines end in CRLF as
// the RFC says.
#pragma once

#include <ostream>
#include <string>
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

}  // namespace firstmile
