// labels/evidence_text.cpp — the evidence JSON of classify (see classify_run.cpp) read back.
#include "labels/evidence_text.h"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "base/text_table.h"

namespace firstmile {

namespace {

using nlohmann::json;

constexpr size_t kHitsShown = 3;
constexpr size_t kLongest = 300;  // bytes of evidence that is not of a known shape

std::string string_at(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

std::string number_text(const json& j, const char* key, int decimals) {
  return j.contains(key) && j[key].is_number() ? format_fixed(j[key].get<double>(), decimals) : "";
}

// "sym.crash (margin 0.40 over sym.loading); rule +1.0 in errors: line; ..."
std::string decision_text(const json& d) {
  std::string out = string_at(d, "node");
  if (out.empty()) out = "-";
  std::string margin = number_text(d, "margin", 2);
  if (!margin.empty()) {
    std::string runner_up = string_at(d, "runner_up");
    out += " (margin " + margin + (runner_up.empty() ? "" : " over " + runner_up) + ")";
  }
  if (d.value("from_prior", false)) out += " [no rule fired: prior]";
  if (!d.contains("hits") || !d["hits"].is_array()) return out;
  std::vector<const json*> hits;
  for (const json& h : d["hits"]) {
    if (h.is_object()) hits.push_back(&h);
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const json* a, const json* b) { return a->value("weight", 0.0) > b->value("weight", 0.0); });
  for (size_t i = 0; i < hits.size() && i < kHitsShown; ++i) {
    const json& h = *hits[i];
    std::string shown = string_at(h, "line");
    if (shown.empty()) shown = "\"" + string_at(h, "text") + "\"";
    out += "; " + string_at(h, "rule") + " +" + number_text(h, "weight", 1) + " in " + string_at(h, "field") + ": " +
           shown;
  }
  if (hits.size() > kHitsShown) out += "; +" + std::to_string(hits.size() - kHitsShown) + " more";
  return out;
}

std::string as_one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (s.size() > kLongest) s = std::string(utf8_prefix(s, kLongest)) + "…";
  return s;
}

}  // namespace

std::string evidence_text(const std::string& evidence_json, const std::string& dimension) {
  if (evidence_json.empty() || evidence_json == "{}") return "";
  json e = json::parse(evidence_json, nullptr, false);
  if (!e.is_object()) return as_one_line(evidence_json);
  std::string out;
  const std::string classifier = string_at(e, "classifier");
  if (classifier == "llm" && e.contains("llm") && e["llm"].is_object()) {
    out = "LLM " + string_at(e["llm"], "model") + ": " + string_at(e["llm"], "rationale");
  } else if (e.contains(dimension) && e[dimension].is_object()) {
    out = (classifier.empty() ? "" : classifier + ": ") + decision_text(e[dimension]);
  } else {
    return as_one_line(evidence_json);
  }
  std::string review = string_at(e, "needs_review");
  if (!review.empty()) out += " [needs review: " + review + "]";
  return as_one_line(out);
}

}  // namespace firstmile
