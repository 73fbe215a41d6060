// stats/agreement.cpp — Cohen's kappa from a square confusion matrix.
#include "stats/agreement.h"

#include "base/error.h"

namespace firstmile::stats {

Kappa cohens_kappa(const std::vector<std::vector<double>>& confusion) {
  size_t k = confusion.size();
  for (const auto& row : confusion) {
    if (row.size() != k) throw Error("Cohen's kappa: the confusion matrix must be square");
  }
  Kappa result;
  std::vector<double> rows(k, 0), columns(k, 0);
  double diagonal = 0;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j) {
      rows[i] += confusion[i][j];
      columns[j] += confusion[i][j];
      result.n += confusion[i][j];
    }
    diagonal += confusion[i][i];
  }
  if (result.n <= 0) {
    result.note = "not computed: no items";
    return result;
  }
  result.observed = diagonal / result.n;
  for (size_t i = 0; i < k; ++i) result.expected += rows[i] * columns[i] / (result.n * result.n);
  if (result.expected >= 1) {
    result.note = "undefined: both raters used a single category";
    result.kappa = result.observed >= 1 ? 1 : 0;
    return result;
  }
  result.ok = true;
  result.kappa = (result.observed - result.expected) / (1 - result.expected);
  return result;
}

}  // namespace firstmile::stats
