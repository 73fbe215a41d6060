// stats/fisher.h — Fisher's exact test on a 2x2 table.
//
//   FisherExact f = fisher_exact_test(3, 1, 1, 3);   // [[a, b], [c, d]]: Fisher's tea tasting
//   f.p_value == 0.4857142857...;  f.odds_ratio == 9
//   fisher_exact_test(8, 2, 1, 5, Alternative::kGreater).p_value;   // one-sided
//
// As scipy.stats.fisher_exact. With the margins fixed, a follows a hypergeometric
// distribution; `less` is P(X <= a), `greater` is P(X >= a), and the two-sided p-value sums the
// probabilities of every table no more probable than the observed one. "No more probable"
// allows a relative tolerance of 1e-7 (as R's fisher.test), so tables that tie with the
// observed one up to rounding count; scipy 1.10 uses 1e-14, which differs only for tables
// within 1e-7 of a tie. A zero margin gives p = 1 (every table is the observed one).
//
// The sample odds ratio ad/bc is infinite when bc = 0 < ad and undefined when a margin is 0
// (scipy: inf and NaN); here both are flags with odds_ratio 0 and a note — never inf or NaN.
#pragma once

#include <cstdint>
#include <string>

namespace firstmile::stats {

enum class Alternative { kTwoSided, kLess, kGreater };

struct FisherExact {
  double p_value = 1;
  double odds_ratio = 0;  // ad/bc; 0 when infinite or undefined, see the flags
  bool odds_ratio_infinite = false;
  bool odds_ratio_undefined = false;
  std::string note;  // says why the odds ratio is not a number, when it is not
};

// Throws firstmile::Error when the total exceeds 2^32 - 1 (Boost's hypergeometric limit).
FisherExact fisher_exact_test(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                              Alternative alternative = Alternative::kTwoSided);

}  // namespace firstmile::stats
