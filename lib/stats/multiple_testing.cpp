// stats/multiple_testing.cpp — the Benjamini-Hochberg step-up adjustment.
#include "stats/multiple_testing.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>

#include "base/error.h"

namespace firstmile::stats {

std::vector<double> benjamini_hochberg(const std::vector<double>& p_values) {
  for (size_t i = 0; i < p_values.size(); ++i) {
    if (!(p_values[i] >= 0 && p_values[i] <= 1)) {
      throw Error("Benjamini-Hochberg: p-value " + std::to_string(i + 1) + " is not between 0 and 1");
    }
  }
  size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running_min = 1;
  // From the largest p down: a smaller p never gets a larger adjusted value than a larger one.
  for (size_t rank = m; rank >= 1; --rank) {
    size_t i = order[rank - 1];
    running_min = std::min(running_min, p_values[i] * static_cast<double>(m) / static_cast<double>(rank));
    adjusted[i] = running_min;
  }
  return adjusted;
}

double two_sided_normal_p_value(double z) {
  if (std::isnan(z)) throw Error("two-sided normal p-value: the score is not a number");
  if (std::isinf(z)) return 0;
  return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::abs(z))));
}

}  // namespace firstmile::stats
