// classify_support.h — what the classify tests share: the shipped taxonomy and rules, loaded
// once, and a store holding four short reports to classify, calibrate and explain.
#pragma once

#include <chrono>
#include <string>

#include "classify/rules.h"
#include "llm/llm_client.h"
#include "store/calibrations.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"
#include "taxonomy/taxonomy.h"

namespace firstmile::testing {

// A client of the loopback server that gives up after one quick retry.
inline LlmClientOptions quick_client(const std::string& url, const std::string& model) {
  LlmClientOptions o;
  o.base_url = url;
  o.model = model;
  o.max_retries = 1;
  o.retry_wait = std::chrono::milliseconds(1);
  return o;
}

inline const RuleSet& shipped_rules() {
  static const RuleSet r = RuleSet::load(shipped_taxonomy(), source_file("taxonomy/rules"));
  return r;
}

// acme/model #1 to #4: an out-of-memory traceback (a clear failure report), two vague
// complaints, and a question about citing the paper (not a failure report).
struct FourReports {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  const Taxonomy& taxonomy = shipped_taxonomy();
  const RuleSet& rules = shipped_rules();

  FourReports() {
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
  // A stage calibration saved as if learnt with other rules (a rules hash of "old").
  void add_stale_stage_calibration() {
    add_calibration(store,
                    {.taxonomy = taxonomy.id(),
                     .dimension = "stage",
                     .gold_source = "gold",
                     .model = R"({"upper_edges": [1e300], "accuracy": [0.9], "counts": [3], "rules_hash": "old"})"});
  }
};

}  // namespace firstmile::testing
