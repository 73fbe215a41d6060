// base/text_table.h — aligned tables for the terminal.
//
//   TextTable t({"Series", "Count", "Share"});
//   t.align_right(1); t.align_right(2);
//   t.add_row({"Qwen", "449", "63.6%"});
//   t.print(std::cout);
//
// Widths count UTF-8 code points, so Chinese titles do not push columns apart by bytes
// (wide glyphs still take two cells on most terminals; good enough for a report).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace firstmile {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);
  void align_right(size_t column);
  void add_row(std::vector<std::string> cells);
  void print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of UTF-8 code points.
size_t display_width(const std::string& text);

// "3.14" with `decimals` digits after the point.
std::string format_fixed(double value, int decimals);

// "63.6%" from a share in [0, 1]; "-" when the total was zero.
std::string format_percent(double share, int decimals = 1);

}  // namespace firstmile
