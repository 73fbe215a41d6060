// stats/chi_square.h — Pearson's chi-square test of independence (or homogeneity).
//
//   ChiSquare r = chi_square_test(table);              // or {.yates_correction = true}
//   if (r.ok) { r.statistic; r.dof; r.p_value; r.cramers_v; r.adjusted_residuals[i][j]; }
//   else      { r.note says why it could not be computed }
//
// Matches scipy.stats.chi2_contingency(correction=False). Policy for degenerate tables, so
// that no field is ever NaN or infinite:
//  - all-zero rows and columns are excluded from the test (dof counts the rest); the note
//    names them, and their expected counts and residuals are reported as 0;
//  - fewer than 2 non-empty rows or columns (which covers n = 0) gives ok = false, a note
//    "needs at least 2 non-empty rows and 2 non-empty columns; got ...", every number 0
//    except p_value, which is 1 so that a printed p never looks significant.
// Negative or non-finite counts are a caller's mistake: firstmile::Error.
//
// Adjusted standardized residuals (Agresti): (O - E) / sqrt(E (1 - row share)(1 - column share)),
// roughly standard normal under independence, so |r| > 1.96 marks a cell over- or
// under-represented at the 5% level. Cramér's V = sqrt(chi2 / (n (min(rows, columns) - 1)))
// on the non-empty table, from the uncorrected statistic (as scipy.stats.contingency.association).
// Expected counts below 5 are counted and reported in the note, because the chi-square
// approximation then becomes unreliable (consider fisher_exact_test for 2x2).
#pragma once

#include <string>
#include <vector>

#include "stats/contingency.h"

namespace firstmile::stats {

struct ChiSquareOptions {
  // Yates' continuity correction, 2x2 tables only (dof 1), as scipy's correction=True:
  // each |O - E| shrinks by 0.5, but not past 0.
  bool yates_correction = false;
};

struct ChiSquare {
  bool ok = false;
  std::string note;  // why not computed; excluded labels; small expected counts
  double statistic = 0;
  int dof = 0;
  double p_value = 1;
  double cramers_v = 0;
  double n = 0;  // grand total of the input table
  double min_expected = 0;
  int cells_expected_below_5 = 0;
  // Same shape as the input table; excluded rows and columns hold 0.
  std::vector<std::vector<double>> expected;
  std::vector<std::vector<double>> adjusted_residuals;
  std::vector<std::string> excluded_rows, excluded_columns;  // the all-zero ones
};

ChiSquare chi_square_test(const ContingencyTable& table, ChiSquareOptions options = {});

}  // namespace firstmile::stats
