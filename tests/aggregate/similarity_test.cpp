// Tests of aggregate/similarity.h: title words, the corpus statistics, library agreement and
// the pair score, with the shipped weights.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "aggregate/pair_judge.h"
#include "aggregate/report.h"
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

TEST_CASE("degenerate output is one word however long its run") {
  CHECK(words("qwen2 answers GGGG") == std::vector<std::string>{"qwen2", "answers", "g+"});
  CHECK(words("only ggggggggggg, then GGGGG") == std::vector<std::string>{"only", "g+", "then", "g+"});
  CHECK(words("qwen prints !!!!!!!!!!!!") == std::vector<std::string>{"qwen", "prints", "!+"});
  CHECK(words("output: ???") == std::vector<std::string>{"output", "?+"});
  // Short runs are not: words of three letters, one or two marks.
  CHECK(words("ggg why!! no? www") == std::vector<std::string>{"ggg", "no", "www"});
  CHECK(words("!!!GGGG!!!") == std::vector<std::string>{"!+", "g+", "!+"});
}

TEST_CASE("adjacent CJK ideographs give one bigram per pair") {
  CHECK(words("vllm 部署失败") == std::vector<std::string>{"vllm", "部署", "署失", "失败"});
  CHECK(words("报错：加载") == std::vector<std::string>{"报错", "加载"});  // the full-width colon breaks the run
}

TEST_CASE("a version agrees with its refinements, another patch level or release does not") {
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

namespace {

// The score of two reports of one day, repository (and owner) and title (cosine 1) before the
// evidence a test adds: every term a named weight of the shipped file.
double base_of(const PairScoreWeights& w) {
  return w.prior + w.title_similarity + w.close_in_time + w.same_repository + w.same_family;
}

}  // namespace

TEST_CASE("the pair score adds the named weights in log-odds") {
  const PairScoreWeights& w = shipped_similarity().pair_score();
  const double base = base_of(w);
  CHECK(score_of(report(0, "KeyError qwen2 loading"), report(0, "KeyError qwen2 loading")) ==
        doctest::Approx(squash(base)).epsilon(1e-6));
  AggregateReport x = report(0, "KeyError qwen2 loading"), y = report(0, "KeyError qwen2 loading");
  x.root_cause = "rc.env.cuda";
  y.root_cause = "rc.env.dependency";
  CHECK(score_of(x, y) == doctest::Approx(squash(base + w.different_root_cause)).epsilon(1e-6));
  y.root_cause = x.root_cause;
  x.model = y.model = "Qwen2.5";
  CHECK(score_of(x, y) == doctest::Approx(squash(base + w.same_root_cause + w.same_model)).epsilon(1e-6));
  // Another owner: neither the repository nor the family.
  y.repository = "other/model";
  CHECK(score_of(x, y) == doctest::Approx(squash(base - w.same_repository - w.same_family + w.same_root_cause +
                                                 w.same_model))
                              .epsilon(1e-6));
  // Every evidence has its weight, by the same name.
  for (const EvidenceField& f : evidence_fields()) CAPTURE(f.name);
  CHECK(evidence_fields().size() == 22);
}

TEST_CASE("the same signature in one window adds its full weight, other releases weigh against") {
  const PairScoreWeights& w = shipped_similarity().pair_score();
  const double base = base_of(w);
  const std::string title = "KeyError qwen2 loading";
  CHECK(score_of(report(0, title, {}, "KeyError: x"), report(0, title, {}, "KeyError: x")) ==
        doctest::Approx(squash(base + w.same_signature)).epsilon(1e-6));
  // Same version; two reports naming it on one day give no burst over the corpus rate.
  CHECK(score_of(report(0, title, {"vllm 0.5.3"}), report(0, title, {"vllm 0.5.3"})) ==
        doctest::Approx(squash(base + w.same_version)).epsilon(1e-6));
  CHECK(score_of(report(0, title, {"vllm 0.5.3"}), report(0, title, {"vllm 0.5.4"})) ==
        doctest::Approx(squash(base + w.other_patch)).epsilon(1e-6));
  CHECK(score_of(report(0, title, {"vllm 0.5.3"}), report(0, title, {"vllm 0.6.0"})) ==
        doctest::Approx(squash(base + w.other_release)).epsilon(1e-6));
  AggregateReport x = report(0, title, {"vllm 0.5.3"}, "KeyError: x"),
                  y = report(0, title, {"vllm 0.6.0"}, "KeyError: x");
  x.models = y.models = {"qwen2"};
  CHECK(score_of(x, y) ==
        doctest::Approx(squash(base + w.same_signature + w.other_release_same_error_and_model)).epsilon(1e-6));
}

TEST_CASE("reports further apart in time score lower") {
  const PairScoreWeights& w = shipped_similarity().pair_score();
  const std::string title = "KeyError qwen2 loading";
  // exp(-14 / 14) instead of exp(0) for closeness, and log(15) / log(366) of the days apart.
  const double z = w.prior + w.title_similarity + w.close_in_time * std::exp(-1.0) +
                   w.days_apart * std::log(15.0) / std::log(366.0) + w.same_repository + w.same_family;
  CHECK(score_of(report(0, title), report(14, title)) == doctest::Approx(squash(z)).epsilon(1e-6));
  CHECK(score_of(report(0, title), report(200, title)) < score_of(report(0, title), report(14, title)));
}

TEST_CASE("words shared by two reports: the body cosine, the rarest shared words and known changes") {
  SimilarityKnowledge k = shipped_similarity();
  k.add_known_changes({{"transformers-4.37-qwen2", {"KeyError: 'qwen2'", "Qwen2Tokenizer does not exist"}, true},
                       {"driver-too-old", {"driver on your system is too old"}, false}});
  std::vector<AggregateReport> reports;
  const char* const texts[][2] = {{"cli fails", "Tokenizer class Qwen2Tokenizer does not exist or is not imported"},
                                  {"finetune stops", "KeyError 'qwen2' when loading"},
                                  {"unrelated", "something else entirely happens here"},
                                  {"also unrelated", "nothing in common with the others"},
                                  // Another model type, added to transformers later: not the change.
                                  {"moe load fails", "KeyError: 'qwen2_moe' in configuration_auto"},
                                  // A kind of failure: candidates, but no evidence of one incident.
                                  {"gpu gone", "The NVIDIA driver on your system is too old"},
                                  {"no gpu", "says the NVIDIA driver on your system is too old (found 470)"}};
  for (const auto& t : texts) {
    AggregateReport r = report(0, t[0]);
    read_report_features(r, t[1], nullptr, k, false);
    reports.push_back(std::move(r));
  }
  CHECK(reports[0].known_changes == std::vector<std::string>{"transformers-4.37-qwen2"});
  CHECK(reports[1].known_changes == std::vector<std::string>{"transformers-4.37-qwen2"});
  CHECK(reports[2].known_changes.empty());
  CHECK(reports[4].known_changes.empty());
  CorpusStatistics c = corpus_statistics(reports, 14, k);
  PairEvidence linked = pair_evidence(reports, c, 0, 1, 14, k);
  CHECK(linked.same_known_change == 1);
  CHECK(pair_evidence(reports, c, 0, 2, 14, k).same_known_change == 0);
  // One known change is a key: the two are candidates whatever their words.
  CHECK(std::count(c.keys[0].begin(), c.keys[0].end(), "k|transformers-4.37-qwen2") == 1);
  CHECK(reports[5].known_changes == std::vector<std::string>{"driver-too-old"});
  CHECK(std::count(c.keys[6].begin(), c.keys[6].end(), "k|driver-too-old") == 1);
  CHECK(pair_evidence(reports, c, 5, 6, 14, k).same_known_change == 0);
  // Identical text: body cosine 1; no word in common: 0.
  std::vector<AggregateReport> twins = {report(0, "a"), report(0, "a"), report(0, "b")};
  for (AggregateReport& r : twins) read_report_features(r, "vllm engine crashed at startup", nullptr, k, false);
  twins[2].words.clear();
  CorpusStatistics t = corpus_statistics(twins, 14, k);
  CHECK(pair_evidence(twins, t, 0, 1, 14, k).body_similarity == doctest::Approx(1.0));
  CHECK(pair_evidence(twins, t, 0, 2, 14, k).body_similarity == 0);
  CHECK(pair_evidence(twins, t, 0, 1, 14, k).rare_shared_words > 0);
}

TEST_CASE("the shipped known changes are found as users write them, prose included, and only there") {
  SimilarityKnowledge k = shipped_similarity();
  std::vector<SimilarityKnowledge::ChangeFragments> changes;
  for (const KnownChange& c : Knowledge::load().changes) changes.push_back({c.id, c.tell_tale_errors, c.one_incident});
  k.add_known_changes(changes);
  auto found = [&](const std::string& body) {
    AggregateReport r = report(0, "report");
    read_report_features(r, body, nullptr, k, false);
    return r.known_changes;
  };
  using Ids = std::vector<std::string>;
  CHECK(found("The answer has a </think> but no <think> tag at the start.") == Ids{"deepseek-r1-template-opens-think"});
  CHECK(found("The R1 answer is missing the opening <think>, only </think> shows") ==
        Ids{"deepseek-r1-template-opens-think"});
  CHECK(found("I think the output is missing something, no thinking at all").empty());
  CHECK(found("How do I run R1 without <think> mode? The answer is missing <think> content").empty());
  CHECK(found("ImportError: This modeling file requires the following packages that were not found in your "
              "environment: transformers_stream_generator. Run `pip install transformers_stream_generator`") ==
        Ids{"qwen-remote-code-extra-packages"});
  CHECK(found("ModuleNotFoundError: No module named 'triton'") == Ids{"triton-no-windows-wheels"});
  CHECK(found("KeyError: 'qwen2_moe'") == Ids{"transformers-4.40-qwen2-moe"});
  CHECK(found("RuntimeError: Internal: could not parse ModelProto from /models/Meta-Llama-3-8B/tokenizer.model") ==
            Ids{"llama3-tokenizer-not-sentencepiece"});
  CHECK(found("RuntimeError: \"addmm_impl_cpu_\" not implemented for 'Half'") == Ids{"fp16-on-cpu"});
  CHECK(found("KeyError: 'deepseek_v3'") == Ids{"transformers-deepseek-model-types"});
  CHECK(found("ValueError: Adding unknown special tokens is not supported") == Ids{"qwen-tokenizer-special-tokens"});
  CHECK(found("torch.distributed.DistStoreError: use_libuv was requested but PyTorch was build without libuv "
              "support") == Ids{"torch-2.4-windows-libuv"});
  CHECK(found("AssertionError: no checkpoint files found in llama-2-7b/") == Ids{"llama-reference-no-checkpoint-found"});
  CHECK(found("AssertionError: Loading a checkpoint for MP=2 but world size is 1") ==
        Ids{"llama-reference-shards-vs-processes"});
}

TEST_CASE("an error message is one signature with or without the exception class before it") {
  CHECK(without_exception_class("RuntimeError: Distributed package doesn't have NCCL built in") ==
        "Distributed package doesn't have NCCL built in");
  CHECK(without_exception_class("torch.cuda.OutOfMemoryError: CUDA out of memory") == "CUDA out of memory");
  CHECK(without_exception_class("KeyError: 'qwen2'") == "'qwen2'");
  CHECK(without_exception_class("UserWarning: NCCL support is not compiled") == "NCCL support is not compiled");
  // No class, or nothing after it: as it is.
  CHECK(without_exception_class("Segmentation fault (core dumped)") == "Segmentation fault (core dumped)");
  CHECK(without_exception_class("KeyError:") == "KeyError:");
  CHECK(without_exception_class("the error: x") == "the error: x");
  std::vector<AggregateReport> reports = {
      report(0, "a", {}, "RuntimeError: Distributed package doesn't have NCCL built in"),
      report(0, "b", {}, "Distributed package doesn't have NCCL built in"),
      report(0, "c", {}, "RuntimeError: something else")};
  CorpusStatistics c = corpus_statistics(reports, 14, shipped_similarity());
  CHECK(c.signature_id[0] == c.signature_id[1]);
  CHECK(c.signature_id[0] != c.signature_id[2]);
  CHECK(pair_evidence(reports, c, 0, 1, 14, shipped_similarity()).same_signature > 0);
}

TEST_CASE("an error line both paste anywhere in their errors counts by its rarity, and months apart with it") {
  const SimilarityKnowledge& k = shipped_similarity();
  const char* const bodies[] = {
      "It stops.\n```\nValueError: first thing went wrong\nKeyError: 'mystery_model'\n```\n",
      "Loading fails.\n```\nOSError: can not find the file\nKeyError: 'mystery_model'\n```\n",
      "Loading fails.\n```\nOSError: can not find the file\n```\n",
      "Nothing shared here.\n```\nTypeError: another one\n```\n"};
  std::vector<AggregateReport> reports;
  for (int i = 0; i < 4; ++i) {
    AggregateReport r = report(i == 1 ? 200 : 0, "report " + std::to_string(i));
    read_report_features(r, bodies[i], nullptr, k, false);
    reports.push_back(std::move(r));
  }
  REQUIRE(reports[0].error_keys.size() == 2);
  CorpusStatistics c = corpus_statistics(reports, 14, k);
  PairEvidence one_line = pair_evidence(reports, c, 0, 1, 14, k);
  // Their first exceptions (the signatures) differ; the KeyError line, in 2 of 4 reports, is shared.
  CHECK(one_line.same_signature == 0);
  CHECK(one_line.shared_error_line == doctest::Approx(std::log(4.0 / 2) / std::log(4.0)));
  CHECK(one_line.same_error_far == doctest::Approx(one_line.days_apart));
  CHECK(one_line.days_apart > 0.8);
  PairEvidence nothing = pair_evidence(reports, c, 0, 3, 14, k);
  CHECK(nothing.shared_error_line == 0);
  CHECK(nothing.same_error_far == 0);
  // The same day: the shared error counts, the time apart does not.
  PairEvidence same_day = pair_evidence(reports, c, 0, 2, 14, k);
  CHECK(same_day.shared_error_line == 0);
  CHECK(pair_evidence(reports, c, 1, 2, 14, k).shared_error_line > 0);
}
