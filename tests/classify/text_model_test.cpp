// The text model (text_model.h): tokens, counts and a posterior worked out by hand, the rule
// file it is stored in, and the classifier taking its scores beside the rules'.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "classify/classifier.h"
#include "classify/rules.h"
#include "classify/text_model.h"
#include "support/taxonomies.h"

using namespace firstmile;

namespace {

bool has(const std::vector<std::string>& tokens, const std::string& t) {
  return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
}

TrainingExample example(std::vector<std::string> tokens, std::string symptom, std::string stage = "") {
  TrainingExample e;
  e.tokens = std::move(tokens);
  std::sort(e.tokens.begin(), e.tokens.end());
  e.labels["symptom"] = std::move(symptom);
  if (!stage.empty()) e.labels["stage"] = std::move(stage);
  return e;
}

// Two reports: an out-of-memory crash and a stuck generation.
TextModel two_reports(double weight = 2) {
  return TextModel::train({example({"w:memory", "w:oom"}, "sym.crash"), example({"w:stuck"}, "sym.hang")},
                          firstmile::testing::tiny_taxonomy(),
                          {.alpha = 1, .min_documents = 1, .weight = weight, .temperature = 1}, "by hand");
}

double p_of(const std::vector<std::pair<std::string, double>>& p, const std::string& c) {
  for (const auto& [node, q] : p) {
    if (node == c) return q;
  }
  return -1;
}

}  // namespace

TEST_CASE("a report's tokens: prose words lower-cased, Chinese pairs, error words and names, rules") {
  IssueFeatures f = extract_features("CUDA OOM on 2 GPUs", "模型加载失败 when I run it\n```\nValueError: bad shape\n```");
  std::vector<std::string> t = model_tokens(f, {"sym.crash.valueerror"});
  CHECK(has(t, "w:cuda"));
  CHECK(has(t, "w:oom"));
  CHECK(has(t, "w:gpus"));
  CHECK_FALSE(has(t, "w:2"));  // numbers alone say nothing
  CHECK(has(t, "w:模型"));
  CHECK(has(t, "w:加载"));
  CHECK(has(t, "e:shape"));
  CHECK(has(t, "x:ValueError"));
  CHECK(has(t, "r:sym.crash.valueerror"));
  CHECK(std::is_sorted(t.begin(), t.end()));
  CHECK(std::adjacent_find(t.begin(), t.end()) == t.end());
}

TEST_CASE("naive Bayes counts and the posterior, worked out by hand") {
  TextModel m = two_reports();
  // Vocabulary {memory, oom, stuck}; crash has 2 token counts, hang 1, slow none. With alpha 1:
  // P(oom|crash) = 2/5, P(oom|hang) = 1/4, P(oom|slow) = 1/3; priors 2/5, 2/5, 1/5.
  auto p = m.posterior("symptom", {"w:oom"});
  const double crash = 0.4 * 0.4, hang = 0.4 * 0.25, slow = 0.2 / 3, sum = crash + hang + slow;
  CHECK(p_of(p, "sym.crash") == doctest::Approx(crash / sum));
  CHECK(p_of(p, "sym.hang") == doctest::Approx(hang / sum));
  CHECK(p_of(p, "sym.slow") == doctest::Approx(slow / sum));
  // Unknown tokens change nothing; a dimension without labels is not in the model.
  CHECK(p_of(m.posterior("symptom", {"w:oom", "w:never-seen"}), "sym.crash") == doctest::Approx(crash / sum));
  CHECK(m.posterior("root_cause", {"w:oom"}).empty());
}

TEST_CASE("the temperature softens the posterior, min_documents prunes the vocabulary") {
  const Taxonomy taxonomy = firstmile::testing::tiny_taxonomy();
  std::vector<TrainingExample> examples = {example({"w:oom", "w:memory"}, "sym.crash"),
                                           example({"w:oom"}, "sym.crash"), example({"w:stuck"}, "sym.hang")};
  TextModel cold = TextModel::train(examples, taxonomy, {.alpha = 1, .min_documents = 2, .temperature = 1});
  TextModel warm = TextModel::train(examples, taxonomy, {.alpha = 1, .min_documents = 2, .temperature = 10});
  REQUIRE(cold.dimensions().size() == 1);
  CHECK(cold.dimensions()[0].counts.size() == 1);  // only "oom" is in two reports
  CHECK(cold.dimensions()[0].counts.count("w:oom") == 1);
  double c = p_of(cold.posterior("symptom", {"w:oom"}), "sym.crash");
  double w = p_of(warm.posterior("symptom", {"w:oom"}), "sym.crash");
  CHECK(c > w);
  CHECK(w > 1.0 / 3);
  CHECK_THROWS_AS(TextModel::train({}, taxonomy, {}), Error);
}

TEST_CASE("a model written as a rule file reads back the same and is part of the rules' hash") {
  const Taxonomy taxonomy = firstmile::testing::tiny_taxonomy();
  TextModel m = two_reports();
  std::string file = text_model_file(m);
  CHECK(file.find("trained on by hand") != std::string::npos);
  RuleSet with = RuleSet::parse(taxonomy, {{"model.json", file}});
  REQUIRE(with.text_model() != nullptr);
  for (const char* c : {"sym.crash", "sym.hang", "sym.slow"}) {
    CHECK(p_of(with.text_model()->posterior("symptom", {"w:oom", "w:stuck"}), c) ==
          doctest::Approx(p_of(m.posterior("symptom", {"w:oom", "w:stuck"}), c)));
  }
  CHECK(with.text_model()->options().weight == 2);
  RuleSet other = RuleSet::parse(taxonomy, {{"model.json", text_model_file(two_reports(3))}});
  CHECK(other.hash() != with.hash());
  CHECK(RuleSet::parse(taxonomy, {}).text_model() == nullptr);
}

TEST_CASE("a bad text_model block is refused naming the file and the field") {
  const Taxonomy taxonomy = firstmile::testing::tiny_taxonomy();
  nlohmann::json good = two_reports().to_json();
  auto refused = [&](nlohmann::json block, const std::string& part) {
    std::string message;
    try {
      RuleSet::parse(taxonomy, {{"m.json", nlohmann::json{{"text_model", block}}.dump()}});
    } catch (const Error& e) {
      message = e.what();
    }
    INFO(message);
    CHECK(message.find("m.json: 'text_model'") == 0);
    CHECK(message.find(part) != std::string::npos);
  };
  nlohmann::json b = good;
  b["dimensions"]["symptom"]["classes"][0] = "sym.crash.oom";  // not top level
  refused(b, "not a top-level symptom node");
  b = good;
  b["dimensions"]["symptom"]["counts"]["w:oom"] = {1, 2};  // one count short
  refused(b, "'w:oom' needs one count per class");
  b = good;
  b["options"]["temperature"] = 0;
  refused(b, "temperature must be > 0");
  b = good;
  b["format"] = 2;
  refused(b, ".format");
  std::string twice;
  try {
    std::string file = text_model_file(two_reports());
    RuleSet::parse(taxonomy, {{"a.json", file}, {"b.json", file}});
  } catch (const Error& e) {
    twice = e.what();
  }
  CHECK(twice.find("b.json: a second 'text_model' block (a.json has one)") == 0);
}

TEST_CASE("the classifier adds weight x P(class | words) to the top-level scores") {
  const Taxonomy taxonomy = firstmile::testing::tiny_taxonomy();
  RuleSet no_rules = RuleSet::parse(taxonomy, {});
  TextModel m = two_reports(5);
  IssueFeatures f = extract_features("generation is stuck", "it hangs");
  Classification c = RuleClassifier(taxonomy, no_rules, {}, &m).classify(f);
  CHECK(c.symptom.top == "sym.hang");
  CHECK(c.symptom.model_p == doctest::Approx(p_of(m.posterior("symptom", {"w:stuck"}), "sym.hang")));
  CHECK(c.symptom.score == doctest::Approx(5 * c.symptom.model_p));
  // Without the model nothing decides: no score, no model probability.
  Classification plain = RuleClassifier(taxonomy, no_rules, {}, nullptr).classify(f);
  CHECK(plain.symptom.score == 0);
  CHECK(plain.symptom.model_p == -1);
  // A weight of 0 keeps the decision to the rules.
  TextModel silent = two_reports(0);
  CHECK(RuleClassifier(taxonomy, no_rules, {}, &silent).classify(f).symptom.score == 0);
}
