// Tests of stats/divergence.h. Expected values from scipy 1.10:
//   scipy.spatial.distance.jensenshannon(p, q, base=...) ** 2   (it returns the distance)
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "base/error.h"
#include "stats/divergence.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("Jensen-Shannon divergence is 0 for identical distributions, counts or shares") {
  CHECK(jensen_shannon_divergence({1, 2, 3}, {1, 2, 3}).value == doctest::Approx(0.0));
  Divergence scaled = jensen_shannon_divergence({1, 2, 3}, {2, 4, 6});
  CHECK(scaled.ok);
  CHECK(scaled.value == doctest::Approx(0.0));
  CHECK(scaled.value >= 0);
}

TEST_CASE("Jensen-Shannon divergence is 1 bit for disjoint distributions") {
  CHECK(jensen_shannon_divergence({1, 0}, {0, 1}).value == doctest::Approx(1.0));
  CHECK(jensen_shannon_divergence({3, 5, 0, 0}, {0, 0, 2, 9}).value == doctest::Approx(1.0));
  // In nats the bound is ln 2.
  CHECK(jensen_shannon_divergence({1, 0}, {0, 1}, std::numbers::e).value == doctest::Approx(std::log(2.0)));
}

TEST_CASE("Jensen-Shannon divergence matches the square of scipy's distance") {
  // jensenshannon([1, 2, 3], [3, 2, 1], base=2) ** 2 -> 0.12581458369391144
  CHECK(jensen_shannon_divergence({1, 2, 3}, {3, 2, 1}).value == doctest::Approx(0.12581458369391144).epsilon(1e-12));
  // Series by symptom of the published study, with a zero count:
  // jensenshannon([25, 41, 17, 2, 1], [85, 32, 45, 9, 0], base=2) ** 2 -> 0.08025677890226736
  // jensenshannon(same) ** 2 (natural log) -> 0.05562976001692953
  CHECK(jensen_shannon_divergence({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0}).value ==
        doctest::Approx(0.08025677890226736).epsilon(1e-12));
  CHECK(jensen_shannon_divergence({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0}, std::numbers::e).value ==
        doctest::Approx(0.05562976001692953).epsilon(1e-12));
}

TEST_CASE("Jensen-Shannon divergence is symmetric") {
  CHECK(jensen_shannon_divergence({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0}).value ==
        doctest::Approx(jensen_shannon_divergence({85, 32, 45, 9, 0}, {25, 41, 17, 2, 1}).value).epsilon(1e-15));
}

TEST_CASE("an all-zero or empty distribution gives a clear not-computed result") {
  for (const Divergence& d : {jensen_shannon_divergence({0, 0}, {1, 2}), jensen_shannon_divergence({1, 2}, {0, 0}),
                              jensen_shannon_divergence({}, {})}) {
    CHECK_FALSE(d.ok);
    CHECK(d.value == 0);
    CHECK(d.note.find("empty") != std::string::npos);
  }
}

TEST_CASE("mismatched lengths, negative entries or a bad base are a caller's mistake") {
  CHECK_THROWS_AS(jensen_shannon_divergence({1, 2}, {1, 2, 3}), Error);
  CHECK_THROWS_AS(jensen_shannon_divergence({1, -2}, {1, 2}), Error);
  CHECK_THROWS_AS(jensen_shannon_divergence({1, 2}, {1, 2}, 1.0), Error);
}
