// Tests of the RFC 4180 reader in base/csv.h.
#include <doctest/doctest.h>

#include <sstream>

#include "base/csv.h"
#include "base/error.h"

using namespace firstmile;

namespace {
std::vector<std::vector<std::string>> fields_of(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRecord& r : records) out.push_back(r.fields);
  return out;
}

std::string error_of(std::string_view text) {
  try {
    parse_csv(text, "sheet.csv");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("plain records split on commas and line ends") {
  auto records = parse_csv("a,b,c\n1,2,3\n", "t.csv");
  CHECK(fields_of(records) == std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"1", "2", "3"}});
}

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks") {
  auto records = parse_csv("\"Crash, fatal\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nx,y,z\r\n", "t.csv");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == std::vector<std::string>{"Crash, fatal", "say \"hi\"", "two\nlines"});
  CHECK(records[1].fields == std::vector<std::string>{"x", "y", "z"});
}

TEST_CASE("each record knows the line it starts on, counting line breaks inside quotes") {
  auto records = parse_csv("h1,h2\r\n\"a\r\nb\r\nc\",1\r\nd,2", "t.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[0].line == 1);
  CHECK(records[1].line == 2);
  CHECK(records[1].fields[0] == "a\r\nb\r\nc");
  CHECK(records[2].line == 5);
  CHECK(records[2].fields == std::vector<std::string>{"d", "2"});  // no final line end
}

TEST_CASE("empty fields and a trailing comma are fields too") {
  auto records = parse_csv("a,,\n,\"\",b\n", "t.csv");
  CHECK(fields_of(records) == std::vector<std::vector<std::string>>{{"a", "", ""}, {"", "", "b"}});
}

TEST_CASE("empty lines are skipped and a byte order mark is dropped") {
  auto records = parse_csv("\xEF\xBB\xBFh\r\n\r\nv\n\n", "t.csv");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields[0] == "h");
  CHECK(records[1].fields[0] == "v");
  CHECK(records[1].line == 3);
}

TEST_CASE("what the writer writes the reader reads back") {
  std::vector<std::vector<std::string>> rows{{"id", "text"}, {"1", "a, \"b\"\r\nc"}, {"2", ""}};
  std::ostringstream out;
  CsvWriter w(out);
  for (const auto& r : rows) w.row(r);
  CHECK(fields_of(parse_csv(out.str(), "t.csv")) == rows);
}

TEST_CASE("a quote never closed is an error naming the line and column where it opened") {
  CHECK(error_of("a,b\nc,\"open\nmore") == "sheet.csv: line 2, column 2: quoted field is never closed");
}

TEST_CASE("a quote inside an unquoted field is an error naming line and column") {
  CHECK(error_of("a,b\nc,d\"e\n") ==
        "sheet.csv: line 2, column 2: quote inside an unquoted field (quote the whole field)");
}

TEST_CASE("text after a closing quote is an error naming line and column") {
  CHECK(error_of("\"a\"b,c\n") ==
        "sheet.csv: line 1, column 1: text after the closing quote (a quote inside a field must be doubled)");
}
