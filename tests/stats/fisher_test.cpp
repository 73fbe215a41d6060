// Tests of stats/fisher.h. Expected values from scipy 1.10:
//   scipy.stats.fisher_exact([[a, b], [c, d]], alternative=...)
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "base/error.h"
#include "stats/fisher.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("Fisher's exact test reproduces the tea-tasting example") {
  // Fisher's lady tasting tea, 3 of 4 cups right: two-sided p = 34/70 = 0.4857142857.
  FisherExact f = fisher_exact_test(3, 1, 1, 3);
  CHECK(f.p_value == doctest::Approx(34.0 / 70.0).epsilon(1e-12));
  CHECK(f.odds_ratio == 9);
  CHECK(f.note.empty());
  // One-sided: P(X >= 3) = 17/70, P(X <= 3) = 69/70.
  CHECK(fisher_exact_test(3, 1, 1, 3, Alternative::kGreater).p_value == doctest::Approx(17.0 / 70.0).epsilon(1e-12));
  CHECK(fisher_exact_test(3, 1, 1, 3, Alternative::kLess).p_value == doctest::Approx(69.0 / 70.0).epsilon(1e-12));
}

TEST_CASE("Fisher's exact test matches scipy for each alternative") {
  // fisher_exact([[8, 2], [1, 5]]): two-sided 0.034965034965034975, less 0.9991258741258742,
  // greater 0.024475524475524483, odds ratio 20
  CHECK(fisher_exact_test(8, 2, 1, 5).p_value == doctest::Approx(0.034965034965034975).epsilon(1e-12));
  CHECK(fisher_exact_test(8, 2, 1, 5, Alternative::kLess).p_value ==
        doctest::Approx(0.9991258741258742).epsilon(1e-12));
  CHECK(fisher_exact_test(8, 2, 1, 5, Alternative::kGreater).p_value ==
        doctest::Approx(0.024475524475524483).epsilon(1e-12));
  CHECK(fisher_exact_test(8, 2, 1, 5).odds_ratio == doctest::Approx(20.0));
}

TEST_CASE("Fisher's two-sided p-value adds the far tail when the observed table is below the mode") {
  // fisher_exact([[1, 9], [11, 3]]): two-sided 0.0027594561852200836, less 0.0013797280926100418
  // fisher_exact([[2, 7], [8, 2]]): two-sided 0.02301413756522116, less 0.01852172595206651
  CHECK(fisher_exact_test(1, 9, 11, 3).p_value == doctest::Approx(0.0027594561852200836).epsilon(1e-12));
  CHECK(fisher_exact_test(1, 9, 11, 3, Alternative::kLess).p_value ==
        doctest::Approx(0.0013797280926100418).epsilon(1e-12));
  CHECK(fisher_exact_test(2, 7, 8, 2).p_value == doctest::Approx(0.02301413756522116).epsilon(1e-12));
  CHECK(fisher_exact_test(2, 7, 8, 2).odds_ratio == doctest::Approx(0.07142857142857142).epsilon(1e-12));
}

TEST_CASE("Fisher's exact test handles large counts") {
  // fisher_exact([[500, 300], [200, 700]]): two-sided 3.3668799205659866e-65,
  // greater 2.8600290723645197e-65, odds ratio 5.833333333333333
  FisherExact f = fisher_exact_test(500, 300, 200, 700);
  CHECK(f.p_value == doctest::Approx(3.3668799205659866e-65).epsilon(1e-9));
  CHECK(fisher_exact_test(500, 300, 200, 700, Alternative::kGreater).p_value ==
        doctest::Approx(2.8600290723645197e-65).epsilon(1e-9));
  CHECK(fisher_exact_test(500, 300, 200, 700, Alternative::kLess).p_value == doctest::Approx(1.0));
  CHECK(f.odds_ratio == doctest::Approx(35.0 / 6.0).epsilon(1e-12));
}

TEST_CASE("Fisher's exact test flags an infinite odds ratio instead of returning inf") {
  // fisher_exact([[5, 0], [0, 5]]) -> (inf, 0.007936507936507938); greater 0.003968253968253969
  FisherExact f = fisher_exact_test(5, 0, 0, 5);
  CHECK(f.odds_ratio_infinite);
  CHECK_FALSE(f.odds_ratio_undefined);
  CHECK(f.odds_ratio == 0);
  CHECK(f.note.find("infinite") != std::string::npos);
  CHECK(f.p_value == doctest::Approx(0.007936507936507938).epsilon(1e-12));
  CHECK(fisher_exact_test(5, 0, 0, 5, Alternative::kGreater).p_value ==
        doctest::Approx(0.003968253968253969).epsilon(1e-12));
  CHECK(fisher_exact_test(5, 0, 0, 5, Alternative::kLess).p_value == doctest::Approx(1.0));
}

TEST_CASE("Fisher's exact test with one zero cell matches scipy") {
  // fisher_exact([[7, 0], [3, 4]]) -> (inf, 0.06993006993006992); greater 0.03496503496503496
  FisherExact f = fisher_exact_test(7, 0, 3, 4);
  CHECK(f.odds_ratio_infinite);
  CHECK(f.p_value == doctest::Approx(0.06993006993006992).epsilon(1e-12));
  CHECK(fisher_exact_test(7, 0, 3, 4, Alternative::kGreater).p_value ==
        doctest::Approx(0.03496503496503496).epsilon(1e-12));
  // fisher_exact([[0, 10], [10, 0]]) -> (0.0, 1.082508822446903e-05); less 5.412544112234515e-06
  FisherExact zero = fisher_exact_test(0, 10, 10, 0);
  CHECK(zero.odds_ratio == 0);
  CHECK_FALSE(zero.odds_ratio_infinite);
  CHECK(zero.p_value == doctest::Approx(1.082508822446903e-05).epsilon(1e-12));
  CHECK(fisher_exact_test(0, 10, 10, 0, Alternative::kLess).p_value ==
        doctest::Approx(5.412544112234515e-06).epsilon(1e-12));
}

TEST_CASE("a zero margin gives p = 1 and an undefined odds ratio, never NaN") {
  // scipy: fisher_exact([[0, 0], [3, 4]]) -> (nan, 1.0)
  for (const auto& t : std::vector<std::vector<uint64_t>>{{0, 0, 3, 4}, {2, 0, 5, 0}, {0, 0, 0, 0}}) {
    FisherExact f = fisher_exact_test(t[0], t[1], t[2], t[3]);
    CHECK(f.p_value == 1);
    CHECK(f.odds_ratio_undefined);
    CHECK(f.odds_ratio == 0);
    CHECK(std::isfinite(f.odds_ratio));
    CHECK_FALSE(f.note.empty());
  }
}

TEST_CASE("the observed table at the mode gives a two-sided p-value of one") {
  CHECK(fisher_exact_test(5, 5, 5, 5).p_value == 1);
}

TEST_CASE("a table too large for the hypergeometric distribution is rejected") {
  CHECK_THROWS_AS(fisher_exact_test(uint64_t{1} << 32, 1, 1, 1), Error);
}
