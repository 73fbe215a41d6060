// classify over a store: rules, hybrid routing to the loopback chat-completions server, calibration.
#include <doctest/doctest.h>

#include "classify/calibrate.h"
#include "classify/classify_run.h"
#include "llm/llm_client.h"
#include "classify/llm_labeler.h"
#include "classify/rules.h"
#include "fake_llm.h"
#include "store/store.h"
#include "support.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;
using firstmile::testing::FakeLlm;
using firstmile::testing::reply_json;
using firstmile::testing::reply_status;
using firstmile::testing::reply_text;
using firstmile::testing::source_file;
using firstmile::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  Taxonomy taxonomy = Taxonomy::load(source_file("taxonomy/taxonomy.json"));
  RuleSet rules = RuleSet::load(taxonomy, source_file("taxonomy/rules"));

  Fixture() {
    Transaction tx(store.db());
    int64_t repo = store.upsert_repository({"acme", "model", "Acme", "m1", ""});
    const char* const reports[][2] = {
        {"CUDA out of memory when loading the 72B model", "```\ntorch.cuda.OutOfMemoryError: CUDA out of memory.\n```"},
        {"Model answers are strange", "Sometimes it says odd things."},
        {"Something is off", "Not sure what happens."},
        {"How to cite the paper?", "Thanks."},
    };
    int64_t number = 0;
    for (const auto& r : reports) {
      IssueData d;
      d.repository_id = repo;
      d.number = ++number;
      d.title = r[0];
      d.body = r[1];
      d.url = "https://github.com/acme/model/issues/" + std::to_string(number);
      store.upsert_issue(d);
    }
    tx.commit();
  }
  int64_t count(const std::string& sql) { return store.db().query_int(sql); }
};

}  // namespace

TEST_CASE("rules-only classify labels every issue with provenance, and non-failures get no labels") {
  Fixture f;
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, {});
  CHECK(s.issues == 4);
  CHECK(s.not_failures >= 1);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'rules' AND run_id = " + std::to_string(s.run_id)) == 4);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'rules' AND is_failure = 0 AND symptom IS NOT NULL") == 0);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE symptom = 'sym.crash.cuda.oom' AND evidence LIKE '%sym.cuda.oom%'") == 1);
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
  CHECK(s.uncertain > 0);
  CHECK(s.uncertain < s.issues);  // the clear OOM report stays with the rules
  CHECK(s.routed == 0);
  CHECK(s.needs_review == s.uncertain);
  CHECK(f.count("SELECT count(*) FROM annotations WHERE source = 'hybrid' AND needs_review = 1") == s.uncertain);
}

TEST_CASE("hybrid asks the LLM for the uncertain only, uses valid answers, and never writes a label outside the taxonomy") {
  Fixture f;
  FakeLlm llm;
  int asked = 0;
  llm.set_responder([&asked](const nlohmann::json&) {
    ++asked;
    if (asked == 1) {
      return reply_json({{"is_failure", true}, {"stage", "stage.inference"}, {"symptom", "sym.incorrect.quality.degradation"},
                         {"root_cause", "rc.config.inference"}, {"rationale", "wrong answers after a settings change"}});
    }
    if (asked == 2) {
      return reply_json({{"is_failure", true}, {"stage", "stage.inference"}, {"symptom", "sym.made.up"},
                         {"root_cause", "rc.config.inference"}, {"rationale", "x"}});
    }
    return reply_text("not JSON at all");
  });
  LlmClientOptions lo;
  lo.base_url = llm.url();
  lo.model = "fake-7b";
  lo.max_retries = 1;
  lo.retry_wait = std::chrono::milliseconds(1);
  LlmClient client(lo, &f.store);
  LlmLabeler labeler(f.taxonomy);
  ClassifyOptions o;
  o.route = Route::kHybrid;
  o.threshold = 0.5;
  o.ask_llm = llm_asker(client, labeler);
  o.llm_model = "fake-7b";
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.routed == s.uncertain);
  CHECK(s.routed < s.issues);
  CHECK(asked == s.routed);
  CHECK(s.answered == 1);
  CHECK(s.needs_review == s.routed - 1);
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
  LlmClientOptions lo;
  lo.base_url = llm.url();
  lo.model = "fake";
  lo.max_retries = 1;
  lo.retry_wait = std::chrono::milliseconds(1);
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
}

TEST_CASE("calibration routes at most the requested share and stores what classify then uses") {
  Fixture f;
  {
    Transaction tx(f.store.db());
    f.store.save_taxonomy(f.taxonomy);
    const char* const gold[][3] = {{"stage.inference", "sym.crash.cuda.oom", "rc.hardware.gpu_memory"},
                                   {"stage.inference", "sym.incorrect.quality.degradation", "rc.config.inference"},
                                   {"stage.inference", "sym.hang.generation", "rc.env.dependency"}};
    for (int i = 0; i < 3; ++i) {
      Annotation a;
      a.issue_id = i + 1;
      a.source = "gold:test";
      a.taxonomy = f.taxonomy.id();
      a.stage = gold[i][0];
      a.symptom = gold[i][1];
      a.root_cause = gold[i][2];
      f.store.upsert_annotation(a);
    }
    tx.commit();
  }
  CalibrateOptions co;
  co.max_route = 0.34;
  CalibrationReport r = calibrate(f.store, f.taxonomy, f.rules, co);
  CHECK(r.issues == 3);
  CHECK(r.routed_share <= 0.34);
  REQUIRE(r.calibrations.size() == 3);
  for (const Calibration& c : r.calibrations) {
    for (size_t i = 1; i < c.accuracy.size(); ++i) CHECK(c.accuracy[i] >= c.accuracy[i - 1]);  // monotone
  }
  SavedCalibration saved = load_calibrations(f.store, f.taxonomy, f.rules);
  CHECK(saved.calibrations.size() == 3);
  CHECK_FALSE(saved.stale);
  CHECK(saved.threshold == doctest::Approx(r.threshold));
  ClassifyOptions o;
  o.route = Route::kHybrid;
  ClassifySummary s = classify_issues(f.store, f.taxonomy, f.rules, o);
  CHECK(s.calibrated);
  CHECK(s.threshold == doctest::Approx(r.threshold));
}
