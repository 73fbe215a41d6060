// stats/proportion.cpp — the Wilson score interval.
#include "stats/proportion.h"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "base/error.h"

namespace firstmile::stats {

WilsonInterval wilson_interval(double successes, double n, double confidence) {
  // Written so that NaN fails the checks too.
  if (!(confidence > 0 && confidence < 1)) throw Error("Wilson interval: confidence must be in (0, 1)");
  if (!(successes >= 0 && successes <= n) || !std::isfinite(n)) {
    throw Error("Wilson interval: successes must be between 0 and n");
  }
  WilsonInterval w;
  if (n <= 0) {
    w.note = "not computed: n = 0";
    return w;
  }
  double z = boost::math::quantile(boost::math::normal(), 1 - (1 - confidence) / 2);
  double p = successes / n, z2 = z * z;
  double denominator = 1 + z2 / n;
  double center = (p + z2 / (2 * n)) / denominator;
  double half = z / denominator * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  w.ok = true;
  w.proportion = p;
  w.lower = std::max(0.0, center - half);
  w.upper = std::min(1.0, center + half);
  return w;
}

}  // namespace firstmile::stats
