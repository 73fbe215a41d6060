// Tests of stats/multiple_testing.h. Expected values from statsmodels 0.13:
//   statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]; scipy.stats.norm.sf.
#include <doctest/doctest.h>

#include <cmath>

#include "base/error.h"
#include "stats/multiple_testing.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("Benjamini-Hochberg adjusted p-values match statsmodels, in the input order") {
  // multipletests([0.01, 0.04, 0.03, 0.2, 0.001, 0.04], method="fdr_bh")[1]
  //   -> [0.03, 0.048, 0.048, 0.2, 0.006, 0.048]
  std::vector<double> q = benjamini_hochberg({0.01, 0.04, 0.03, 0.2, 0.001, 0.04});
  std::vector<double> expected{0.03, 0.048, 0.048, 0.2, 0.006, 0.048};
  REQUIRE(q.size() == expected.size());
  for (size_t i = 0; i < q.size(); ++i) CHECK(q[i] == doctest::Approx(expected[i]).epsilon(1e-12));
}

TEST_CASE("Benjamini-Hochberg never lowers a p-value and caps at 1") {
  std::vector<double> p{0.9, 0.5, 0.99, 0.7};
  std::vector<double> q = benjamini_hochberg(p);
  for (size_t i = 0; i < p.size(); ++i) {
    CHECK(q[i] >= p[i]);
    CHECK(q[i] <= 1);
  }
  CHECK(benjamini_hochberg({}).empty());
  CHECK(benjamini_hochberg({0.03}) == std::vector<double>{0.03});
}

TEST_CASE("a p-value outside 0..1 is a caller's mistake") {
  CHECK_THROWS_AS(benjamini_hochberg({0.1, 1.5}), Error);
  CHECK_THROWS_AS(benjamini_hochberg({NAN}), Error);
}

TEST_CASE("the two-sided normal p-value of an adjusted residual matches scipy") {
  // 2 * norm.sf(1.96) -> 0.04999579029644087; 2 * norm.sf(4.5) -> 6.795346249460107e-06
  CHECK(two_sided_normal_p_value(1.96) == doctest::Approx(0.04999579029644087).epsilon(1e-12));
  CHECK(two_sided_normal_p_value(-4.5) == doctest::Approx(6.795346249460107e-06).epsilon(1e-10));
  CHECK(two_sided_normal_p_value(0) == 1);
  CHECK(two_sided_normal_p_value(INFINITY) == 0);
}
