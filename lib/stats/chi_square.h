// stats/chi_square.h — Pearson's chi-square test of independence (or homogeneity).
//
//   ChiSquare r = chi_square_test(table);
//   if (r.ok) { r.statistic; r.dof; r.p_value; r.cramers_v; r.adjusted_residuals[i][j]; }
//   else      { r.note says why it could not be computed }
//
// As scipy.stats.chi2_contingency(correction=False) by default. All-zero rows and columns
// are left out of the test (the note names them; their residuals are 0); fewer than two
// non-empty rows or columns, or n = 0, give ok = false with every number 0, never NaN.
// Adjusted standardized residuals (Agresti): (O - E) / sqrt(E (1 - row share)(1 - column share));
// |r| > 1.96 marks a cell over- or under-represented at the 5% level.
#pragma once

#include <string>
#include <vector>

#include "stats/contingency.h"

namespace firstmile::stats {

struct ChiSquareOptions {
  bool yates_correction = false;  // 2x2 only, as scipy's correction=True
};

struct ChiSquare {
  bool ok = false;
  std::string note;   // why not computed, excluded labels, small expected counts
  double statistic = 0;
  int dof = 0;
  double p_value = 1;
  double cramers_v = 0;
  double n = 0;
  double min_expected = 0;
  int cells_expected_below_5 = 0;
  // Same shape as the input table (excluded rows and columns hold 0).
  std::vector<std::vector<double>> expected;
  std::vector<std::vector<double>> adjusted_residuals;
  std::vector<std::string> excluded_rows, excluded_columns;
};

ChiSquare chi_square_test(const ContingencyTable& table, ChiSquareOptions options = {});

}  // namespace firstmile::stats
