// stats/multiple_testing.h — p-values adjusted for testing many hypotheses at once.
//
//   std::vector<double> q = benjamini_hochberg({0.01, 0.04, 0.03, 0.2});
//   // q[i] <= 0.05 keeps the expected share of false discoveries among the kept ones <= 5%
//
// Reading 45 adjusted residuals of one table at |r| > 1.96 makes a few "significant" cells by
// chance alone; adjusting their p-values controls that. Benjamini-Hochberg controls the false
// discovery rate (independent or positively dependent tests), as
// statsmodels.stats.multitest.multipletests(method="fdr_bh"): p_(i) m / i, made monotone from
// the largest down, capped at 1, returned in the input order. p-values outside [0, 1] (or
// NaN) are a caller's mistake: firstmile::Error.
#pragma once

#include <vector>

namespace firstmile::stats {

std::vector<double> benjamini_hochberg(const std::vector<double>& p_values);

// The two-sided p-value of a standard normal score, e.g. an adjusted residual: 2 P(Z > |z|).
double two_sided_normal_p_value(double z);

}  // namespace firstmile::stats
