// explain: one issue of the four reports (classify_support.h) classified afresh, beside the
// labels stored for it, and printed as `firstmile explain` prints it.
#include <doctest/doctest.h>

#include <sstream>

#include "base/error.h"
#include "classify/classify_run.h"
#include "classify/explain.h"
#include "classify_support.h"
#include "store/calibrations.h"

using namespace firstmile;
using Fixture = firstmile::testing::FourReports;

namespace {

std::string printed(const Explanation& e, const Taxonomy& taxonomy) {
  std::ostringstream out;
  print_explanation(e, taxonomy, out);
  return out.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an explanation holds the issue, its features, the decisions and every stored label") {
  Fixture f;
  classify_issues(f.store, f.taxonomy, f.rules, {});
  Explanation e = explain_issue(f.store, f.taxonomy, f.rules, "acme/model#1");
  CHECK(e.issue.title == "CUDA out of memory when loading the 72B model");
  CHECK(e.features.error_lines == std::vector<std::string>{"torch.cuda.OutOfMemoryError: CUDA out of memory."});
  CHECK(e.decision.is_failure);
  CHECK(e.decision.symptom.node == "sym.crash.cuda.oom");
  CHECK(e.threshold == -1);  // not calibrated
  CHECK_FALSE(e.stale_calibration);
  REQUIRE(e.labels.size() == 1);
  CHECK(e.labels[0].source == "rules");
  CHECK(e.labels[0].symptom == "sym.crash.cuda.oom");
  // The same issue named by its URL.
  CHECK(explain_issue(f.store, f.taxonomy, f.rules, "https://github.com/acme/model/issues/1").issue.id == e.issue.id);
}

TEST_CASE("the explanation prints the issue, its error lines, each decision with its hits, and the stored labels") {
  Fixture f;
  classify_issues(f.store, f.taxonomy, f.rules, {});
  std::string text = printed(explain_issue(f.store, f.taxonomy, f.rules, "acme/model#1"), f.taxonomy);
  CHECK(text.rfind("https://github.com/acme/model/issues/1\nCUDA out of memory when loading the 72B model\n\n"
                   "language en, 1 error lines, 0 comments\n"
                   "  error: torch.cuda.OutOfMemoryError: CUDA out of memory.\n"
                   "  signature: torch.cuda.OutOfMemoryError: CUDA out of memory.\n\nrelevance: failure  (confidence ",
                   0) == 0);
  CHECK(contains(text, "\nsymptom: Crash / CUDA Error / Out of Memory  (confidence "));
  CHECK(contains(text, "\n    sym.cuda.oom -> sym.crash.cuda.oom  +"));
  CHECK(contains(text, "\nissue confidence "));
  CHECK(contains(text, "\n\nStored labels:\n  rules #1: stage.inference | sym.crash.cuda.oom | "));
  // The question was never classified as anything else: no labels yet for a new issue.
  Fixture fresh;
  CHECK(contains(printed(explain_issue(fresh.store, fresh.taxonomy, fresh.rules, "acme/model#4"), fresh.taxonomy),
                 "\n\nStored labels:\n  (none)\n"));
}

TEST_CASE("with a calibration the explanation compares the issue confidence with the routing threshold") {
  Fixture f;
  add_calibration(f.store, {.taxonomy = f.taxonomy.id(),
                            .dimension = "stage",
                            .gold_source = "gold",
                            .model = R"({"upper_edges": [1e300], "accuracy": [0.9], "counts": [3], "rules_hash": ")" +
                                     f.rules.hash() + "\"}"});
  add_calibration(f.store, {.taxonomy = f.taxonomy.id(),
                            .dimension = "routing",
                            .gold_source = "gold",
                            .model = R"({"threshold": 2, "rules_hash": ")" + f.rules.hash() + "\"}"});
  std::string text = printed(explain_issue(f.store, f.taxonomy, f.rules, "acme/model#1"), f.taxonomy);
  CHECK(contains(text, " < threshold 2.000: hybrid --threshold would ask the LLM\n"));
  // The shipped routing block says the LLM gets stages right 0.974 of the time, more than the
  // 0.9 this calibration gives the rules: asking pays on the stage at least.
  CHECK(contains(text, "\nexpected gain of asking the LLM "));
  CHECK(contains(text, "stage"));
  CHECK(contains(text, "): hybrid asks the LLM about the issues of largest gain, at most --max-route of them\n"));
  // The shipped text model's view of the symptom.
  CHECK(contains(text, "    text model: P(sym."));
}

TEST_CASE("a calibration learnt with other rules is named first and left unused") {
  Fixture f;
  f.add_stale_stage_calibration();
  Explanation e = explain_issue(f.store, f.taxonomy, f.rules, "acme/model#2");
  CHECK(e.stale_calibration);
  CHECK(printed(e, f.taxonomy)
            .rfind("(the saved calibration was learnt with other rules and is not used; run `firstmile "
                   "calibrate`)\nhttps://github.com/acme/model/issues/2\n",
                   0) == 0);
}

TEST_CASE("explain refuses a reference it cannot read, an issue it does not know, and one without text") {
  Fixture f;
  CHECK_THROWS_WITH_AS(explain_issue(f.store, f.taxonomy, f.rules, "acme-model-1"),
                       "'acme-model-1': expected OWNER/NAME#NUMBER or an issue URL", Error);
  CHECK_THROWS_WITH_AS(explain_issue(f.store, f.taxonomy, f.rules, "acme/model#9"),
                       ("acme/model#9: not in " + (f.dir / "t.db").string()).c_str(), Error);
  CHECK_THROWS_WITH_AS(explain_issue(f.store, f.taxonomy, f.rules, "other/repo#1"),
                       doctest::Contains("other/repo#1: not in"), Error);
  f.store.ensure_issue(*f.store.find_repository("acme", "model"), 5, "https://github.com/acme/model/issues/5");
  CHECK_THROWS_WITH_AS(explain_issue(f.store, f.taxonomy, f.rules, "acme/model#5"),
                       "acme/model#5: its text is not in the database (mine or import it first)", Error);
}
