// Rules: loading and checking rule files, matching through the per-field sets.
#include <doctest/doctest.h>

#include <algorithm>

#include "base/error.h"
#include "classify/classifier.h"
#include "classify/rules.h"
#include "taxonomy/taxonomy.h"
#include "support.h"

using namespace firstmile;
using firstmile::testing::source_file;

namespace {
const Taxonomy& taxonomy() {
  static Taxonomy t = Taxonomy::load(source_file("taxonomy/taxonomy.json"));
  return t;
}
const RuleSet& shipped_rules() {
  static RuleSet r = RuleSet::load(taxonomy(), source_file("taxonomy/rules"));
  return r;
}
bool fired(const std::vector<RuleHit>& hits, const std::string& id) {
  return std::any_of(hits.begin(), hits.end(), [&](const RuleHit& h) { return h.rule->id == id; });
}
}  // namespace

TEST_CASE("the shipped rules load, and every rule of a field fires through the set as it does alone") {
  const RuleSet& rules = shipped_rules();
  CHECK(rules.rules().size() > 50);
  IssueFeatures f = extract_features(
      "vLLM fails to start", "```\nValueError: The model's max seq len (32768) is larger than the maximum number of "
                             "tokens that can be stored in KV cache (24320).\n```\n");
  std::vector<RuleHit> hits = rules.match(f);
  CHECK(fired(hits, "sym.loading.validation"));
  CHECK(fired(hits, "sym.value.valueerror"));
  CHECK(fired(hits, "rc.config.inference.kv_budget"));
}

