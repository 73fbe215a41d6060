// stats/fisher.h — Fisher's exact test on a 2x2 table.
//
//   FisherExact f = fisher_exact_test(3, 1, 1, 3);   // [[a, b], [c, d]]
//   f.p_value == 0.4857142857...;  f.odds_ratio == 9
//
// As scipy.stats.fisher_exact: the two-sided p-value sums the probabilities (hypergeometric,
// margins fixed) of every table no more probable than the observed one, with scipy's relative
// tolerance of 1e-7. The sample odds ratio ad/bc is infinite when bc = 0 < ad (flagged, not a
// NaN) and undefined when both are 0.
#pragma once

#include <cstdint>

namespace firstmile::stats {

enum class Alternative { kTwoSided, kLess, kGreater };

struct FisherExact {
  double p_value = 1;
  double odds_ratio = 0;        // 0 when infinite or undefined; see the flags
  bool odds_ratio_infinite = false;
  bool odds_ratio_undefined = false;
};

FisherExact fisher_exact_test(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                              Alternative alternative = Alternative::kTwoSided);

}  // namespace firstmile::stats
