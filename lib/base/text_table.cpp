// base/text_table.cpp — column widths and padding.
#include "base/text_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace firstmile {

size_t display_width(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string format_percent(double share, int decimals) {
  if (!std::isfinite(share)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f%%", decimals, share * 100.0);
  return buffer;
}

TextTable::TextTable(std::vector<std::string> header) : header_(std::move(header)), right_(header_.size(), false) {}

void TextTable::align_right(size_t column) {
  if (column < right_.size()) right_[column] = true;
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::print(std::ostream& out, const std::string& indent) const {
  std::vector<size_t> width(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string text = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - display_width(row[i]), ' ');
      if (i) text += "  ";
      text += right_[i] ? pad + row[i] : (i + 1 == row.size() ? row[i] : row[i] + pad);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(header_);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& row : rows_) line(row);
}

}  // namespace firstmile
