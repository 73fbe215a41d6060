// stats/contingency.cpp — a dense row-major table of counts.
#include "stats/contingency.h"

#include "base/error.h"

namespace firstmile::stats {

ContingencyTable::ContingencyTable(std::vector<std::string> rows, std::vector<std::string> columns)
    : rows_(std::move(rows)), columns_(std::move(columns)), counts_(rows_.size() * columns_.size(), 0.0) {}

ContingencyTable::ContingencyTable(std::vector<std::string> rows, std::vector<std::string> columns,
                                   const std::vector<std::vector<double>>& counts)
    : ContingencyTable(std::move(rows), std::move(columns)) {
  if (counts.size() != rows_.size()) {
    throw Error("contingency table: " + std::to_string(counts.size()) + " rows of counts for " +
                std::to_string(rows_.size()) + " row labels");
  }
  for (size_t r = 0; r < counts.size(); ++r) {
    if (counts[r].size() != columns_.size()) {
      throw Error("contingency table: row " + std::to_string(r + 1) + " has " + std::to_string(counts[r].size()) +
                  " counts for " + std::to_string(columns_.size()) + " columns");
    }
    for (size_t c = 0; c < counts[r].size(); ++c) add(r, c, counts[r][c]);
  }
}

void ContingencyTable::add(size_t row, size_t column, double weight) { counts_[row * columns_.size() + column] += weight; }

bool ContingencyTable::add(const std::string& row, const std::string& column, double weight) {
  size_t r = 0, c = 0;
  while (r < rows_.size() && rows_[r] != row) ++r;
  while (c < columns_.size() && columns_[c] != column) ++c;
  if (r == rows_.size() || c == columns_.size()) return false;
  add(r, c, weight);
  return true;
}

double ContingencyTable::row_total(size_t row) const {
  double sum = 0;
  for (size_t c = 0; c < columns_.size(); ++c) sum += at(row, c);
  return sum;
}

double ContingencyTable::column_total(size_t column) const {
  double sum = 0;
  for (size_t r = 0; r < rows_.size(); ++r) sum += at(r, column);
  return sum;
}

double ContingencyTable::total() const {
  double sum = 0;
  for (double v : counts_) sum += v;
  return sum;
}

std::vector<double> ContingencyTable::row(size_t row) const {
  return std::vector<double>(counts_.begin() + static_cast<std::ptrdiff_t>(row * columns_.size()),
                             counts_.begin() + static_cast<std::ptrdiff_t>((row + 1) * columns_.size()));
}

std::vector<std::vector<double>> ContingencyTable::matrix() const {
  std::vector<std::vector<double>> out;
  for (size_t r = 0; r < rows_.size(); ++r) out.push_back(row(r));
  return out;
}

ContingencyTable ContingencyTable::without_empty(std::vector<size_t>* kept_rows, std::vector<size_t>* kept_columns) const {
  std::vector<size_t> rs, cs;
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (row_total(r) > 0) rs.push_back(r);
  }
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (column_total(c) > 0) cs.push_back(c);
  }
  std::vector<std::string> row_names, column_names;
  for (size_t r : rs) row_names.push_back(rows_[r]);
  for (size_t c : cs) column_names.push_back(columns_[c]);
  ContingencyTable out(row_names, column_names);
  for (size_t i = 0; i < rs.size(); ++i) {
    for (size_t j = 0; j < cs.size(); ++j) out.add(i, j, at(rs[i], cs[j]));
  }
  if (kept_rows) *kept_rows = rs;
  if (kept_columns) *kept_columns = cs;
  return out;
}

}  // namespace firstmile::stats
