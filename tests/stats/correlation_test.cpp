// Tests of stats/correlation.h. Expected values from scipy 1.10: scipy.stats.pearsonr,
// scipy.stats.spearmanr and scipy.stats.rankdata.
#include <doctest/doctest.h>

#include <cmath>

#include "base/error.h"
#include "stats/correlation.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("Pearson correlation matches scipy") {
  // pearsonr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) -> 0.8, p 0.10408803866182785
  Correlation r = pearson_correlation({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5});
  REQUIRE(r.ok);
  CHECK(r.coefficient == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.10408803866182785).epsilon(1e-10));
  CHECK(r.n == 5);
  // The published study's series counts: pearsonr([25, 41, 17, 2, 1], [85, 32, 45, 9, 0])
  // -> 0.5689897247408942, p 0.31679083447374184
  Correlation series = pearson_correlation({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0});
  CHECK(series.coefficient == doctest::Approx(0.5689897247408942).epsilon(1e-12));
  CHECK(series.p_value == doctest::Approx(0.31679083447374184).epsilon(1e-10));
}

TEST_CASE("Pearson correlation is 1 or -1 with p = 0 on a line") {
  Correlation up = pearson_correlation({1, 2, 3}, {2, 4, 6});
  CHECK(up.coefficient == 1);
  CHECK(up.p_value == 0);
  // pearsonr([1, 2, 3, 4, 5], [10, 8, 6, 4, 2]) -> -1.0, p 0.0
  Correlation down = pearson_correlation({1, 2, 3, 4, 5}, {10, 8, 6, 4, 2});
  CHECK(down.coefficient == -1);
  CHECK(down.p_value == 0);
}

TEST_CASE("average ranks share ties as scipy's rankdata does") {
  // rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]) -> [4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8]
  CHECK(average_ranks({3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}) ==
        std::vector<double>{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8});
  CHECK(average_ranks({}).empty());
}

TEST_CASE("Spearman correlation averages the ranks of ties as scipy does") {
  // spearmanr([1, 2, 2, 3], [1, 2, 3, 4]) -> 0.9486832980505139, p 0.051316701949486114
  Correlation r = spearman_correlation({1, 2, 2, 3}, {1, 2, 3, 4});
  CHECK(r.coefficient == doctest::Approx(0.9486832980505139).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.051316701949486114).epsilon(1e-10));
  // spearmanr([25, 41, 17, 2, 1], [85, 32, 45, 9, 0]) -> 0.7, p 0.1881204043741873
  Correlation series = spearman_correlation({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0});
  CHECK(series.coefficient == doctest::Approx(0.7).epsilon(1e-12));
  CHECK(series.p_value == doctest::Approx(0.1881204043741873).epsilon(1e-10));
}

TEST_CASE("Spearman correlation is 1 for any increasing relation") {
  Correlation r = spearman_correlation({1, 2, 3, 4, 5}, {1, 4, 9, 16, 25});
  CHECK(r.coefficient == doctest::Approx(1.0));
  CHECK(std::isfinite(r.p_value));
  CHECK(r.p_value < 1e-20);
}

TEST_CASE("a constant vector gives no correlation and no NaN") {
  for (const Correlation& r :
       {pearson_correlation({1, 1, 1, 1}, {1, 2, 3, 4}), pearson_correlation({1, 2, 3, 4}, {0.1, 0.1, 0.1, 0.1}),
        spearman_correlation({1, 2, 3, 4}, {7, 7, 7, 7})}) {
    CHECK_FALSE(r.ok);
    CHECK(r.note.find("constant") != std::string::npos);
    CHECK(r.coefficient == 0);
    CHECK(r.p_value == 1);
  }
}

TEST_CASE("fewer than three pairs give no correlation and no NaN") {
  Correlation two = spearman_correlation({1, 2}, {2, 1});
  CHECK_FALSE(two.ok);
  CHECK(two.note.find("at least 3 pairs") != std::string::npos);
  CHECK(two.coefficient == 0);
  CHECK_FALSE(pearson_correlation({}, {}).ok);
}

TEST_CASE("vectors of different lengths or with NaN are a caller's mistake") {
  CHECK_THROWS_AS(pearson_correlation({1, 2, 3}, {1, 2}), Error);
  CHECK_THROWS_AS(spearman_correlation({1, 2, 3}, {1, 2}), Error);
  CHECK_THROWS_AS(pearson_correlation({1, 2, NAN}, {1, 2, 3}), Error);
}

TEST_CASE("the correlation matrix is symmetric with 1 on the diagonal and matches pairwise calls") {
  std::vector<std::vector<double>> rows{{25, 41, 17, 2, 1}, {85, 32, 45, 9, 0}, {185, 167, 75, 8, 14}};
  auto m = correlation_matrix(rows, CorrelationMethod::kPearson);
  REQUIRE(m.size() == 3);
  for (size_t a = 0; a < 3; ++a) {
    CHECK(m[a][a].coefficient == doctest::Approx(1.0));
    for (size_t b = 0; b < 3; ++b) {
      CHECK(m[a][b].coefficient == m[b][a].coefficient);
      CHECK(m[a][b].coefficient == doctest::Approx(pearson_correlation(rows[a], rows[b]).coefficient));
    }
  }
  auto s = correlation_matrix(rows, CorrelationMethod::kSpearman);
  CHECK(s[0][1].coefficient == doctest::Approx(0.7).epsilon(1e-12));
}

TEST_CASE("a constant row in the correlation matrix is marked not computed") {
  auto m = correlation_matrix({{1, 2, 3}, {4, 4, 4}}, CorrelationMethod::kPearson);
  CHECK(m[0][0].ok);
  CHECK_FALSE(m[0][1].ok);
  CHECK_FALSE(m[1][1].ok);
  CHECK(m[1][1].coefficient == 0);
}
