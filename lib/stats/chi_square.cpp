// stats/chi_square.cpp — the test, Cramér's V and adjusted residuals on the non-empty table.
#include "stats/chi_square.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <boost/math/distributions/chi_squared.hpp>

#include "base/error.h"

namespace firstmile::stats {

namespace {

std::string quoted_list(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& label : labels) out += (out.empty() ? "'" : ", '") + label + "'";
  return out;
}

std::string format_count(double n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15g", n);  // whole counts print without decimals
  return buffer;
}

void require_valid_counts(const ContingencyTable& table) {
  for (size_t r = 0; r < table.rows(); ++r) {
    for (size_t c = 0; c < table.columns(); ++c) {
      double count = table.at(r, c);
      if (!std::isfinite(count) || count < 0) {
        throw Error("chi-square test: count at '" + table.row_labels()[r] + "' x '" + table.column_labels()[c] +
                    "' is " + format_count(count) + "; counts must be finite and not negative");
      }
    }
  }
}

// The statistic (with Yates' correction when asked) and the uncorrected one (for Cramer's V),
// filling in the expected counts, the adjusted residuals and the small-expectation counts.
std::pair<double, double> fill_cells(const NonEmptyTable& kept, bool yates, ChiSquare& result) {
  const ContingencyTable& t = kept.table;
  double n = t.total();
  double statistic = 0, uncorrected = 0;
  result.min_expected = n;  // no expected count exceeds n
  for (size_t i = 0; i < t.rows(); ++i) {
    double row_share = t.row_total(i) / n;
    for (size_t j = 0; j < t.columns(); ++j) {
      double column_share = t.column_total(j) / n;
      double expected = n * row_share * column_share;  // > 0: row and column are non-empty
      double difference = t.at(i, j) - expected;
      uncorrected += difference * difference / expected;
      double shrunk = yates ? std::max(0.0, std::abs(difference) - 0.5) : difference;
      statistic += shrunk * shrunk / expected;
      result.min_expected = std::min(result.min_expected, expected);
      if (expected < 5) ++result.cells_expected_below_5;
      // The variance is 0 only when a row or column holds everything, which cannot happen with
      // two non-empty rows and columns; the guard keeps rounding from producing inf.
      double variance = expected * (1 - row_share) * (1 - column_share);
      size_t r = kept.kept_rows[i], c = kept.kept_columns[j];
      result.expected[r][c] = expected;
      result.adjusted_residuals[r][c] = variance > 0 ? difference / std::sqrt(variance) : 0.0;
    }
  }
  return {statistic, uncorrected};
}

}  // namespace

ChiSquare chi_square_test(const ContingencyTable& table, ChiSquareOptions options) {
  require_valid_counts(table);
  ChiSquare result;
  result.expected.assign(table.rows(), std::vector<double>(table.columns(), 0.0));
  result.adjusted_residuals = result.expected;
  result.n = table.total();

  NonEmptyTable kept = drop_empty_rows_and_columns(table);
  const ContingencyTable& t = kept.table;
  result.excluded_rows = kept.dropped_rows;
  result.excluded_columns = kept.dropped_columns;
  std::vector<std::string> notes;
  if (!kept.dropped_rows.empty())
    notes.push_back("all-zero rows excluded from the test: " + quoted_list(kept.dropped_rows));
  if (!kept.dropped_columns.empty()) {
    notes.push_back("all-zero columns excluded from the test: " + quoted_list(kept.dropped_columns));
  }
  auto finish = [&]() {
    for (const auto& line : notes) result.note += (result.note.empty() ? "" : "; ") + line;
    return result;
  };
  if (t.rows() < 2 || t.columns() < 2) {
    notes.insert(notes.begin(), "not computed: needs at least 2 non-empty rows and 2 non-empty columns; got " +
                                    std::to_string(t.rows()) + " x " + std::to_string(t.columns()) +
                                    " with n = " + format_count(result.n));
    return finish();
  }

  double n = t.total();
  bool yates = options.yates_correction && t.rows() == 2 && t.columns() == 2;
  auto [statistic, uncorrected] = fill_cells(kept, yates, result);
  result.ok = true;
  result.statistic = statistic;
  result.dof = static_cast<int>((t.rows() - 1) * (t.columns() - 1));
  boost::math::chi_squared distribution(result.dof);
  result.p_value = statistic > 0 ? boost::math::cdf(boost::math::complement(distribution, statistic)) : 1.0;
  double k = static_cast<double>(std::min(t.rows(), t.columns()) - 1);
  result.cramers_v = std::min(1.0, std::sqrt(uncorrected / (n * k)));
  if (result.cells_expected_below_5 > 0) {
    size_t cells = t.rows() * t.columns();
    char buffer[160];
    std::snprintf(buffer, sizeof buffer,
                  "%d of %zu expected counts (%.1f%%) are below 5; the chi-square approximation may be poor",
                  result.cells_expected_below_5, cells,
                  100.0 * result.cells_expected_below_5 / static_cast<double>(cells));
    notes.push_back(buffer);
  }
  return finish();
}

}  // namespace firstmile::stats
