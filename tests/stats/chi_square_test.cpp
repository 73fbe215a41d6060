// Tests of stats/chi_square.h on small tables (expected values from scipy 1.10's
// chi2_contingency) and on degenerate tables.
#include <doctest/doctest.h>

#include <cmath>

#include "stats/chi_square.h"

using namespace firstmile::stats;

namespace {
ContingencyTable table(std::vector<std::vector<double>> counts) {
  std::vector<std::string> rows, columns;
  for (size_t i = 0; i < counts.size(); ++i) rows.push_back("r" + std::to_string(i));
  for (size_t j = 0; j < counts[0].size(); ++j) columns.push_back("c" + std::to_string(j));
  return ContingencyTable(rows, columns, counts);
}

bool all_finite(const ChiSquare& r) {
  bool ok = std::isfinite(r.statistic) && std::isfinite(r.p_value) && std::isfinite(r.cramers_v) &&
            std::isfinite(r.min_expected);
  for (const auto& row : r.adjusted_residuals) {
    for (double v : row) ok = ok && std::isfinite(v);
  }
  for (const auto& row : r.expected) {
    for (double v : row) ok = ok && std::isfinite(v);
  }
  return ok;
}
}  // namespace

TEST_CASE("chi-square on a 2x2 table matches scipy without continuity correction") {
  // chi2_contingency([[10, 20], [30, 40]], correction=False) -> 0.7936507936507936, p 0.37299848361348686
  ChiSquare r = chi_square_test(table({{10, 20}, {30, 40}}));
  REQUIRE(r.ok);
  CHECK(r.statistic == doctest::Approx(0.7936507936507936).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.37299848361348686).epsilon(1e-10));
  CHECK(r.dof == 1);
  CHECK(r.cramers_v == doctest::Approx(std::sqrt(0.7936507936507936 / 100)).epsilon(1e-12));
}

TEST_CASE("the Yates correction applies to a 2x2 table as scipy's correction=True") {
  // chi2_contingency([[10, 20], [30, 40]], correction=True) -> 0.4464285714285714, p 0.5040358664525046
  ChiSquare r = chi_square_test(table({{10, 20}, {30, 40}}), {.yates_correction = true});
  CHECK(r.statistic == doctest::Approx(0.4464285714285714).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.5040358664525046).epsilon(1e-10));
}

TEST_CASE("chi-square on a 2x3 table matches scipy, with residuals that sum to zero by row") {
  // chi2_contingency([[12, 5, 3], [7, 9, 14]]) -> 7.8919725785050865, p 0.019332139881962362, dof 2
  ChiSquare r = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}));
  CHECK(r.statistic == doctest::Approx(7.8919725785050865).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.019332139881962362).epsilon(1e-10));
  CHECK(r.dof == 2);
  // With two rows the adjusted residuals of a column are equal and opposite.
  for (size_t c = 0; c < 3; ++c) CHECK(r.adjusted_residuals[0][c] == doctest::Approx(-r.adjusted_residuals[1][c]));
  CHECK(r.expected[0][0] == doctest::Approx(20.0 * 19.0 / 50.0));
}

TEST_CASE("small expected counts give a warning that says how many") {
  ChiSquare r = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}));
  CHECK(r.cells_expected_below_5 == 0);
  ChiSquare small = chi_square_test(table({{3, 1}, {1, 3}}));
  REQUIRE(small.ok);
  CHECK(small.cells_expected_below_5 == 4);
  CHECK(small.note.find("4 of 4 expected counts (100.0%) are below 5") != std::string::npos);
}

TEST_CASE("an all-zero row is left out of the test and named in the note") {
  ChiSquare with_zero = chi_square_test(table({{12, 5, 3}, {0, 0, 0}, {7, 9, 14}}));
  ChiSquare without = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}));
  REQUIRE(with_zero.ok);
  CHECK(with_zero.statistic == doctest::Approx(without.statistic));
  CHECK(with_zero.dof == 2);
  CHECK(with_zero.excluded_rows == std::vector<std::string>{"r1"});
  CHECK(with_zero.note.find("empty rows left out: 'r1'") != std::string::npos);
  CHECK(with_zero.adjusted_residuals[1] == std::vector<double>{0, 0, 0});
  CHECK(all_finite(with_zero));
}

TEST_CASE("an all-zero column is left out of the test") {
  ChiSquare r = chi_square_test(table({{12, 0, 5, 3}, {7, 0, 9, 14}}));
  REQUIRE(r.ok);
  CHECK(r.dof == 2);
  CHECK(r.excluded_columns == std::vector<std::string>{"c1"});
  CHECK(all_finite(r));
}

TEST_CASE("a single row, a single column or n = 0 is not computable, with a message and no NaN") {
  for (const auto& counts : std::vector<std::vector<std::vector<double>>>{
           {{1, 2, 3}}, {{1}, {2}, {3}}, {{0, 0}, {0, 0}}, {{5, 0}, {0, 0}}}) {
    ChiSquare r = chi_square_test(table(counts));
    CHECK_FALSE(r.ok);
    CHECK(r.note.find("needs at least 2 non-empty rows and 2 non-empty columns") != std::string::npos);
    CHECK(r.statistic == 0);
    CHECK(r.p_value == 1);
    CHECK(all_finite(r));
  }
}

TEST_CASE("independent counts give a statistic of zero and a p-value of one") {
  ChiSquare r = chi_square_test(table({{10, 20}, {20, 40}}));
  REQUIRE(r.ok);
  CHECK(r.statistic == doctest::Approx(0.0));
  CHECK(r.p_value == 1.0);
  CHECK(r.cramers_v == doctest::Approx(0.0));
}
