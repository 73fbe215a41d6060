// stats/agreement.h — agreement between annotators.
//
//   Kappa k = cohens_kappa(confusion);   // confusion[i][j]: items rater A put in i, rater B in j
//   k.kappa; k.observed; k.expected;
//
// Cohen's kappa = (observed - expected) / (1 - expected). When expected agreement is 1 (both
// raters used one category only) kappa is undefined: ok = false, kappa 1 if they agree fully.
#pragma once

#include <string>
#include <vector>

namespace firstmile::stats {

struct Kappa {
  bool ok = false;
  std::string note;
  double kappa = 0;
  double observed = 0;  // share of items on the diagonal
  double expected = 0;  // chance agreement from the margins
  double n = 0;
};

Kappa cohens_kappa(const std::vector<std::vector<double>>& confusion);

}  // namespace firstmile::stats
