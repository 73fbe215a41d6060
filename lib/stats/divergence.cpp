// stats/divergence.cpp — JSD = (KL(p || m) + KL(q || m)) / 2 with m the mixture.
#include "stats/divergence.h"

#include <cmath>
#include <numeric>

#include "base/error.h"

namespace firstmile::stats {

Divergence jensen_shannon_divergence(const std::vector<double>& p, const std::vector<double>& q, double base) {
  if (p.size() != q.size()) {
    throw Error("Jensen-Shannon divergence: distributions of different lengths (" + std::to_string(p.size()) +
                " and " + std::to_string(q.size()) + ")");
  }
  Divergence d;
  double sum_p = std::accumulate(p.begin(), p.end(), 0.0), sum_q = std::accumulate(q.begin(), q.end(), 0.0);
  if (sum_p <= 0 || sum_q <= 0) {
    d.note = "not computed: a distribution is empty";
    return d;
  }
  double value = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    double a = p[i] / sum_p, b = q[i] / sum_q, m = (a + b) / 2;
    if (a > 0) value += 0.5 * a * std::log(a / m);
    if (b > 0) value += 0.5 * b * std::log(b / m);
  }
  d.ok = true;
  d.value = std::max(0.0, value / std::log(base));
  return d;
}

}  // namespace firstmile::stats
