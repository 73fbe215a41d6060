// classify/routing.cpp — expected gain per dimension, the largest routed first.
#include "classify/routing.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace firstmile {

RouteGain route_gain(const Classification& c, const LlmAccuracy& llm) {
  std::vector<std::pair<double, std::string>> gains;
  for (const DimensionDecision* d : {&c.stage, &c.symptom, &c.root_cause}) {
    auto it = llm.find(d->dimension);
    if (it == llm.end() || d->node.empty()) continue;
    double gain = it->second - std::min(d->confidence, 1.0);
    if (gain > 0) gains.emplace_back(gain, d->dimension);
  }
  std::stable_sort(gains.begin(), gains.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  RouteGain g;
  for (const auto& [gain, dimension] : gains) {
    g.total += gain;
    g.dimensions.push_back(dimension);
  }
  return g;
}

std::vector<size_t> pick_routes(const std::vector<double>& gains, size_t allowed) {
  std::vector<size_t> order(gains.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return gains[a] > gains[b]; });
  std::vector<size_t> out;
  for (size_t i : order) {
    if (out.size() >= allowed || gains[i] <= 0) break;
    out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace firstmile
