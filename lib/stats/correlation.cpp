// stats/correlation.cpp — product-moment correlation on values or ranks.
#include "stats/correlation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>

#include "base/error.h"

namespace firstmile::stats {

namespace {

void require_pairs(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size()) {
    throw Error("correlation: vectors of different lengths (" + std::to_string(x.size()) + " and " +
                std::to_string(y.size()) + ")");
  }
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      throw Error("correlation: value " + std::to_string(i + 1) + " is not a finite number");
    }
  }
}

}  // namespace

Correlation pearson_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  require_pairs(x, y);
  Correlation r;
  r.n = x.size();
  if (r.n < 3) {
    r.note = "not computed: needs at least 3 pairs, got " + std::to_string(r.n);
    return r;
  }
  // Exact equality, as scipy: a constant vector has no variance, and one whose mean rounds
  // differently would otherwise yield a meaningless coefficient from rounding noise.
  auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double value) { return value == v[0]; });
  };
  if (constant(x) || constant(y)) {
    r.note = "not computed: a vector is constant";
    return r;
  }
  double n = static_cast<double>(r.n);
  double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < r.n; ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
    syy += (y[i] - mean_y) * (y[i] - mean_y);
  }
  if (sxx <= 0 || syy <= 0) {
    r.note = "not computed: a vector is constant";
    return r;
  }
  r.ok = true;
  r.coefficient = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);  // rounding can step past 1
  double dof = n - 2;
  double remaining = 1 - r.coefficient * r.coefficient;
  if (remaining <= 0) {
    r.p_value = 0;
  } else {
    double t = r.coefficient * std::sqrt(dof / remaining);
    boost::math::students_t distribution(dof);
    r.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(distribution, std::abs(t))));
  }
  return r;
}

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    double average = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = average;
    i = j + 1;
  }
  return ranks;
}

Correlation spearman_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  require_pairs(x, y);
  return pearson_correlation(average_ranks(x), average_ranks(y));
}

Correlation correlation(const std::vector<double>& x, const std::vector<double>& y, CorrelationMethod method) {
  return method == CorrelationMethod::kPearson ? pearson_correlation(x, y) : spearman_correlation(x, y);
}

std::vector<std::vector<Correlation>> correlation_matrix(const std::vector<std::vector<double>>& rows,
                                                         CorrelationMethod method) {
  std::vector<std::vector<Correlation>> out(rows.size(), std::vector<Correlation>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = i; j < rows.size(); ++j) {
      out[i][j] = correlation(rows[i], rows[j], method);
      out[j][i] = out[i][j];
    }
  }
  return out;
}

}  // namespace firstmile::stats
