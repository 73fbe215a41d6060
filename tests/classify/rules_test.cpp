// Rules: loading and checking rule files, field weights, matching through the per-field sets.
#include <doctest/doctest.h>

#include <algorithm>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "classify/feature_knowledge.h"
#include "classify/rules.h"
#include "classify_support.h"

using namespace firstmile;
using firstmile::testing::shipped_rules;
using firstmile::testing::shipped_taxonomy;
using firstmile::testing::source_file;

namespace {

const Taxonomy& taxonomy() { return shipped_taxonomy(); }
bool fired(const std::vector<RuleHit>& hits, const std::string& id) {
  return std::any_of(hits.begin(), hits.end(), [&](const RuleHit& h) { return h.rule->id == id; });
}
RuleSet rules_from(const std::string& json) { return RuleSet::parse(taxonomy(), {{"test-rules.json", json}}); }
double weight_of(const std::vector<RuleHit>& hits, const std::string& id) {
  for (const RuleHit& h : hits) {
    if (h.rule->id == id) return h.weight;
  }
  return 0.0;
}
const char* const kShippedFiles[] = {"fields.json", "priors.json", "relevance.json", "root_cause.json",
                                     "routing.json", "stage.json",  "symptom.json",    "text_model.json"};

}  // namespace

TEST_CASE("the shipped rules load, and every rule of a field fires through the set as it does alone") {
  const RuleSet& rules = shipped_rules();
  // Every rule written in the files is loaded: each starts with {"id": "...".
  size_t written = 0;
  for (const char* file : kShippedFiles) {
    std::string text = read_file(source_file(std::string("taxonomy/rules/") + file));
    for (size_t at = text.find("{\"id\": \""); at != std::string::npos; at = text.find("{\"id\": \"", at + 1))
      ++written;
  }
  CHECK(rules.rules().size() == written);
  IssueFeatures f =
      extract_features("vLLM fails to start",
                       "```\nValueError: The model's max seq len (32768) is larger than the maximum number of "
                       "tokens that can be stored in KV cache (24320).\n```\n");
  std::vector<RuleHit> hits = rules.match(f);
  CHECK(fired(hits, "sym.loading.validation"));
  CHECK(fired(hits, "sym.value.valueerror"));
  CHECK(fired(hits, "rc.config.inference.kv_budget"));
}

TEST_CASE("language-specific rules fire only on reports in that language") {
  RuleSet rules = rules_from(R"({"rules": [
    {"id": "zh", "target": "sym.hang", "weight": 2, "fields": ["title"], "patterns": ["stuck"], "language": "zh"}]})");
  CHECK(rules.match(extract_features("stuck", "")).empty());
  CHECK(rules.match(extract_features("推理时卡住 stuck 了很久", "")).size() == 1);
}

TEST_CASE("a bad rule file is refused naming the file and the rule") {
  CHECK_THROWS_WITH_AS(
      rules_from(R"({"rules": [{"id": "r1", "target": "sym.nope", "fields": ["title"], "patterns": ["x"]}]})"),
      doctest::Contains("test-rules.json: rule 'r1': target 'sym.nope' is not a node"), Error);
  CHECK_THROWS_WITH_AS(
      rules_from(R"({"rules": [{"id": "r2", "target": "sym.hang", "fields": ["body"], "patterns": ["x"]}]})"),
      doctest::Contains("rule 'r2': unknown field 'body'"), Error);
  CHECK_THROWS_WITH_AS(
      rules_from(R"({"rules": [{"id": "r3", "target": "sym.hang", "fields": ["title"], "patterns": ["(x"]}]})"),
      doctest::Contains("rule 'r3': pattern '(x'"), Error);
  CHECK_THROWS_WITH_AS(
      rules_from(R"({"rules": [{"id": "r4", "target": "sym.hang", "fields": ["title"], "patterns": ["x"]},
                                                {"id": "r4", "target": "sym.hang", "fields": ["title"], "patterns": ["y"]}]})"),
      doctest::Contains("rule 'r4': duplicate rule id"), Error);
}

TEST_CASE("case-sensitive rules keep their case inside the shared case-insensitive set") {
  RuleSet rules = rules_from(R"({"rules": [
    {"id": "cs", "target": "sym.crash.value.attribute", "weight": 2, "fields": ["prose", "errors"], "patterns": ["AttributeError"], "case_sensitive": true}]})");
  CHECK(rules.match(extract_features("t", "attributeerror in lower case")).empty());
  CHECK(rules.match(extract_features("t", "AttributeError: x")).size() == 1);
}

TEST_CASE("a library version is read only for the library itself, and weighs half in the environment list") {
  std::vector<RuleHit> other = shipped_rules().match(extract_features("t", "Installed: sentence-transformers 2.5.1"));
  CHECK_FALSE(fired(other, "rc.env.dependency.versions"));
  double in_prose = weight_of(shipped_rules().match(extract_features("t", "It fails with transformers 4.37.")),
                              "rc.env.dependency.versions");
  double in_list =
      weight_of(shipped_rules().match(extract_features("t", "It fails.\n\nEnvironment:\n- transformers 4.37\n")),
                "rc.env.dependency.versions");
  // The rule weighs 2; prose counts 1x, the environment inventory 0.5x (fields.json).
  CHECK(in_prose == doctest::Approx(2.0));
  CHECK(in_list == doctest::Approx(1.0));
}

TEST_CASE(
    "the shipped field weights put the title and errors first, the resolution double, comments and the inventory "
    "half") {
  const RuleSet& rules = shipped_rules();
  CHECK(rules.field_weight(Field::kTitle) == 1.5);
  CHECK(rules.field_weight(Field::kProse) == 1.0);
  CHECK(rules.field_weight(Field::kCode) == 1.0);
  CHECK(rules.field_weight(Field::kErrors) == 1.5);
  CHECK(rules.field_weight(Field::kComments) == 0.5);
  CHECK(rules.field_weight(Field::kResolution) == 2.0);
  CHECK(rules.field_weight(Field::kEnvironment) == 0.5);
}

TEST_CASE("a hit weighs its rule's weight times its field's, and every field weighs 1 without a field_weights block") {
  const char* kRules = R"({"rules": [
    {"id": "pin", "target": "rc.env", "weight": 3, "fields": ["environment"], "patterns": ["torch"]},
    {"id": "fix", "target": "rc.env", "weight": 3, "fields": ["resolution"], "patterns": ["upgrad\\w+"]}]})";
  const char* kWeights = R"({"field_weights": {"title": 1, "prose": 1, "code": 1, "errors": 1, "comments": 1,
                                               "resolution": 4, "environment": 0.25}})";
  IssueFeatures f = extract_features("x", "It fails.\n\nEnvironment:\n- torch 2.1\n\nUpgrading fixed it.");
  RuleSet weighted = RuleSet::parse(taxonomy(), {{"a.json", kRules}, {"fields.json", kWeights}});
  CHECK(weight_of(weighted.match(f), "pin") == doctest::Approx(0.75));
  CHECK(weight_of(weighted.match(f), "fix") == doctest::Approx(12.0));
  RuleSet plain = RuleSet::parse(taxonomy(), {{"a.json", kRules}});
  CHECK(weight_of(plain.match(f), "pin") == doctest::Approx(3.0));
  CHECK(weight_of(plain.match(f), "fix") == doctest::Approx(3.0));
}

TEST_CASE("a bad field_weights block is refused naming the file and the field") {
  auto weights = [](const std::string& block) {
    return RuleSet::parse(taxonomy(), {{"fields.json", R"({"field_weights": )" + block + "}"}});
  };
  const std::string all_but_environment =
      R"("title": 1, "prose": 1, "code": 1, "errors": 1, "comments": 1, "resolution": 1)";
  CHECK_THROWS_WITH_AS(weights("{" + all_but_environment + "}"),
                       "fields.json: 'field_weights': no weight for 'environment'", Error);
  CHECK_THROWS_WITH_AS(weights("{" + all_but_environment + R"(, "environment": 0})"),
                       "fields.json: 'field_weights': 'environment' must be a positive number", Error);
  CHECK_THROWS_WITH_AS(weights("{" + all_but_environment + R"(, "environment": 1, "body": 1})"),
                       doctest::Contains("fields.json: 'field_weights': unknown field 'body'"), Error);
  CHECK_THROWS_WITH_AS(weights("[1, 2]"), "fields.json: 'field_weights' must map each field to its weight", Error);
  const std::string block = R"({"field_weights": {)" + all_but_environment + R"(, "environment": 1}})";
  CHECK_THROWS_WITH_AS(RuleSet::parse(taxonomy(), {{"a.json", block}, {"b.json", block}}),
                       "b.json: a second 'field_weights' block (a.json has one)", Error);
}

TEST_CASE("the rules' hash covers the rule files and what the feature extractor knows") {
  const std::string content =
      R"({"rules": [{"id": "x", "target": "sym.hang", "fields": ["title"], "patterns": ["x"]}]})";
  CHECK(rules_from(content).hash() == git_blob_hash(content + FeatureKnowledge::shipped().content()));
  std::string shipped;
  for (const char* file : kShippedFiles) shipped += read_file(source_file(std::string("taxonomy/rules/") + file));
  CHECK(shipped_rules().hash() == git_blob_hash(shipped + read_file(source_file("taxonomy/features.json"))));
}

TEST_CASE("a rules directory without field weights is refused, naming the file to copy") {
  firstmile::testing::TempDir dir;
  firstmile::testing::write_file(dir / "a.json", R"({"rules": []})");
  CHECK_THROWS_WITH_AS(RuleSet::load(taxonomy(), dir.path()), doctest::Contains("copy taxonomy/rules/fields.json"),
                       Error);
}

TEST_CASE("a hit's evidence is its match in its line, marked, with a few words either side") {
  const std::string log = "Loading checkpoint shards\nValueError: Unrecognized model type qwen2\nexit";
  size_t at = log.find('V');
  CHECK(match_in_line(log, at, 1) == "«V»alueError: Unrecognized model type qwen2");
  CHECK(match_in_line(log, log.find("qwen2"), 5) == "ValueError: Unrecognized model type «qwen2»");
  CHECK(match_in_line(log, 0, 7) == "«Loading» checkpoint shards");
  // A match across lines reads as one line.
  CHECK(match_in_line(log, log.find("shards"), 12) ==
        "Loading checkpoint «shards Value»Error: Unrecognized model type qwen2");

  // A long line is cut at whole characters, 60 bytes either side, with "…" where cut.
  const std::string wide = std::string(100, 'a') + "显存不足" + std::string(100, 'b');
  std::string shown = match_in_line(wide, 100, 12);
  CHECK(shown == "…" + std::string(60, 'a') + "«显存不足»" + std::string(60, 'b') + "…");
  // A long match shows its first 60 bytes; a cut inside a character moves to its start.
  const std::string chinese = "错误" + std::string(1, 'x');  // 6 bytes of Chinese, then x
  CHECK(match_in_line(chinese, 0, 7) == "«错误x»");
  std::string many;
  for (int i = 0; i < 30; ++i) many += "错";  // 90 bytes
  CHECK(match_in_line(many, 0, many.size()) == "«" + many.substr(0, 60) + "…»");
}

TEST_CASE("rule hits carry the line they matched in") {
  const RuleSet& rules = shipped_rules();
  IssueFeatures f;
  f.title = "model fails";
  f.error_lines = {"ValueError: Unrecognized model type qwen2"};
  f.language = "en";
  bool seen = false;
  for (const RuleHit& h : rules.match(f)) {
    if (h.rule->id != "rel.error_lines") continue;
    seen = true;
    CHECK(h.text == "V");
    CHECK(hit_line(h, f) == "«V»alueError: Unrecognized model type qwen2");
  }
  CHECK(seen);
}

TEST_CASE("a rule that fires silences the rules aimed at the nodes it overrides, and only then") {
  RuleSet rules = rules_from(R"({"rules": [
    {"id": "value", "target": "sym.crash.value.valueerror", "fields": ["errors"], "patterns": ["ValueError"]},
    {"id": "oom", "target": "sym.crash.cuda.oom", "fields": ["errors"], "patterns": ["out of memory"]},
    {"id": "loader", "target": "sym.loading", "fields": ["code"], "patterns": ["\\bin from_pretrained\\b"],
     "overrides": ["sym.crash.value"]}]})");
  IssueFeatures f;
  f.error_lines = {"ValueError: bad config", "CUDA out of memory"};
  std::vector<RuleHit> running = rules.match(f);
  CHECK(fired(running, "value"));
  CHECK(fired(running, "oom"));
  f.code = "  File \"modeling_utils.py\", line 3, in from_pretrained\n";
  std::vector<RuleHit> loading = rules.match(f);
  CHECK(fired(loading, "loader"));
  CHECK_FALSE(fired(loading, "value"));  // below the overridden node
  CHECK(fired(loading, "oom"));          // elsewhere: kept
}

TEST_CASE("overrides must name nodes of the rule's own dimension") {
  CHECK_THROWS_WITH_AS(rules_from(R"({"rules": [{"id": "x", "target": "sym.loading", "fields": ["code"],
                                      "patterns": ["a"], "overrides": ["rc.env"]}]})"),
                       "test-rules.json: rule 'x': 'overrides' names \"rc.env\", which is not a symptom node of "
                       "taxonomy open-llm-failures",
                       Error);
  CHECK_THROWS_WITH_AS(rules_from(R"({"rules": [{"id": "x", "target": "sym.loading", "fields": ["code"],
                                      "patterns": ["a"], "overrides": "sym.crash"}]})"),
                       "test-rules.json: rule 'x': 'overrides' must list node ids", Error);
}

TEST_CASE("every symptom and root-cause family has rules for reports written in Chinese and in English") {
  // Many reports are Chinese: a family only English patterns can find is invisible to them.
  auto has_chinese = [](const std::string& pattern) {
    for (size_t i = 0; i + 2 < pattern.size(); ++i) {
      auto lead = static_cast<unsigned char>(pattern[i]);
      if (lead >= 0xE4 && lead <= 0xE9) return true;  // U+4E00-U+9FFF, the common CJK ideographs
    }
    return false;
  };
  auto has_latin_word = [](const std::string& pattern) {
    return std::any_of(pattern.begin(), pattern.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  for (const TaxonomyNode& family : taxonomy().nodes()) {
    if (family.level != 1 || (family.dimension != "symptom" && family.dimension != "root_cause")) continue;
    bool zh = false, en = false;
    for (const Rule& r : shipped_rules().rules()) {
      if (r.target != family.id && r.target.rfind(family.id + ".", 0) != 0) continue;
      zh = zh || (r.language != "en" && has_chinese(r.pattern));
      en = en || (r.language != "zh" && has_latin_word(r.pattern));
    }
    CAPTURE(family.id);
    CHECK(zh);
    CHECK(en);
  }
}
