// stats/divergence.cpp — JSD through the mixture, in natural logs, then converted to `base`.
#include "stats/divergence.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/error.h"

namespace firstmile::stats {

Divergence jensen_shannon_divergence(const std::vector<double>& p, const std::vector<double>& q, double base) {
  if (p.size() != q.size()) {
    throw Error("Jensen-Shannon divergence: distributions of different lengths (" + std::to_string(p.size()) + " and " +
                std::to_string(q.size()) + ")");
  }
  if (!(base > 1) || !std::isfinite(base)) throw Error("Jensen-Shannon divergence: the base must be above 1");
  for (size_t i = 0; i < p.size(); ++i) {
    if (!std::isfinite(p[i]) || !std::isfinite(q[i]) || p[i] < 0 || q[i] < 0) {
      throw Error("Jensen-Shannon divergence: entry " + std::to_string(i + 1) + " is negative or not a finite number");
    }
  }
  Divergence d;
  double sum_p = std::accumulate(p.begin(), p.end(), 0.0), sum_q = std::accumulate(q.begin(), q.end(), 0.0);
  if (sum_p <= 0 || sum_q <= 0) {
    d.note = "not computed: a distribution is empty or all zero";
    return d;
  }
  double value = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    double a = p[i] / sum_p, b = q[i] / sum_q, m = (a + b) / 2;
    // m >= a / 2 and m >= b / 2, so the logs are finite whenever their weight is non-zero.
    if (a > 0) value += 0.5 * a * std::log(a / m);
    if (b > 0) value += 0.5 * b * std::log(b / m);
  }
  d.ok = true;
  // Rounding can leave a tiny negative for identical inputs, or a hair above the bound ln 2.
  d.value = std::clamp(value, 0.0, std::log(2.0)) / std::log(base);
  return d;
}

}  // namespace firstmile::stats
