// Tests of aggregate/similarity_knowledge.h: the shipped similarity.json, what it finds in a
// report, and the checks that name the file and field of a mistake.
#include <doctest/doctest.h>

#include <string>

#include "aggregate/similarity_knowledge.h"
#include "aggregate_fixtures.h"
#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

// A complete file whose parts can be swapped for a test.
struct SimilarityFile {
  std::string stopwords = R"(["the", "fails"])";
  std::string model_families = R"(["qwen[0-9.]*", "llama ?[0-9.]*"])";
  std::string libraries =
      R"([{"name": "vllm"}, {"name": "torch", "spellings": ["torch", "pytorch"]}, {"name": "cuda"}])";
  std::string machine_libraries = R"(["cuda"])";
  std::string blocking = R"({"rare_title_words": 2, "rare_word_most_reports": 50, "rare_word_one_report_in": 200})";
  std::string pair_score = R"({"prior": -5, "same_signature": 5, "signature_words": 6, "signature_words_neutral": 0.9,
      "signatures_together": 1.5, "signatures_together_max_windows": 64, "title_similarity": 5, "other_release": -4.5,
      "other_release_same_error_and_model": -1.5, "other_patch": -1, "same_version": 1, "version_burst": 0.7,
      "version_burst_cap": 3, "close_in_time": 1, "same_repository": 0.3, "same_model": 0.3, "same_root_cause": 0.4,
      "different_root_cause": -0.6})";

  std::string text() const {
    return "// test\n{\"stopwords\": " + stopwords + ", \"model_families\": " + model_families +
           ", \"libraries\": " + libraries + ", \"machine_libraries\": " + machine_libraries +
           ", \"blocking\": " + blocking + ", \"pair_score\": " + pair_score + "}";
  }
  SimilarityKnowledge parse() const { return SimilarityKnowledge::parse(text(), "s.json"); }
};

}  // namespace

TEST_CASE("library versions are read as library and version, whatever the spelling") {
  const SimilarityKnowledge& k = shipped_similarity();
  CHECK(k.library_versions("pip install transformers==4.45.0 and vLLM 0.5.3; flash_attn 2.5.8, PyTorch v2.1") ==
        std::vector<std::string>{"transformers 4.45.0", "vllm 0.5.3", "flash-attn 2.5.8", "torch 2.1"});
  CHECK(k.library_versions("peft 0.6.2 does not accept layer_replication") == std::vector<std::string>{"peft 0.6.2"});
  CHECK(k.library_versions("bnb 0.41.1, AutoGPTQ 0.7.1, auto_gptq 0.7.1, llama.cpp 0.2.1, flashattn>=2.6") ==
        std::vector<std::string>{"bitsandbytes 0.41.1", "auto-gptq 0.7.1", "llama.cpp 0.2.1", "flash-attn 2.6"});
  CHECK(k.library_versions("no versions here, torch without one").empty());
}

TEST_CASE("each search starts afresh where the last match ended, so a library glued to a version is read") {
  // No word boundary between "0" and "vllm" in the text, but the search after the first match
  // sees "vllm 0.5.3" on its own (as RE2::FindAndConsume does).
  CHECK(shipped_similarity().library_versions("transformers 4.45.0vllm 0.5.3") ==
        std::vector<std::string>{"transformers 4.45.0", "vllm 0.5.3"});
  CHECK(shipped_similarity().library_versions("xvllm 0.5.3").empty());
}

TEST_CASE("model families are read lower case, without separators or a trailing dot, once each") {
  const SimilarityKnowledge& k = shipped_similarity();
  CHECK(k.model_mentions("Qwen2.5-7B-Instruct and Llama 3. vs DeepSeek-R1, then qwen2.5 again") ==
        std::vector<std::string>{"qwen2.5", "llama3", "deepseekr1"});
  CHECK(k.model_mentions("no model family here").empty());
}

TEST_CASE("stopwords and machine libraries are those of the file") {
  const SimilarityKnowledge& k = shipped_similarity();
  CHECK(k.is_stopword("the"));
  CHECK(k.is_stopword("model"));
  CHECK_FALSE(k.is_stopword("qwen"));
  CHECK(k.is_machine_library("cuda"));
  CHECK(k.is_machine_library("nccl"));
  CHECK_FALSE(k.is_machine_library("torch"));
}

TEST_CASE("the weights are read as written") {
  SimilarityFile f;
  const PairScoreWeights w = f.parse().pair_score();
  CHECK(w.prior == -5.0);
  CHECK(w.signature_words_neutral == 0.9);
  CHECK(w.signatures_together_max_windows == 64);
  CHECK(w.other_release_same_error_and_model == -1.5);
  CHECK(w.version_burst == 0.7);
  CHECK(w.different_root_cause == -0.6);
  // Evidence added later may be left out of a file: it then does not count.
  CHECK(w.body_similarity == 0);
  CHECK(w.days_apart == 0);
  CHECK(w.mutual_best_min_score == 1);
  CHECK(w.average_link_min_score == 0);  // single linkage
  const PairScoreWeights& shipped = shipped_similarity().pair_score();
  // The same error months apart weighs less than days apart: chronic repeats are not free.
  CHECK(shipped.days_apart + shipped.same_error_far < 0);
  CHECK(shipped.average_link_min_score > 0);  // average linkage
  CHECK(shipped.mutual_best_min_score == 1);  // mutual best links off: wrong on the real storms
  const BlockingLimits& b = shipped_similarity().blocking();
  CHECK(b.rare_title_words == 2);
  CHECK(b.rare_body_words == 30);
  CHECK(b.word_neighbours == 20);
  CHECK(b.rare_word_most_reports == 50);
  CHECK(b.rare_word_one_report_in == 200);
}

TEST_CASE("the hash is the file's git blob hash") {
  std::string content = read_file(source_file("taxonomy/similarity.json"));
  CHECK(shipped_similarity().hash() == git_blob_hash(content));
  SimilarityFile f;
  CHECK(f.parse().hash() == git_blob_hash(f.text()));
  CHECK(f.parse().origin() == "s.json");
}

TEST_CASE("a file of parts as the manual describes is read") {
  SimilarityFile f;
  SimilarityKnowledge k = f.parse();
  CHECK(k.library_versions("PyTorch 2.1 and CUDA 12.1") == std::vector<std::string>{"torch 2.1", "cuda 12.1"});
  CHECK(k.model_mentions("Qwen2 and mistral") == std::vector<std::string>{"qwen2"});
  CHECK(k.is_stopword("fails"));
  CHECK(k.pair_score().same_repository == 0.3);
}

TEST_CASE("an unknown or missing field names the file and the field") {
  SimilarityFile extra;
  extra.blocking = R"({"rare_title_words": 2, "rare_word_most_reports": 50, "rare_word_one_report_in": 200, "x": 1})";
  CHECK_THROWS_WITH_AS(extra.parse(), doctest::Contains("s.json: blocking: unknown field 'x'"), Error);
  SimilarityFile missing;
  missing.pair_score = R"({"prior": -5})";
  CHECK_THROWS_WITH_AS(missing.parse(), "s.json: pair_score: missing 'same_signature'", Error);
  SimilarityFile average;
  average.pair_score.replace(average.pair_score.find("\"prior\""), 0, "\"average_link_min_score\": 1.5, ");
  CHECK_THROWS_WITH_AS(average.parse(),
                       "s.json: pair_score.average_link_min_score: expected a number from 0 up to (not including) 1, "
                       "got 1.500",
                       Error);
  SimilarityFile typed;
  typed.pair_score.replace(typed.pair_score.find("-5"), 2, "\"-5\"");
  CHECK_THROWS_WITH_AS(typed.parse(), "s.json: pair_score: 'prior' must be a number, got string", Error);
  CHECK_THROWS_WITH_AS(SimilarityKnowledge::parse("{\"stopword\": []}", "s.json"),
                       doctest::Contains("s.json: unknown field 'stopword'"), Error);
}

TEST_CASE("a pattern that does not compile or that captures is refused with its place") {
  SimilarityFile broken;
  broken.model_families = R"(["qwen[0-9.", "yi"])";
  CHECK_THROWS_WITH_AS(broken.parse(),
                       doctest::Contains("s.json: model_families 1: 'qwen[0-9.' is not a valid pattern"), Error);
  SimilarityFile capturing;
  capturing.libraries = R"([{"name": "torch", "spellings": ["(py)?torch"]}])";
  capturing.machine_libraries = "[]";
  CHECK_THROWS_WITH_AS(capturing.parse(),
                       "s.json: library 'torch': spellings: '(py)?torch' has a capturing group; write (?:...) instead",
                       Error);
}

TEST_CASE("library names must be lower case, single words, listed once, machine libraries among them") {
  SimilarityFile upper;
  upper.libraries = R"([{"name": "vLLM"}])";
  upper.machine_libraries = "[]";
  CHECK_THROWS_WITH_AS(upper.parse(), "s.json: library 'vLLM': the name must be lower case, without spaces", Error);
  SimilarityFile twice;
  twice.libraries = R"([{"name": "cuda"}, {"name": "cuda"}])";
  CHECK_THROWS_WITH_AS(twice.parse(), "s.json: library 'cuda': listed twice", Error);
  SimilarityFile machine;
  machine.machine_libraries = R"(["nccl"])";
  CHECK_THROWS_WITH_AS(machine.parse(), "s.json: machine_libraries: 'nccl' is not the name of one of the libraries",
                       Error);
}

TEST_CASE("stopwords are single lower-case words and blocking counts whole numbers") {
  SimilarityFile upper;
  upper.stopwords = R"(["the", "The"])";
  CHECK_THROWS_WITH_AS(upper.parse(), doctest::Contains("s.json: stopwords 2: 'The' must be one lower-case word"),
                       Error);
  SimilarityFile fraction;
  fraction.blocking = R"({"rare_title_words": 1.5, "rare_word_most_reports": 50, "rare_word_one_report_in": 200})";
  CHECK_THROWS_WITH_AS(fraction.parse(), "s.json: blocking: 'rare_title_words' must be a whole number of at least 1",
                       Error);
}
