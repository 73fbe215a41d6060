// Tests of stats/proportion.h. Expected values from statsmodels 0.13:
//   statsmodels.stats.proportion.proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
#include <doctest/doctest.h>

#include "base/error.h"
#include "stats/proportion.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("the Wilson interval matches statsmodels") {
  // proportion_confint(295, 706, method="wilson") -> (0.382006605252181, 0.4545766225114969)
  WilsonInterval crash = wilson_interval(295, 706);
  REQUIRE(crash.ok);
  CHECK(crash.proportion == doctest::Approx(295.0 / 706.0));
  CHECK(crash.lower == doctest::Approx(0.382006605252181).epsilon(1e-12));
  CHECK(crash.upper == doctest::Approx(0.4545766225114969).epsilon(1e-12));
  // proportion_confint(7, 20, alpha=0.1, method="wilson") -> (0.202260040056761, 0.5334873111515284)
  WilsonInterval ninety = wilson_interval(7, 20, 0.9);
  CHECK(ninety.lower == doctest::Approx(0.202260040056761).epsilon(1e-12));
  CHECK(ninety.upper == doctest::Approx(0.5334873111515284).epsilon(1e-12));
  // proportion_confint(1, 3, alpha=0.01, method="wilson") -> (0.04042662929608465, 0.855783984952333)
  WilsonInterval small = wilson_interval(1, 3, 0.99);
  CHECK(small.lower == doctest::Approx(0.04042662929608465).epsilon(1e-12));
  CHECK(small.upper == doctest::Approx(0.855783984952333).epsilon(1e-12));
}

TEST_CASE("the Wilson interval stays inside 0 and 1 at the extremes") {
  // proportion_confint(0, 10, method="wilson") -> (0.0, 0.2775327998628892)
  WilsonInterval none = wilson_interval(0, 10);
  CHECK(none.lower == 0.0);
  CHECK(none.upper == doctest::Approx(0.2775327998628892).epsilon(1e-12));
  // proportion_confint(10, 10, method="wilson") -> (0.7224672001371107, 0.9999999999999999)
  WilsonInterval all = wilson_interval(10, 10);
  CHECK(all.lower == doctest::Approx(0.7224672001371107).epsilon(1e-12));
  CHECK(all.upper <= 1.0);
  CHECK(all.upper == doctest::Approx(1.0));
}

TEST_CASE("the Wilson interval of nothing is not computed") {
  WilsonInterval w = wilson_interval(0, 0);
  CHECK_FALSE(w.ok);
  CHECK(w.lower == 0);
  CHECK(w.upper == 0);
  CHECK(w.proportion == 0);
  CHECK_FALSE(w.note.empty());
}

TEST_CASE("successes outside 0..n or a confidence outside (0, 1) are a caller's mistake") {
  CHECK_THROWS_AS(wilson_interval(11, 10), Error);
  CHECK_THROWS_AS(wilson_interval(-1, 10), Error);
  CHECK_THROWS_AS(wilson_interval(1, 10, 1.0), Error);
  CHECK_THROWS_AS(wilson_interval(1, 10, 0.0), Error);
}
