// Tests of stats/chi_square.h. Expected values come from scipy 1.10:
//   chi2, p, dof, E = scipy.stats.chi2_contingency(table, correction=False)
// and the adjusted residuals from numpy as (O - E) / sqrt(E (1 - row share)(1 - column share)).
#include <doctest/doctest.h>

#include <cmath>

#include "base/error.h"
#include "stats/chi_square.h"

using namespace firstmile;
using namespace firstmile::stats;

namespace {

ContingencyTable table(const std::vector<std::vector<double>>& counts) {
  std::vector<std::string> rows, columns;
  for (size_t i = 0; i < counts.size(); ++i) rows.push_back("r" + std::to_string(i));
  for (size_t j = 0; j < (counts.empty() ? 0 : counts[0].size()); ++j) columns.push_back("c" + std::to_string(j));
  return ContingencyTable(rows, columns, counts);
}

bool all_finite(const ChiSquare& r) {
  bool finite = std::isfinite(r.statistic) && std::isfinite(r.p_value) && std::isfinite(r.cramers_v) &&
                std::isfinite(r.min_expected) && std::isfinite(r.n);
  for (const auto* matrix : {&r.adjusted_residuals, &r.expected}) {
    for (const auto& row : *matrix) {
      for (double v : row) finite = finite && std::isfinite(v);
    }
  }
  return finite;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("chi-square on a 2x2 table matches scipy without continuity correction") {
  // chi2_contingency([[10, 20], [30, 40]], correction=False) -> 0.7936507936507936, p 0.37299848361348686
  ChiSquare r = chi_square_test(table({{10, 20}, {30, 40}}));
  REQUIRE(r.ok);
  CHECK(r.statistic == doctest::Approx(0.7936507936507936).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.37299848361348686).epsilon(1e-10));
  CHECK(r.dof == 1);
  CHECK(r.n == 100);
  CHECK(r.expected == std::vector<std::vector<double>>{{12, 18}, {28, 42}});
  CHECK(r.adjusted_residuals[0][0] == doctest::Approx(-0.8908708063747481).epsilon(1e-12));
  CHECK(r.cramers_v == doctest::Approx(std::sqrt(0.7936507936507936 / 100)).epsilon(1e-12));
  CHECK(r.note.empty());
}

TEST_CASE("the Yates correction on a 2x2 table matches scipy's correction=True") {
  // chi2_contingency([[10, 20], [30, 40]], correction=True) -> 0.4464285714285714, p 0.5040358664525046
  ChiSquare r = chi_square_test(table({{10, 20}, {30, 40}}), {.yates_correction = true});
  CHECK(r.statistic == doctest::Approx(0.4464285714285714).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.5040358664525046).epsilon(1e-10));
  // Effect size and residuals describe the data, not the corrected test.
  CHECK(r.cramers_v == doctest::Approx(std::sqrt(0.7936507936507936 / 100)).epsilon(1e-12));
  CHECK(r.adjusted_residuals[0][0] == doctest::Approx(-0.8908708063747481).epsilon(1e-12));
}

TEST_CASE("the Yates correction does not shrink a difference past zero") {
  // chi2_contingency([[5, 5], [5, 6]], correction=True) -> 0.0, p 1.0 (every |O - E| < 0.5)
  ChiSquare r = chi_square_test(table({{5, 5}, {5, 6}}), {.yates_correction = true});
  CHECK(r.statistic == 0);
  CHECK(r.p_value == 1);
}

TEST_CASE("the Yates correction leaves tables larger than 2x2 alone") {
  ChiSquare plain = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}));
  ChiSquare corrected = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}), {.yates_correction = true});
  CHECK(corrected.statistic == plain.statistic);
}

TEST_CASE("chi-square on a 2x3 table matches scipy") {
  // chi2_contingency([[12, 5, 3], [7, 9, 14]]) -> 7.8919725785050865, p 0.019332139881962362, dof 2
  ChiSquare r = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}));
  CHECK(r.statistic == doctest::Approx(7.8919725785050865).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.019332139881962362).epsilon(1e-10));
  CHECK(r.dof == 2);
  CHECK(r.expected[1][2] == doctest::Approx(10.2));
  CHECK(r.adjusted_residuals[0][0] == doctest::Approx(2.616823374383936).epsilon(1e-12));
  CHECK(r.adjusted_residuals[0][2] == doctest::Approx(-2.315696009735914).epsilon(1e-12));
  CHECK(r.min_expected == doctest::Approx(5.6));
}

TEST_CASE("adjusted residuals reproduce Agresti's party identification by gender example") {
  // Agresti, An Introduction to Categorical Data Analysis (2nd ed.), table 2.5: adjusted
  // residuals 4.50, 0.70, -5.32 for females. chi2_contingency -> 30.070149095754672,
  // p 2.9535891832117595e-07; association(method="cramer") -> 0.10443580235646777.
  ChiSquare r = chi_square_test(ContingencyTable({"female", "male"}, {"Democrat", "Independent", "Republican"},
                                                 {{762, 327, 468}, {484, 239, 477}}));
  CHECK(r.statistic == doctest::Approx(30.070149095754672).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(2.9535891832117595e-07).epsilon(1e-9));
  CHECK(r.cramers_v == doctest::Approx(0.10443580235646777).epsilon(1e-12));
  CHECK(r.adjusted_residuals[0][0] == doctest::Approx(4.502053521086705).epsilon(1e-12));
  CHECK(r.adjusted_residuals[0][1] == doctest::Approx(0.6994517329844296).epsilon(1e-12));
  CHECK(r.adjusted_residuals[0][2] == doctest::Approx(-5.315945542704929).epsilon(1e-12));
  CHECK(r.adjusted_residuals[1][2] == doctest::Approx(5.315945542704929).epsilon(1e-12));
}

TEST_CASE("small expected counts are counted and reported with their share") {
  // chi2_contingency([[3, 8, 1], [10, 2, 6], [4, 4, 9]]) -> 14.961655372933487,
  // p 0.0047814107650604575; 3 of 9 expected counts below 5, the smallest 3.574468085106383.
  ChiSquare r = chi_square_test(table({{3, 8, 1}, {10, 2, 6}, {4, 4, 9}}));
  REQUIRE(r.ok);
  CHECK(r.statistic == doctest::Approx(14.961655372933487).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.0047814107650604575).epsilon(1e-10));
  CHECK(r.cells_expected_below_5 == 3);
  CHECK(r.min_expected == doctest::Approx(3.574468085106383).epsilon(1e-12));
  CHECK(r.note == "3 of 9 expected counts (33.3%) are below 5; the chi-square approximation may be poor");
}

TEST_CASE("scaling every count scales the statistic but not Cramer's V") {
  ChiSquare once = chi_square_test(table({{3, 8, 1}, {10, 2, 6}}));
  ChiSquare weighted = chi_square_test(table({{1.5, 4, 0.5}, {5, 1, 3}}));
  CHECK(weighted.statistic == doctest::Approx(once.statistic / 2).epsilon(1e-12));
  CHECK(weighted.cramers_v == doctest::Approx(once.cramers_v).epsilon(1e-12));
}

TEST_CASE("an all-zero row is excluded from the test and named in the note") {
  ChiSquare with_zero = chi_square_test(table({{12, 5, 3}, {0, 0, 0}, {7, 9, 14}}));
  ChiSquare without = chi_square_test(table({{12, 5, 3}, {7, 9, 14}}));
  REQUIRE(with_zero.ok);
  CHECK(with_zero.statistic == doctest::Approx(without.statistic).epsilon(1e-14));
  CHECK(with_zero.p_value == doctest::Approx(without.p_value).epsilon(1e-14));
  CHECK(with_zero.dof == 2);
  CHECK(with_zero.excluded_rows == std::vector<std::string>{"r1"});
  CHECK(contains(with_zero.note, "all-zero rows excluded from the test: 'r1'"));
  CHECK(with_zero.adjusted_residuals[1] == std::vector<double>{0, 0, 0});
  CHECK(with_zero.expected[1] == std::vector<double>{0, 0, 0});
  CHECK(with_zero.adjusted_residuals[2][2] == doctest::Approx(without.adjusted_residuals[1][2]));
  CHECK(all_finite(with_zero));
}

TEST_CASE("an all-zero column is excluded from the test and named in the note") {
  ChiSquare r = chi_square_test(table({{12, 0, 5, 3}, {7, 0, 9, 14}}));
  REQUIRE(r.ok);
  CHECK(r.dof == 2);
  CHECK(r.statistic == doctest::Approx(7.8919725785050865).epsilon(1e-12));
  CHECK(r.excluded_columns == std::vector<std::string>{"c1"});
  CHECK(contains(r.note, "all-zero columns excluded from the test: 'c1'"));
  CHECK(r.adjusted_residuals[0][1] == 0);
  CHECK(all_finite(r));
}

TEST_CASE("n = 0 is not computable, with a message and no NaN") {
  ChiSquare r = chi_square_test(table({{0, 0}, {0, 0}}));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.note, "needs at least 2 non-empty rows and 2 non-empty columns; got 0 x 0 with n = 0"));
  CHECK(r.statistic == 0);
  CHECK(r.dof == 0);
  CHECK(r.cramers_v == 0);
  CHECK(r.p_value == 1);
  CHECK(all_finite(r));
}

TEST_CASE("a single row is not computable, with a message and no NaN") {
  ChiSquare r = chi_square_test(table({{1, 2, 3}}));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.note, "needs at least 2 non-empty rows and 2 non-empty columns; got 1 x 3 with n = 6"));
  CHECK(r.statistic == 0);
  CHECK(r.adjusted_residuals == std::vector<std::vector<double>>{{0, 0, 0}});
  CHECK(all_finite(r));
}

TEST_CASE("a single column is not computable, with a message and no NaN") {
  ChiSquare r = chi_square_test(table({{1}, {2}, {3}}));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.note, "got 3 x 1"));
  CHECK(all_finite(r));
}

TEST_CASE("a table that is one row after dropping zeros is not computable and says what was dropped") {
  ChiSquare r = chi_square_test(table({{5, 2}, {0, 0}}));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.note, "got 1 x 2 with n = 7"));
  CHECK(contains(r.note, "all-zero rows excluded from the test: 'r1'"));
  CHECK(all_finite(r));
}

TEST_CASE("a table without labels is not computable") {
  ChiSquare r = chi_square_test(ContingencyTable());
  CHECK_FALSE(r.ok);
  CHECK(r.expected.empty());
  CHECK(all_finite(r));
}

TEST_CASE("independent counts give a statistic of zero and a p-value of one") {
  ChiSquare r = chi_square_test(table({{10, 20}, {20, 40}}));
  REQUIRE(r.ok);
  CHECK(r.statistic == doctest::Approx(0.0));
  CHECK(r.p_value == 1.0);
  CHECK(r.cramers_v == doctest::Approx(0.0));
}

TEST_CASE("a negative count is a caller's mistake") {
  CHECK_THROWS_AS(chi_square_test(table({{1, -2}, {3, 4}})), Error);
}
