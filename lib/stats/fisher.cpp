// stats/fisher.cpp — Fisher's exact test through Boost's hypergeometric distribution.
#include "stats/fisher.h"

#include <algorithm>

#include <boost/math/distributions/hypergeometric.hpp>

namespace firstmile::stats {

FisherExact fisher_exact_test(uint64_t a, uint64_t b, uint64_t c, uint64_t d, Alternative alternative) {
  FisherExact result;
  double ad = static_cast<double>(a) * static_cast<double>(d), bc = static_cast<double>(b) * static_cast<double>(c);
  if (bc > 0) {
    result.odds_ratio = ad / bc;
  } else if (ad > 0) {
    result.odds_ratio_infinite = true;
  } else {
    result.odds_ratio_undefined = true;
  }
  uint64_t total = a + b + c + d;
  uint64_t row1 = a + b, column1 = a + c;
  if (total == 0 || row1 == 0 || row1 == total || column1 == 0 || column1 == total) {
    result.p_value = 1.0;  // a margin is zero: every table with these margins is the observed one
    return result;
  }
  // X = a follows Hypergeometric(r = column 1 total, n = row 1 total, N = total).
  boost::math::hypergeometric_distribution<double> h(static_cast<unsigned>(column1), static_cast<unsigned>(row1),
                                                     static_cast<unsigned>(total));
  uint64_t low = row1 + column1 > total ? row1 + column1 - total : 0;
  uint64_t high = std::min(row1, column1);
  auto pmf = [&](uint64_t x) { return boost::math::pdf(h, static_cast<unsigned>(x)); };
  double sum = 0;
  switch (alternative) {
    case Alternative::kLess:
      for (uint64_t x = low; x <= a; ++x) sum += pmf(x);
      break;
    case Alternative::kGreater:
      for (uint64_t x = a; x <= high; ++x) sum += pmf(x);
      break;
    case Alternative::kTwoSided: {
      double observed = pmf(a) * (1 + 1e-7);
      for (uint64_t x = low; x <= high; ++x) {
        double p = pmf(x);
        if (p <= observed) sum += p;
      }
      break;
    }
  }
  result.p_value = std::min(1.0, sum);
  return result;
}

}  // namespace firstmile::stats
