// stats/contingency.h — counts of two categorical variables.
//
//   ContingencyTable t({"Crash", "Hang"}, {"Config", "Env"});
//   t.add("Crash", "Env");
//   t.at(0, 1) == 1; t.row_total(0) == 1; t.total() == 1;
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
  ContingencyTable(std::vector<std::string> rows, std::vector<std::string> columns);
  // `counts[r][c]`; throws firstmile::Error when its shape differs from the labels'.
  ContingencyTable(std::vector<std::string> rows, std::vector<std::string> columns,
                   const std::vector<std::vector<double>>& counts);

  void add(size_t row, size_t column, double weight = 1.0);
  // False (and nothing added) when a label is unknown.
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

  // The table without all-zero rows and columns; `kept_rows`/`kept_columns` receive the
  // indexes (into this table) of what stayed.
  ContingencyTable without_empty(std::vector<size_t>* kept_rows, std::vector<size_t>* kept_columns) const;

 private:
  std::vector<std::string> rows_, columns_;
  std::vector<double> counts_;  // row-major
};

}  // namespace firstmile::stats
