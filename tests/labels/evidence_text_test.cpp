// Tests of labels/evidence_text.h: a label's evidence JSON in a few words.
#include <doctest/doctest.h>

#include "labels/evidence_text.h"

using namespace firstmile;

TEST_CASE("rules evidence shows the node, its margin and the strongest hits with their lines") {
  const std::string evidence = R"({"classifier": "rules", "rules_hash": "abc", "symptom": {
      "node": "sym.crash", "margin": 0.4, "runner_up": "sym.loading", "hits": [
        {"rule": "a", "field": "title", "weight": 0.5, "text": "x", "line": "«x» y"},
        {"rule": "b", "field": "errors", "weight": 2, "text": "V", "line": "«V»alueError: boom"},
        {"rule": "c", "field": "prose", "weight": 1, "text": "oom"},
        {"rule": "d", "field": "code", "weight": 0.1, "text": "z", "line": "«z»"}]},
      "stage": {"node": "stage.inference", "hits": []}})";
  CHECK(evidence_text(evidence, "symptom") ==
        "rules: sym.crash (margin 0.40 over sym.loading); b +2.0 in errors: «V»alueError: boom; "
        "c +1.0 in prose: \"oom\"; a +0.5 in title: «x» y; +1 more");
  CHECK(evidence_text(evidence, "stage") == "rules: stage.inference");
}

TEST_CASE("LLM evidence shows the model and rationale, review notes and unknown shapes are kept") {
  CHECK(evidence_text(R"({"classifier": "llm", "llm": {"model": "m-7b", "rationale": "the loader\nfailed"}})",
                      "symptom") == "LLM m-7b: the loader failed");
  CHECK(evidence_text(R"({"classifier": "rules", "symptom": {"node": "sym.hang", "from_prior": true, "hits": []},
                         "needs_review": "the LLM gave no usable answer: answer rejected: not JSON"})",
                      "symptom") ==
        "rules: sym.hang [no rule fired: prior] [needs review: the LLM gave no usable answer: answer rejected: not "
        "JSON]");
  CHECK(evidence_text(R"({"rule": "r1"})", "symptom") == R"({"rule": "r1"})");
  CHECK(evidence_text("not json", "symptom") == "not json");
  CHECK(evidence_text("{}", "symptom").empty());
  CHECK(evidence_text(std::string(400, 'e'), "symptom") == std::string(300, 'e') + "…");
}
