// Routing by expected gain (routing.h): the gain per dimension, the largest routed first, a
// run's share kept within --max-route, and the LLM's answer used only where it was to gain.
#include <doctest/doctest.h>

#include <sstream>

#include "base/error.h"
#include "classify/classify_run.h"
#include "classify/llm_labeler.h"
#include "classify/routing.h"
#include "classify_support.h"
#include "fake_llm.h"
#include "llm/llm_client.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

Classification decided(double stage, double symptom, double root_cause) {
  Classification c;
  c.stage.dimension = "stage";
  c.stage.node = "stage.inference";
  c.symptom.dimension = "symptom";
  c.symptom.node = "sym.crash";
  c.root_cause.dimension = "root_cause";
  c.root_cause.node = "rc.env";
  c.stage.confidence = stage;
  c.symptom.confidence = symptom;
  c.root_cause.confidence = root_cause;
  return c;
}

const LlmAccuracy kLlm = {{"stage", 0.95}, {"symptom", 0.85}, {"root_cause", 0.6}};

}  // namespace

TEST_CASE("the gain is the LLM's accuracy over the rules' confidence, summed where positive") {
  RouteGain g = route_gain(decided(1.0, 0.5, 0.55), kLlm);
  CHECK(g.total == doctest::Approx(0.35 + 0.05));
  REQUIRE(g.dimensions.size() == 2);
  CHECK(g.dimensions[0] == "symptom");  // largest first
  CHECK(g.dimensions[1] == "root_cause");
  CHECK(route_gain(decided(1.0, 0.9, 0.7), kLlm).dimensions.empty());
  CHECK(route_gain(decided(1.0, 0.9, 0.7), kLlm).total == 0);
  // A dimension the LLM's accuracy is not known for is never routed.
  CHECK(route_gain(decided(0.1, 0.1, 0.1), {{"symptom", 0.85}}).dimensions == std::vector<std::string>{"symptom"});
  // A dimension not decided (no node) is not routed either.
  Classification none = decided(0.1, 0.1, 0.1);
  none.root_cause.node.clear();
  CHECK(route_gain(none, kLlm).dimensions.size() == 2);
}

TEST_CASE("routes go to the largest positive gains, at most the allowed number, in index order") {
  CHECK(pick_routes({0.1, 0.5, 0.0, 0.3, 0.5}, 2) == std::vector<size_t>{1, 4});
  CHECK(pick_routes({0.1, 0.5, 0.0, 0.3, 0.5}, 3) == std::vector<size_t>{1, 3, 4});
  CHECK(pick_routes({0.1, 0.5, 0.0, 0.3, 0.5}, 10) == std::vector<size_t>{0, 1, 3, 4});  // never a gain of 0
  CHECK(pick_routes({0.1, 0.5}, 0).empty());
  CHECK(pick_routes({}, 3).empty());
}

TEST_CASE("a routing block gives the LLM's accuracy, a bad one is refused naming the file") {
  const Taxonomy& t = shipped_taxonomy();
  RuleSet r = RuleSet::parse(t, {{"routing.json", R"({"routing": {"llm_accuracy": {"symptom": 0.8}}})"}});
  CHECK(r.llm_accuracy() == LlmAccuracy{{"symptom", 0.8}});
  CHECK(shipped_rules().llm_accuracy().count("root_cause") == 1);
  auto refused = [&](const char* text, const std::string& part) {
    std::string message;
    try {
      RuleSet::parse(t, {{"routing.json", text}});
    } catch (const Error& e) {
      message = e.what();
    }
    INFO(message);
    CHECK(message.find("routing.json: 'routing'") == 0);
    CHECK(message.find(part) != std::string::npos);
  };
  refused(R"({"routing": {"llm_accuracy": {"symptom": 1.5}}})", "symptom: must be a number from 0 to 1");
  refused(R"({"routing": {"llm_accuracy": {"mood": 0.5}}})", "unknown dimension 'mood'");
  refused(R"({"routing": {}})", "expected {\"llm_accuracy\"");
}

TEST_CASE("hybrid by gain sends at most --max-route of the issues and uses the LLM only where it gains") {
  FourReports f;
  FakeLlm llm;
  int asked = 0;
  llm.set_responder([&asked](const nlohmann::json&) {
    ++asked;
    return reply_json({{"is_failure", true},
                       {"stage", "stage.finetuning"},
                       {"symptom", "sym.incorrect.quality.degradation"},
                       {"root_cause", "rc.config.inference"},
                       {"rationale", "asked"}});
  });
  LlmClientOptions lo = quick_client(llm.url(), "fake-7b");
  LlmClient client(lo, &f.store);
  LlmLabeler labeler(f.taxonomy);
  // The shipped routing block: the LLM gains where the rules are less sure than it is.
  RuleSet rules = RuleSet::load(f.taxonomy, source_file("taxonomy/rules"));
  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.max_route = 0.5;
  o.ask_llm = llm_asker(client, labeler);
  o.llm_model = "fake-7b";
  ClassifySummary s = classify_issues(f.store, f.taxonomy, rules, o);
  CHECK(s.by_gain);
  CHECK(s.uncertain == 2);  // half of 4
  CHECK(s.routed == 2);
  CHECK(asked == 2);
  CHECK(s.answered == 2);
  // The answered issues took the LLM's symptom and root cause where routed for them, and kept the
  // rules' stage (the shipped routing block trusts the rules' stage more than the LLM's here).
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'hybrid' AND "
                "json_extract(evidence, '$.classifier') = 'llm'") == 2);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'hybrid' AND "
                "json_extract(evidence, '$.classifier') = 'llm' AND "
                "(stage = 'stage.finetuning') <> (json_extract(evidence, '$.llm.used_for') LIKE '%stage%')") == 0);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'hybrid' AND "
                "json_extract(evidence, '$.classifier') = 'llm' AND "
                "(symptom = 'sym.incorrect.quality.degradation') <> "
                "(json_extract(evidence, '$.llm.used_for') LIKE '%symptom%')") == 0);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'hybrid' AND "
                "json_extract(evidence, '$.gain') IS NULL") == 0);
  std::ostringstream printed;
  print_classify_summary(s, Route::kHybrid, nullptr, printed);
  CHECK(printed.str().find("Routed by expected gain") != std::string::npos);
  CHECK(printed.str().find("at most 50.0% of the issues: 2 uncertain (50.0%)") != std::string::npos);

  // With --threshold the old rule holds: every issue below it, whatever the share.
  o.max_route = 0.25;
  o.threshold = 2;
  o.source = "by-threshold";
  ClassifySummary t = classify_issues(f.store, f.taxonomy, rules, o);
  CHECK_FALSE(t.by_gain);
  CHECK(t.uncertain == 4);
}
