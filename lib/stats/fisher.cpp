// stats/fisher.cpp — Fisher's exact test through Boost's hypergeometric distribution.
#include "stats/fisher.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/hypergeometric.hpp>

#include "base/error.h"

namespace firstmile::stats {

namespace {

using Hypergeometric = boost::math::hypergeometric_distribution<double>;

// Sum of the probabilities of every x' with pmf(x') <= pmf(x) (1 + 1e-7). The pmf rises to its
// mode and falls after it, so those x' form two tails: the one holding x, and on the far side
// of the mode the tail beyond the first x' that is no more probable. Finding that point by
// bisection and summing both tails with Boost's cdf costs O(log n) pmf calls, where summing
// the pmf over the whole support took seconds for totals in the thousands. This is scipy's
// algorithm.
double two_sided(const Hypergeometric& h, unsigned x, unsigned low, unsigned high) {
  double threshold = boost::math::pdf(h, x) * (1 + 1e-7);
  auto row1 = static_cast<double>(h.sample_count()), column1 = static_cast<double>(h.defective());
  auto total = static_cast<double>(h.total());
  auto mode = static_cast<unsigned>(std::floor((row1 + 1) * (column1 + 1) / (total + 2)));
  mode = std::clamp(mode, low, high);
  // Every table is then no more probable than the observed one (which ties with the mode).
  if (boost::math::pdf(h, mode) <= threshold) return 1.0;
  if (x < mode) {
    // First k in (mode, high] with pmf(k) <= threshold, if any: pmf falls over that range.
    unsigned first = mode, last = high;  // invariant: the answer, if any, lies in (first, last]
    if (boost::math::pdf(h, high) > threshold) return boost::math::cdf(h, x);
    while (last - first > 1) {
      unsigned middle = first + (last - first) / 2;
      (boost::math::pdf(h, middle) <= threshold ? last : first) = middle;
    }
    return boost::math::cdf(h, x) + boost::math::cdf(boost::math::complement(h, last - 1));
  }
  // Last k in [low, mode) with pmf(k) <= threshold, if any: pmf rises over that range.
  unsigned first = low, last = mode;  // invariant: the answer, if any, lies in [first, last)
  double upper_tail = boost::math::cdf(boost::math::complement(h, x - 1));  // x > mode >= low
  if (boost::math::pdf(h, low) > threshold) return upper_tail;
  while (last - first > 1) {
    unsigned middle = first + (last - first) / 2;
    (boost::math::pdf(h, middle) <= threshold ? first : last) = middle;
  }
  return upper_tail + boost::math::cdf(h, first);
}

}  // namespace

FisherExact fisher_exact_test(uint64_t a, uint64_t b, uint64_t c, uint64_t d, Alternative alternative) {
  uint64_t total = a + b + c + d;
  if (total > std::numeric_limits<unsigned>::max() || total < a) {
    throw Error("Fisher's exact test: the table's total is too large (more than " +
                std::to_string(std::numeric_limits<unsigned>::max()) + ")");
  }
  FisherExact result;
  uint64_t row1 = a + b, column1 = a + c;
  bool zero_margin = row1 == 0 || row1 == total || column1 == 0 || column1 == total;
  if (zero_margin) {
    result.odds_ratio_undefined = true;
    result.note = "odds ratio undefined: a row or column of the table is all zero";
    return result;  // p = 1: with a zero margin, the observed table is the only possible one
  }
  double ad = static_cast<double>(a) * static_cast<double>(d), bc = static_cast<double>(b) * static_cast<double>(c);
  if (bc > 0) {
    result.odds_ratio = ad / bc;
  } else {
    result.odds_ratio_infinite = true;  // bc = 0 with non-zero margins implies ad > 0
    result.note = "odds ratio infinite: b * c = 0";
  }

  // X = a ~ Hypergeometric(r = column 1 total, n = row 1 total, N = total).
  Hypergeometric h(static_cast<unsigned>(column1), static_cast<unsigned>(row1), static_cast<unsigned>(total));
  auto x = static_cast<unsigned>(a);
  // The support of X: Boost rejects arguments outside it.
  auto low = static_cast<unsigned>(row1 + column1 > total ? row1 + column1 - total : 0);
  auto high = static_cast<unsigned>(std::min(row1, column1));
  double p = 1;
  switch (alternative) {
    case Alternative::kLess: p = boost::math::cdf(h, x); break;
    case Alternative::kGreater: p = x == low ? 1.0 : boost::math::cdf(boost::math::complement(h, x - 1)); break;
    case Alternative::kTwoSided: p = two_sided(h, x, low, high); break;
  }
  result.p_value = std::clamp(p, 0.0, 1.0);
  return result;
}

}  // namespace firstmile::stats
