// Tests of Fisher's exact test, correlations, Jensen-Shannon divergence, Wilson intervals and
// Cohen's kappa on hand-checkable inputs (expected values from scipy 1.10 where noted).
#include <doctest/doctest.h>

#include <cmath>

#include "base/error.h"
#include "stats/agreement.h"
#include "stats/correlation.h"
#include "stats/divergence.h"
#include "stats/fisher.h"
#include "stats/proportion.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("Fisher's exact test reproduces the tea-tasting example") {
  FisherExact f = fisher_exact_test(3, 1, 1, 3);
  CHECK(f.p_value == doctest::Approx(0.48571428571428565).epsilon(1e-12));
  CHECK(f.odds_ratio == doctest::Approx(9.0));
}

TEST_CASE("Fisher's exact test matches scipy for each alternative") {
  // fisher_exact([[8, 2], [1, 5]]): two-sided 0.034965034965034975, less 0.9991258741258742,
  // greater 0.024475524475524483, odds ratio 20
  CHECK(fisher_exact_test(8, 2, 1, 5).p_value == doctest::Approx(0.034965034965034975).epsilon(1e-12));
  CHECK(fisher_exact_test(8, 2, 1, 5, Alternative::kLess).p_value == doctest::Approx(0.9991258741258742).epsilon(1e-12));
  CHECK(fisher_exact_test(8, 2, 1, 5, Alternative::kGreater).p_value ==
        doctest::Approx(0.024475524475524483).epsilon(1e-12));
  CHECK(fisher_exact_test(8, 2, 1, 5).odds_ratio == doctest::Approx(20.0));
}

TEST_CASE("Fisher's exact test flags an infinite odds ratio instead of returning inf") {
  // fisher_exact([[5, 0], [0, 5]]) -> (inf, 0.007936507936507938)
  FisherExact f = fisher_exact_test(5, 0, 0, 5);
  CHECK(f.odds_ratio_infinite);
  CHECK(f.odds_ratio == 0);
  CHECK(f.p_value == doctest::Approx(0.007936507936507938).epsilon(1e-12));
  FisherExact empty = fisher_exact_test(0, 0, 0, 0);
  CHECK(empty.odds_ratio_undefined);
  CHECK(empty.p_value == 1.0);
}

TEST_CASE("Pearson correlation matches scipy and is exact for a line") {
  // pearsonr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) -> 0.8, p 0.10408803866182785
  Correlation r = pearson_correlation({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5});
  CHECK(r.coefficient == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.10408803866182785).epsilon(1e-10));
  Correlation line = pearson_correlation({1, 2, 3}, {2, 4, 6});
  CHECK(line.coefficient == doctest::Approx(1.0));
  CHECK(line.p_value == 0.0);
}

TEST_CASE("Spearman correlation averages the ranks of ties as scipy does") {
  // spearmanr([1, 2, 2, 3], [1, 2, 3, 4]) -> 0.9486832980505139, p 0.051316701949486114
  CHECK(average_ranks({1, 2, 2, 3}) == std::vector<double>{1, 2.5, 2.5, 4});
  Correlation r = spearman_correlation({1, 2, 2, 3}, {1, 2, 3, 4});
  CHECK(r.coefficient == doctest::Approx(0.9486832980505139).epsilon(1e-12));
  CHECK(r.p_value == doctest::Approx(0.051316701949486114).epsilon(1e-10));
}

TEST_CASE("a constant vector or fewer than three pairs give no correlation and no NaN") {
  Correlation constant = pearson_correlation({1, 1, 1, 1}, {1, 2, 3, 4});
  CHECK_FALSE(constant.ok);
  CHECK(constant.note.find("constant") != std::string::npos);
  CHECK(constant.coefficient == 0);
  CHECK(std::isfinite(constant.p_value));
  CHECK_FALSE(spearman_correlation({1, 2}, {2, 1}).ok);
  CHECK_THROWS_AS(pearson_correlation({1, 2, 3}, {1, 2}), Error);
}

TEST_CASE("Jensen-Shannon divergence is 0 for identical, 1 bit for disjoint distributions") {
  CHECK(jensen_shannon_divergence({1, 2, 3}, {2, 4, 6}).value == doctest::Approx(0.0));
  CHECK(jensen_shannon_divergence({1, 0}, {0, 1}).value == doctest::Approx(1.0));
  // scipy: jensenshannon([1, 2, 3], [3, 2, 1], base=2) ** 2 -> 0.12581458369391144
  CHECK(jensen_shannon_divergence({1, 2, 3}, {3, 2, 1}).value == doctest::Approx(0.12581458369391144).epsilon(1e-12));
  Divergence empty = jensen_shannon_divergence({0, 0}, {1, 2});
  CHECK_FALSE(empty.ok);
  CHECK(empty.value == 0);
}

// Expected values: the Wilson closed form evaluated in Python with scipy.stats.norm.ppf.
TEST_CASE("Wilson intervals match the closed form and stay inside 0 and 1") {
  WilsonInterval none = wilson_interval(0, 10);
  CHECK(none.lower == 0.0);
  CHECK(none.upper == doctest::Approx(0.2775327998628892).epsilon(1e-9));
  WilsonInterval crash = wilson_interval(295, 706);
  CHECK(crash.lower == doctest::Approx(0.38200660525218105).epsilon(1e-9));
  CHECK(crash.upper == doctest::Approx(0.45457662251149683).epsilon(1e-9));
  WilsonInterval ninety = wilson_interval(7, 20, 0.9);
  CHECK(ninety.lower == doctest::Approx(0.202260040056761).epsilon(1e-9));
  CHECK_FALSE(wilson_interval(0, 0).ok);
}

TEST_CASE("Cohen's kappa is 0.4 on the textbook table, 1 for perfect agreement") {
  Kappa k = cohens_kappa({{20, 5}, {10, 15}});
  CHECK(k.observed == doctest::Approx(0.7));
  CHECK(k.expected == doctest::Approx(0.5));
  CHECK(k.kappa == doctest::Approx(0.4));
  CHECK(cohens_kappa({{10, 0}, {0, 10}}).kappa == doctest::Approx(1.0));
  Kappa single = cohens_kappa({{10, 0}, {0, 0}});
  CHECK_FALSE(single.ok);
  CHECK(single.kappa == 1.0);
  CHECK_FALSE(cohens_kappa({{0, 0}, {0, 0}}).ok);
}
