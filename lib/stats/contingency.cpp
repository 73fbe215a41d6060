// stats/contingency.cpp — a dense row-major table of counts.
#include "stats/contingency.h"

#include <utility>

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

void ContingencyTable::add(size_t row, size_t column, double weight) {
  counts_[row * columns_.size() + column] += weight;
}

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

NonEmptyTable drop_empty_rows_and_columns(const ContingencyTable& table) {
  NonEmptyTable out;
  std::vector<std::string> row_labels, column_labels;
  for (size_t r = 0; r < table.rows(); ++r) {
    if (table.row_total(r) > 0) {
      out.kept_rows.push_back(r);
      row_labels.push_back(table.row_labels()[r]);
    } else {
      out.dropped_rows.push_back(table.row_labels()[r]);
    }
  }
  for (size_t c = 0; c < table.columns(); ++c) {
    if (table.column_total(c) > 0) {
      out.kept_columns.push_back(c);
      column_labels.push_back(table.column_labels()[c]);
    } else {
      out.dropped_columns.push_back(table.column_labels()[c]);
    }
  }
  out.table = ContingencyTable(std::move(row_labels), std::move(column_labels));
  for (size_t i = 0; i < out.kept_rows.size(); ++i) {
    for (size_t j = 0; j < out.kept_columns.size(); ++j)
      out.table.add(i, j, table.at(out.kept_rows[i], out.kept_columns[j]));
  }
  return out;
}

}  // namespace firstmile::stats
