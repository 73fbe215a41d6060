// classify over a store: rules, hybrid routing to the loopback chat-completions server, the
// summary it prints. Of the four reports (classify_support.h) the rules take the question about
// citing the paper for no failure report (a question and the word "paper" in its title) and
// the other three for failures; only the out-of-memory traceback is clear enough to stay with
// the rules at a threshold of 0.5.
#include <doctest/doctest.h>

#include <sstream>

#include "classify/classify_run.h"
#include "classify/llm_labeler.h"
#include "classify_support.h"
#include "fake_llm.h"
#include "llm/llm_client.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

using Fixture = firstmile::testing::FourReports;

}  // namespace

TEST_CASE("rules-only classify labels every issue with provenance, and non-failures get no labels") {
  Fixture f;
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, {});
  CHECK(s.issues == 4);
  CHECK(s.failures == 3);
  CHECK(s.not_failures == 1);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'rules' AND run_id = " + std::to_string(s.run_id)) ==
        4);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'rules' AND is_failure = 0 AND symptom IS NOT NULL") ==
        0);
  CHECK(
      f.count(
          "SELECT count(*) FROM annotations WHERE symptom = 'sym.crash.cuda.oom' AND evidence LIKE '%sym.cuda.oom%'") ==
      1);
  // Re-running replaces in place.
  classify_issues(f.store, f.taxonomy, f.rules, {});
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'rules'") == 4);
}

TEST_CASE("hybrid without an endpoint labels the uncertain with the rules' guess, marked needs_review") {
  Fixture f;
  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.threshold = 0.5;
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.uncertain == 3);  // the clear OOM report stays with the rules
  CHECK(s.routed == 0);
  CHECK(s.needs_review == 3);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'hybrid' AND needs_review = 1") == 3);
  CHECK(f.count("SELECT count(*) FROM annotations a JOIN issues i ON i.id = a.issue_id WHERE a.source = 'hybrid' AND "
                "a.needs_review = 0 AND i.number = 1") == 1);
}

TEST_CASE(
    "hybrid asks the LLM for the uncertain only, uses valid answers, and never writes a label outside the taxonomy") {
  Fixture f;
  FakeLlm llm;
  int asked = 0;
  llm.set_responder([&asked](const nlohmann::json&) {
    ++asked;
    if (asked == 1) {
      return reply_json({{"is_failure", true},
                         {"stage", "stage.inference"},
                         {"symptom", "sym.incorrect.quality.degradation"},
                         {"root_cause", "rc.config.inference"},
                         {"rationale", "wrong answers after a settings change"}});
    }
    if (asked == 2) {
      return reply_json({{"is_failure", true},
                         {"stage", "stage.inference"},
                         {"symptom", "sym.made.up"},
                         {"root_cause", "rc.config.inference"},
                         {"rationale", "x"}});
    }
    return reply_text("not JSON at all");
  });
  LlmClientOptions lo = quick_client(llm.url(), "fake-7b");
  LlmClient client(lo, &f.store);
  LlmLabeler labeler(f.taxonomy);
  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.threshold = 0.5;
  o.ask_llm = llm_asker(client, labeler);
  o.llm_model = "fake-7b";
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.uncertain == 3);
  CHECK(s.routed == 3);
  CHECK(asked == 3);
  CHECK(s.answered == 1);
  CHECK(s.needs_review == 2);
  REQUIRE(s.llm_rejections.size() == 2);  // one each, by what was wrong
  CHECK(s.llm_rejections[0] == std::pair<std::string, int64_t>{"answer rejected: not JSON", 1});
  CHECK(s.llm_rejections[1].first.rfind("answer rejected: symptom 'sym.made.up' is not a node of taxonomy", 0) == 0);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE symptom = 'sym.incorrect.quality.degradation' AND "
                "evidence LIKE '%wrong answers after a settings change%' AND needs_review = 0") == 1);
  CHECK(f.count("SELECT count(*) FROM annotations a LEFT JOIN taxonomy_nodes n ON n.taxonomy = a.taxonomy AND "
                "n.id = a.symptom WHERE a.symptom IS NOT NULL AND n.id IS NULL") == 0);
  // A re-run is answered from the cache (temperature 0: the same question gets the same answer,
  // rejected ones included) and costs no request.
  size_t before = llm.stats().requests.size();
  ClassifySummary again = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(llm.stats().requests.size() == before);
  CHECK(again.answered == 1);
}

TEST_CASE("an LLM that fails or is over budget leaves the rules' guess marked for review") {
  Fixture f;
  FakeLlm llm;
  llm.set_responder([](const nlohmann::json&) { return reply_status(500); });
  LlmClientOptions lo = quick_client(llm.url(), "fake");
  lo.budget = 1;
  LlmClient client(lo, &f.store);
  LlmLabeler labeler(f.taxonomy);
  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.threshold = 2;  // everything is uncertain
  o.ask_llm = llm_asker(client, labeler);
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.routed == 4);
  CHECK(s.answered == 0);
  CHECK(s.needs_review == 4);
  CHECK(client.counters().refused == 3);
  CHECK(llm.stats().requests.size() == 2);  // one call, retried once
  // Grouped by what went wrong, commonest first, in words without the endpoint.
  REQUIRE(s.llm_rejections.size() == 2);
  CHECK(s.llm_rejections[0] == std::pair<std::string, int64_t>{"not sent: the budget of 1 LLM calls is used up", 3});
  CHECK(s.llm_rejections[1].first.rfind("the LLM server answered HTTP 500", 0) == 0);
  CHECK(s.llm_rejections[1].first.find("(gave up after 1 retries)") != std::string::npos);
  CHECK(s.llm_rejections[1].second == 1);
  std::ostringstream printed;
  print_classify_summary(s, Route::kHybrid, nullptr, printed);
  CHECK(printed.str().find("\n  3 issues without an LLM label: not sent: the budget of 1 LLM calls is used up\n"
                           "  1 issue without an LLM label: the LLM server answered HTTP 500") != std::string::npos);
  CHECK(printed.str().find(llm.url()) == std::string::npos);
  // Each label marked for review says why it has no LLM label.
  CHECK(f.count("SELECT count(*) FROM annotations WHERE needs_review = 1 AND json_extract(evidence, '$.needs_review') "
                "LIKE 'the LLM gave no usable answer: the LLM server answered HTTP 500%'") == 1);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE needs_review = 1 AND json_extract(evidence, '$.needs_review') "
                "= 'the LLM gave no usable answer: not sent: the budget of 1 LLM calls is used up'") == 3);
}

TEST_CASE("a run that asks the LLM about every issue prints no threshold") {
  Fixture f;
  ClassifyOptions o;
  o.route = Route::kLlm;
  o.ask_llm = [](const std::vector<LlmQuestion>& questions) { return std::vector<LlmLabel>(questions.size()); };
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.routed == 4);
  std::ostringstream printed;
  print_classify_summary(s, Route::kLlm, nullptr, printed);
  CHECK(printed.str().find("\nRoute llm: every issue goes to the LLM, no confidence threshold\n4 sent to the LLM, 0 "
                           "answered, 4 labelled by the rules' best guess and marked needs_review\n  4 issues "
                           "without an LLM label: no answer\n") != std::string::npos);
  CHECK(printed.str().find("Threshold") == std::string::npos);
}

TEST_CASE("the summary says where the labels went, and for a routed run what the LLM did") {
  Fixture f;
  ClassifySummary rules = classify_issues(f.store, f.taxonomy, f.rules, {});
  std::ostringstream plain;
  print_classify_summary(rules, Route::kRules, nullptr, plain);
  CHECK(plain.str() == "Classified 4 issues into source 'rules' (run " + std::to_string(rules.run_id) +
                           "): 3 failure reports, 1 not\n");

  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.threshold = 0.5;
  ClassifySummary hybrid = classify_issues(f.store, f.taxonomy, f.rules, o);
  LlmCounters counters;
  counters.calls = 3;
  counters.cache_hits = 1;
  std::ostringstream routed;
  print_classify_summary(hybrid, Route::kHybrid, &counters, routed);
  std::string text = routed.str();
  CHECK(text.find("Threshold 0.500 (not calibrated: run `firstmile calibrate`): 3 uncertain (75.0%)") !=
        std::string::npos);
  CHECK(text.find("\n0 sent to the LLM, 0 answered, 3 labelled by the rules' best guess and marked needs_review\n") !=
        std::string::npos);
  CHECK(text.find("LLM: 3 calls, 1 from the cache, 0 retries, 0 over budget, 0 prompt + 0 completion tokens\n") !=
        std::string::npos);
}

TEST_CASE("a run that asks an LLM records the prompt's hash in its summary") {
  Fixture f;
  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.threshold = 0.5;
  o.ask_llm = [](const std::vector<LlmQuestion>& questions) { return std::vector<LlmLabel>(questions.size()); };
  o.llm_prompt_hash = "abc123";
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(f.count("SELECT count(*) FROM runs WHERE id = " + std::to_string(s.run_id) +
                " AND json_extract(summary, '$.llm_prompt_hash') = 'abc123'") == 1);
  ClassifySummary without = classify_issues(f.store, f.taxonomy, f.rules, {});
  CHECK(f.count("SELECT count(*) FROM runs WHERE id = " + std::to_string(without.run_id) +
                " AND json_extract(summary, '$.llm_prompt_hash') IS NULL") == 1);
}
