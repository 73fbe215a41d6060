// stats/correlation.h — Pearson and Spearman correlation with two-sided p-values.
//
//   Correlation r = pearson_correlation({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0});
//   r.coefficient; r.p_value;          // as scipy.stats.pearsonr / spearmanr
//   auto m = correlation_matrix(series_rows, CorrelationMethod::kPearson);   // pairwise
//
// Spearman is Pearson on ranks, ties sharing their average rank (scipy.stats.spearmanr).
// Two-sided p-values come from Student's t with n - 2 degrees of freedom, as scipy; |r| = 1
// gives p = 0. Fewer than 3 pairs or a constant vector give ok = false, coefficient 0,
// p-value 1 and a note — never NaN. Vectors of different lengths or with non-finite values
// are a caller's mistake: firstmile::Error.
#pragma once

#include <string>
#include <vector>

namespace firstmile::stats {

struct Correlation {
  bool ok = false;
  std::string note;
  double coefficient = 0;
  double p_value = 1;
  size_t n = 0;
};

enum class CorrelationMethod { kPearson, kSpearman };

Correlation pearson_correlation(const std::vector<double>& x, const std::vector<double>& y);
Correlation spearman_correlation(const std::vector<double>& x, const std::vector<double>& y);
Correlation correlation(const std::vector<double>& x, const std::vector<double>& y, CorrelationMethod method);

// 1-based average ranks ("fractional ranking"), as scipy.stats.rankdata.
std::vector<double> average_ranks(const std::vector<double>& values);

// Pairwise correlations of the rows; the diagonal is 1 for rows that are not constant.
std::vector<std::vector<Correlation>> correlation_matrix(const std::vector<std::vector<double>>& rows,
                                                         CorrelationMethod method);

}  // namespace firstmile::stats
