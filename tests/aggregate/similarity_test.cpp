// Tests of aggregate/similarity.h: title words, the corpus statistics, library agreement and
// the pair score, with the shipped weights.
#include <doctest/doctest.h>

#include <cmath>

#include "aggregate/similarity.h"
#include "aggregate/similarity_knowledge.h"
#include "aggregate_fixtures.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

constexpr int64_t kJanuaryFirst2024 = 1704067200;

AggregateReport report(int day, const std::string& title, const std::vector<std::string>& libraries = {},
                       const std::string& signature = "") {
  AggregateReport r;
  r.title = title;
  r.created = kJanuaryFirst2024 + day * 86400;
  r.libraries = libraries;
  r.signature = signature;
  r.repository = "acme/model";
  return r;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  title_words(text, shipped_similarity(), out);
  return out;
}

double squash(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Two reports of the same day, repository and title (cosine 1); everything else as given.
double score_of(AggregateReport a, AggregateReport b) {
  std::vector<AggregateReport> reports = {std::move(a), std::move(b)};
  CorpusStatistics corpus = corpus_statistics(reports, 14, shipped_similarity());
  return pair_score(reports, corpus, 0, 1, 14, shipped_similarity());
}

}  // namespace

TEST_CASE("title words are lower case, two characters or more, neither numbers nor stopwords") {
  CHECK(words("The model fails: KeyError in Qwen2.5 with vLLM 0.5.3 (a _x)") ==
        std::vector<std::string>{"keyerror", "qwen2.5", "vllm", "_x"});
}

TEST_CASE("adjacent CJK ideographs give one bigram per pair") {
  CHECK(words("vllm 部署失败") == std::vector<std::string>{"vllm", "部署", "署失", "失败"});
  CHECK(words("报错：加载") == std::vector<std::string>{"报错", "加载"});  // the full-width colon breaks the run
}

TEST_CASE("a version agrees with its refinements; another patch level or release does not") {
  const SimilarityKnowledge& k = shipped_similarity();
  auto agreement = [&k](const std::string& x, const std::string& y) {
    return compare_libraries(report(0, "a", {x}), report(0, "b", {y}), k);
  };
  LibraryAgreement refined = agreement("transformers 4.45", "transformers 4.45.0");
  CHECK(refined.same_version);
  CHECK_FALSE(refined.other_patch);
  CHECK_FALSE(refined.other_release);
  CHECK(agreement("vllm 0.5.3", "vllm 0.5.4").other_patch);
  CHECK(agreement("vllm 0.5.3", "vllm 0.6.0").other_release);
  CHECK(agreement("transformers 4.4", "transformers 4.45").other_release);  // 4.4 is not a prefix release of 4.45
  CHECK(agreement("cuda 11.8", "cuda 12.1").other_patch);                   // the machine's, not the storm's
  LibraryAgreement unrelated = agreement("vllm 0.5.3", "torch 2.1.0");
  CHECK_FALSE((unrelated.same_version || unrelated.other_patch || unrelated.other_release));
}

TEST_CASE("corpus statistics key each report by its signature, libraries and rarest shared title words") {
  std::vector<AggregateReport> reports = {report(0, "alpha beta gamma", {"vllm 0.5.3"}, "E: x"),
                                          report(1, "alpha beta delta"), report(30, "alpha epsilon", {}, "E: x")};
  CorpusStatistics c = corpus_statistics(reports, 14, shipped_similarity());
  // beta is used by 2 reports, alpha by 3: beta is the rarer; gamma, delta, epsilon are shared by none.
  CHECK(c.keys[0] == std::vector<std::string>{"w|beta", "w|alpha", "l|vllm 0.5.3", "s|E: x"});
  CHECK(c.keys[1] == std::vector<std::string>{"w|beta", "w|alpha"});
  CHECK(c.keys[2] == std::vector<std::string>{"w|alpha", "s|E: x"});
  CHECK(c.signature_id == std::vector<int32_t>{0, -1, 0});
  CHECK(c.windows_of_signature[0].size() == 2);  // 30 days apart: two 14-day windows
  CHECK(c.windows == 3);                         // 1 + 30 / 14
  CHECK(c.span == 30 * 86400);
  CHECK(c.times_of_library.at("vllm 0.5.3") == std::vector<int64_t>{kJanuaryFirst2024});
}

TEST_CASE("the pair score adds the named weights in log-odds") {
  // prior -5, title cosine 1 (x5), same day (x1), same repository 0.3.
  const double base = -5 + 5 + 1 + 0.3;
  CHECK(score_of(report(0, "KeyError qwen2 loading"), report(0, "KeyError qwen2 loading")) ==
        doctest::Approx(squash(base)).epsilon(1e-6));
  AggregateReport x = report(0, "KeyError qwen2 loading"), y = report(0, "KeyError qwen2 loading");
  x.root_cause = "rc.env.cuda";
  y.root_cause = "rc.env.dependency";
  CHECK(score_of(x, y) == doctest::Approx(squash(base - 0.6)).epsilon(1e-6));
  y.root_cause = x.root_cause;
  x.model = y.model = "Qwen2.5";
  CHECK(score_of(x, y) == doctest::Approx(squash(base + 0.4 + 0.3)).epsilon(1e-6));
}

TEST_CASE("the same signature in one window adds its full weight; other releases weigh against") {
  const double base = -5 + 5 + 1 + 0.3;
  const std::string title = "KeyError qwen2 loading";
  CHECK(score_of(report(0, title, {}, "KeyError: x"), report(0, title, {}, "KeyError: x")) ==
        doctest::Approx(squash(base + 5)).epsilon(1e-6));
  // Same version: +1; two reports naming it on one day give no burst over the corpus rate.
  CHECK(score_of(report(0, title, {"vllm 0.5.3"}), report(0, title, {"vllm 0.5.3"})) ==
        doctest::Approx(squash(base + 1)).epsilon(1e-6));
  CHECK(score_of(report(0, title, {"vllm 0.5.3"}), report(0, title, {"vllm 0.5.4"})) ==
        doctest::Approx(squash(base - 1)).epsilon(1e-6));
  CHECK(score_of(report(0, title, {"vllm 0.5.3"}), report(0, title, {"vllm 0.6.0"})) ==
        doctest::Approx(squash(base - 4.5)).epsilon(1e-6));
  AggregateReport x = report(0, title, {"vllm 0.5.3"}, "KeyError: x"),
                  y = report(0, title, {"vllm 0.6.0"}, "KeyError: x");
  x.models = y.models = {"qwen2"};
  CHECK(score_of(x, y) == doctest::Approx(squash(base + 5 - 1.5)).epsilon(1e-6));
}

TEST_CASE("reports further apart in time score lower") {
  const std::string title = "KeyError qwen2 loading";
  // exp(-14 / 14) instead of exp(0) for the time evidence.
  CHECK(score_of(report(0, title), report(14, title)) ==
        doctest::Approx(squash(-5 + 5 + std::exp(-1.0) + 0.3)).epsilon(1e-6));
}
