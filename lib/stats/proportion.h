// stats/proportion.h — confidence intervals for a proportion.
//
//   WilsonInterval w = wilson_interval(295, 706);   // 95%: w.lower, w.upper around 0.418
//
// The Wilson score interval stays inside [0, 1] and behaves at 0 and n, unlike the normal
// approximation (Wald), which collapses to a point there. Same as statsmodels'
// proportion_confint(method="wilson"). n = 0 gives ok = false and zeros; successes outside
// [0, n] or a confidence outside (0, 1) are a caller's mistake: firstmile::Error.
#pragma once

#include <string>

namespace firstmile::stats {

struct WilsonInterval {
  bool ok = false;
  std::string note;
  double proportion = 0, lower = 0, upper = 0;
};

WilsonInterval wilson_interval(double successes, double n, double confidence = 0.95);

}  // namespace firstmile::stats
