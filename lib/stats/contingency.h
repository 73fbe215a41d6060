// stats/contingency.h — counts of two categorical variables.
//
//   ContingencyTable t({"Crash", "Hang"}, {"Config", "Env"});
//   t.add("Crash", "Env");                       // by label; or t.add(0, 1, weight)
//   t.at(0, 1) == 1; t.row_total(0) == 1; t.total() == 1;
//   NonEmptyTable kept = drop_empty_rows_and_columns(t);   // kept.dropped_rows == {"Hang"}, ...
//
// Counts are doubles so weighted counts work too; the usual case holds whole numbers. Labels
// keep the order given, which is the order tables and figures show.
#pragma once

#include <string>
#include <vector>

namespace firstmile::stats {

class ContingencyTable {
 public:
  ContingencyTable() = default;
  // All counts 0.
  ContingencyTable(std::vector<std::string> rows, std::vector<std::string> columns);
  // `counts[r][c]`; throws firstmile::Error when its shape differs from the labels'.
  ContingencyTable(std::vector<std::string> rows, std::vector<std::string> columns,
                   const std::vector<std::vector<double>>& counts);

  void add(size_t row, size_t column, double weight = 1.0);
  // False (and nothing added) when a label is unknown, so callers can count what fell outside.
  bool add(const std::string& row, const std::string& column, double weight = 1.0);

  double at(size_t row, size_t column) const { return counts_[row * columns_.size() + column]; }
  size_t rows() const { return rows_.size(); }
  size_t columns() const { return columns_.size(); }
  const std::vector<std::string>& row_labels() const { return rows_; }
  const std::vector<std::string>& column_labels() const { return columns_; }
  double row_total(size_t row) const;
  double column_total(size_t column) const;
  double total() const;
  std::vector<double> row(size_t row) const;
  std::vector<std::vector<double>> matrix() const;

 private:
  std::vector<std::string> rows_, columns_;
  std::vector<double> counts_;  // row-major
};

// A table without its all-zero rows and columns, and a record of what was dropped.
struct NonEmptyTable {
  ContingencyTable table;
  std::vector<size_t> kept_rows, kept_columns;             // indexes into the original table
  std::vector<std::string> dropped_rows, dropped_columns;  // labels, in the original order
};

// An all-zero row carries no information about association but would give expected counts of
// 0 (and so a division by zero) in a chi-square test; the tests drop such rows and columns.
NonEmptyTable drop_empty_rows_and_columns(const ContingencyTable& table);

}  // namespace firstmile::stats
