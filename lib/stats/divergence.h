// stats/divergence.h — Jensen-Shannon divergence between two distributions.
//
//   Divergence d = jensen_shannon_divergence({25, 41, 17, 2, 1}, {85, 32, 45, 9, 0});
//   d.value;   // in bits (base 2): 0 for identical distributions, 1 for disjoint ones
//
// JSD(p, q) = (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2. Inputs are counts or
// probabilities; each is normalised to sum 1, and 0 log 0 = 0. This is the divergence, not the
// distance: scipy.spatial.distance.jensenshannon(p, q, base=2) returns the distance, its
// square root. The reference statistics (shared/reference, "jsd_base2") hold the divergence,
// i.e. jensenshannon(...) ** 2, which is what this returns.
// An empty or all-zero vector gives ok = false, value 0 and a note. Different lengths, negative
// or non-finite entries, or a base that is not above 1 are a caller's mistake: firstmile::Error.
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
