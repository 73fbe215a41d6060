// Feature knowledge: the inventory headings and resolution phrases of taxonomy/features.json,
// a file of one's own in their place, and a bad file refused naming what is wrong.
#include <doctest/doctest.h>

#include <re2/re2.h>

#include "base/error.h"
#include "classify/feature_knowledge.h"
#include "classify/features.h"

using namespace firstmile;

namespace {

// A knowledge file with the given parts (JSON text) in place of the usual ones.
std::string knowledge(const std::string& headings, const std::string& phrases,
                      const std::string& anywhere = R"(["好了"])") {
  return R"({"environment_headings": )" + headings + R"(, "resolution": {"phrases": )" + phrases +
         R"(, "advisers": ["maintainers?"], "advice": ["replied"], "phrases_anywhere": )" + anywhere + "}}";
}

}  // namespace

TEST_CASE("the shipped knowledge reads headings as whole lines and resolution phrases as whole words") {
  const FeatureKnowledge& k = FeatureKnowledge::shipped();
  CHECK(RE2::FullMatch("### System Info", k.environment_heading()));
  CHECK(RE2::FullMatch("**Environment**:", k.environment_heading()));
  CHECK(RE2::FullMatch("运行环境：", k.environment_heading()));
  CHECK_FALSE(RE2::FullMatch("The environment is fine.", k.environment_heading()));
  CHECK(RE2::PartialMatch("Lowering the batch size solved it", k.resolution_marker()));
  CHECK(RE2::PartialMatch("A maintainer replied that it is a bug", k.resolution_marker()));
  CHECK(RE2::PartialMatch("原因是版本太旧", k.resolution_marker()));
  CHECK_FALSE(RE2::PartialMatch("It is unsolved", k.resolution_marker()));  // whole words only
}

TEST_CASE("knowledge of one's own decides what is an inventory and what tells the fix") {
  FeatureKnowledge mine = FeatureKnowledge::parse(knowledge(R"(["setup"])", R"(["sorted"])"), "mine.json");
  IssueFeatures f = extract_features(
      "t", "It crashes.\n\nSetup:\n- torch 2.1\n\nEnvironment:\n- vllm 0.5\n\nThat sorted it. Solved!", {}, mine);
  CHECK(f.environment == "- torch 2.1\n");
  CHECK(f.resolution == "That sorted it\n");
  IssueFeatures shipped = extract_features(
      "t", "It crashes.\n\nSetup:\n- torch 2.1\n\nEnvironment:\n- vllm 0.5\n\nThat sorted it. Solved!");
  CHECK(shipped.environment == "- vllm 0.5\n");
  CHECK(shipped.resolution == "Solved\n");
}

TEST_CASE("a bad knowledge file is refused naming the file, the field and the entry") {
  CHECK_THROWS_WITH_AS(FeatureKnowledge::parse(knowledge("[]", R"(["x"])"), "k.json"),
                       "k.json: 'environment_headings' must be a non-empty list of RE2 patterns", Error);
  CHECK_THROWS_WITH_AS(FeatureKnowledge::parse(knowledge(R"(["env"])", R"(["solved", "fix(ed"])"), "k.json"),
                       doctest::Contains("k.json: 'resolution': 'phrases' entry 2: pattern 'fix(ed': missing )"),
                       Error);
  CHECK_THROWS_WITH_AS(FeatureKnowledge::parse(knowledge(R"(["env"])", R"(["x"])", R"(["ok", 3])"), "k.json"),
                       "k.json: 'resolution': 'phrases_anywhere' entry 2: expected a non-empty string", Error);
  CHECK_THROWS_WITH_AS(
      FeatureKnowledge::parse(R"({"environment_headings": ["env"]})", "k.json"),
      "k.json: 'resolution' must be an object with 'phrases', 'advisers', 'advice' and 'phrases_anywhere'", Error);
  CHECK_THROWS_WITH_AS(FeatureKnowledge::parse("[]", "k.json"),
                       "k.json: expected an object with 'environment_headings' and 'resolution'", Error);
}
