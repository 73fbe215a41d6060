// stats/divergence.h — Jensen-Shannon divergence between two distributions.
//
//   Divergence d = jensen_shannon_divergence({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0});
//   d.value;   // in bits (base 2): 0 for identical distributions, 1 for disjoint ones
//
// Inputs are counts or probabilities; each is normalised to sum 1 (0 log 0 = 0). This is the
// divergence, not the distance: scipy.spatial.distance.jensenshannon returns its square root.
// An all-zero vector gives ok = false and value 0.
#pragma once

#include <string>
#include <vector>

namespace firstmile::stats {

struct Divergence {
  bool ok = false;
  std::string note;
  double value = 0;
};

Divergence jensen_shannon_divergence(const std::vector<double>& p, const std::vector<double>& q, double base = 2.0);

}  // namespace firstmile::stats
