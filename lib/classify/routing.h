// classify/routing.h — which reports hybrid classification sends to the LLM: the expected gain.
//
//   LlmAccuracy llm = rules.llm_accuracy();                  // taxonomy/rules/routing.json
//   RouteGain g = route_gain(classification, llm);           // g.total, g.dimensions
//   std::vector<size_t> routed = pick_routes(gains, 300);     // the 300 largest positive gains
//
// Asking the LLM pays where it is more likely right than the rules. Per dimension that is
// P(LLM right) - P(rules right at this margin): the first from the routing block of the rules
// (the top-level accuracy a capable LLM reached with these prompts on reports it had not seen),
// the second the rules' calibrated confidence (`firstmile calibrate --folds K`: held-out
// accuracy at the margin). A report's gain is the sum over the dimensions where it is
// positive; routing takes the largest gains first, up to a share of the reports (--max-route),
// so the LLM sees the reports where its answer is most likely to change a label for the
// better, the symptom as much as the root cause. The LLM's answer then replaces only those
// dimensions: where the rules are surer than the LLM, their label stays.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "classify/classifier.h"

namespace firstmile {

// Top-level accuracy of the LLM per dimension ("stage", "symptom", "root_cause").
using LlmAccuracy = std::map<std::string, double>;

struct RouteGain {
  double total = 0;                     // sum of the positive gains
  std::vector<std::string> dimensions;  // where the gain is positive, largest first
};

RouteGain route_gain(const Classification& c, const LlmAccuracy& llm);

// Indices of the `allowed` largest positive gains (earlier index first on ties), ascending.
std::vector<size_t> pick_routes(const std::vector<double>& gains, size_t allowed);

}  // namespace firstmile
