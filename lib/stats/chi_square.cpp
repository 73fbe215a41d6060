// stats/chi_square.cpp — the test, Cramér's V and adjusted residuals on the non-empty table.
#include "stats/chi_square.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <boost/math/distributions/chi_squared.hpp>

namespace firstmile::stats {

namespace {
std::string join_labels(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) out += (out.empty() ? "'" : ", '") + l + "'";
  return out;
}
}  // namespace

ChiSquare chi_square_test(const ContingencyTable& table, ChiSquareOptions options) {
  ChiSquare result;
  size_t rows = table.rows(), columns = table.columns();
  result.expected.assign(rows, std::vector<double>(columns, 0.0));
  result.adjusted_residuals.assign(rows, std::vector<double>(columns, 0.0));
  result.n = table.total();

  std::vector<size_t> kept_rows, kept_columns;
  ContingencyTable t = table.without_empty(&kept_rows, &kept_columns);
  for (size_t r = 0; r < rows; ++r) {
    if (std::find(kept_rows.begin(), kept_rows.end(), r) == kept_rows.end()) {
      result.excluded_rows.push_back(table.row_labels()[r]);
    }
  }
  for (size_t c = 0; c < columns; ++c) {
    if (std::find(kept_columns.begin(), kept_columns.end(), c) == kept_columns.end()) {
      result.excluded_columns.push_back(table.column_labels()[c]);
    }
  }
  std::vector<std::string> notes;
  if (!result.excluded_rows.empty()) notes.push_back("empty rows left out: " + join_labels(result.excluded_rows));
  if (!result.excluded_columns.empty()) {
    notes.push_back("empty columns left out: " + join_labels(result.excluded_columns));
  }
  auto finish = [&]() {
    std::string joined;
    for (const auto& n : notes) joined += (joined.empty() ? "" : "; ") + n;
    result.note = joined;
    return result;
  };
  if (result.n <= 0 || t.rows() < 2 || t.columns() < 2) {
    notes.insert(notes.begin(), "not computed: needs at least 2 non-empty rows and 2 non-empty columns; got " +
                                    std::to_string(t.rows()) + " x " + std::to_string(t.columns()) +
                                    " with n = " + std::to_string(static_cast<long long>(result.n)));
    return finish();
  }

  double n = t.total();
  bool yates = options.yates_correction && t.rows() == 2 && t.columns() == 2;
  double statistic = 0;
  result.min_expected = INFINITY;
  for (size_t i = 0; i < t.rows(); ++i) {
    double row_share = t.row_total(i) / n;
    for (size_t j = 0; j < t.columns(); ++j) {
      double column_share = t.column_total(j) / n;
      double expected = n * row_share * column_share;  // > 0: row and column are non-empty
      double difference = t.at(i, j) - expected;
      if (yates) difference = std::copysign(std::max(0.0, std::abs(difference) - 0.5), difference);
      statistic += difference * difference / expected;
      result.min_expected = std::min(result.min_expected, expected);
      if (expected < 5) ++result.cells_expected_below_5;
      double variance = expected * (1 - row_share) * (1 - column_share);
      size_t r = kept_rows[i], c = kept_columns[j];
      result.expected[r][c] = expected;
      result.adjusted_residuals[r][c] = variance > 0 ? (t.at(i, j) - expected) / std::sqrt(variance) : 0.0;
    }
  }
  result.ok = true;
  result.statistic = statistic;
  result.dof = static_cast<int>((t.rows() - 1) * (t.columns() - 1));
  boost::math::chi_squared distribution(result.dof);
  result.p_value = statistic > 0 ? boost::math::cdf(boost::math::complement(distribution, statistic)) : 1.0;
  double k = static_cast<double>(std::min(t.rows(), t.columns()) - 1);
  result.cramers_v = std::sqrt(statistic / (n * k));
  if (result.cells_expected_below_5 > 0) {
    size_t cells = t.rows() * t.columns();
    char buffer[160];
    std::snprintf(buffer, sizeof buffer,
                  "%d of %zu expected counts (%.1f%%) are below 5; the chi-square approximation may be poor",
                  result.cells_expected_below_5, cells, 100.0 * result.cells_expected_below_5 / static_cast<double>(cells));
    notes.push_back(buffer);
  }
  return finish();
}

}  // namespace firstmile::stats
