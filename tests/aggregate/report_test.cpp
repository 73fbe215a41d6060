// Tests of aggregate/report.h: a report's features, and slices run on threads whose errors
// reach the caller.
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>

#include "aggregate/report.h"
#include "aggregate_fixtures.h"
#include "base/error.h"
#include "classify/classifier.h"
#include "classify/features.h"

using namespace firstmile;
using namespace firstmile::testing;

TEST_CASE("a report's signature, libraries and models come from its title and body") {
  AggregateReport r;
  r.title = "Qwen2.5 fails with vLLM 0.5.3";
  std::string body =
      "Traceback (most recent call last):\n  File \"x.py\", line 3\nKeyError: 'qwen2'\n\ntransformers==4.45.0";
  read_report_features(r, body, nullptr, shipped_similarity(), /*llm_view=*/false);
  CHECK(r.signature == "KeyError: 'qwen2'");
  CHECK(r.libraries == std::vector<std::string>{"vllm 0.5.3", "transformers 4.45.0"});
  CHECK(r.models == std::vector<std::string>{"qwen2.5", "qwen2"});  // the title's, then the KeyError's
  CHECK(r.error_lines.empty());                                     // the LLM's view only when asked for
  CHECK(r.excerpt.empty());
}

TEST_CASE("an error pasted only in the comments is the report's signature") {
  AggregateReport r;
  r.title = "loading fails";
  std::string comments = "Here is the log:\n```\nRuntimeError: CUDA error: device-side assert triggered\n```\n";
  read_report_features(r, "It does not load.", &comments, shipped_similarity(), /*llm_view=*/true);
  CHECK(r.signature == "RuntimeError: CUDA error: device-side assert triggered");
  CHECK(r.error_lines == std::vector<std::string>{"RuntimeError: CUDA error: device-side assert triggered"});
  CHECK(r.excerpt == "It does not load.\n");  // the prose as written
}

TEST_CASE("model families are read in the title and the first 300 bytes of the body only") {
  AggregateReport r;
  r.title = "crash";
  read_report_features(r, std::string(300, 'x') + " Llama 3 too", nullptr, shipped_similarity(), false);
  CHECK(r.models.empty());
  read_report_features(r, std::string(290, 'x') + " Llama 3 too", nullptr, shipped_similarity(), false);
  CHECK(r.models == std::vector<std::string>{"llama3"});
}

TEST_CASE("with rules to label it, a report gets their stage and root cause, none when no failure") {
  AggregateReport r;
  r.title = "CUDA out of memory when fine-tuning Qwen2-7B with LoRA";
  const std::string body = "Training stops at step 3.\n```\ntorch.cuda.OutOfMemoryError: CUDA out of memory.\n```";
  read_report_features(r, body, nullptr, shipped_similarity(), false);
  CHECK(r.root_cause.empty());  // no rules, no labels
  read_report_features(r, body, nullptr, shipped_similarity(), false, &shipped_rules());
  Classification c = shipped_rules().classify(extract_features(r.title, body, {}));
  REQUIRE(c.is_failure);
  CHECK(!r.root_cause.empty());
  CHECK(r.root_cause == c.root_cause.node);
  CHECK(r.stage == c.stage.node);

  AggregateReport question;
  question.title = "How do I cite the Qwen2 paper?";
  const std::string ask = "Is there a BibTeX entry for the technical report?";
  REQUIRE_FALSE(shipped_rules().classify(extract_features(question.title, ask, {})).is_failure);
  read_report_features(question, ask, nullptr, shipped_similarity(), false, &shipped_rules());
  CHECK(question.root_cause.empty());
  CHECK(question.stage.empty());
}

TEST_CASE("slices cover the range once, whatever the number of threads") {
  for (size_t threads : {1, 3, 8}) {
    std::vector<std::atomic<int>> seen(10);
    for_each_slice(
        10, threads,
        [&](size_t from, size_t to) {
          for (size_t k = from; k < to; ++k) ++seen[k];
        },
        "counting");
    for (size_t k = 0; k < 10; ++k) CHECK(seen[k] == 1);
  }
}

TEST_CASE("an exception in a worker thread reaches the caller as an Error saying what failed") {
  auto failing = [](size_t from, size_t) {
    if (from > 0) throw std::runtime_error("bad body");
  };
  CHECK_THROWS_WITH_AS(for_each_slice(100, 4, failing, "reading features"), "reading features failed: bad body", Error);
}

TEST_CASE("an Error in a slice reaches the caller as it is, the first slice's first") {
  auto failing = [](size_t from, size_t) { throw Error("slice at " + std::to_string(from)); };
  CHECK_THROWS_WITH_AS(for_each_slice(100, 4, failing, "reading features"), "slice at 0", Error);
}
