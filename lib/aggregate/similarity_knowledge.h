// aggregate/similarity_knowledge.h — what the aggregation knows about reports, as data:
// taxonomy/similarity.json.
//
//   SimilarityKnowledge k = SimilarityKnowledge::load();          // the shipped file
//   k.library_versions("transformers==4.45.0, PyTorch v2.1");    // {"transformers 4.45.0", "torch 2.1"}
//   k.model_mentions("Qwen2.5-7B-Instruct fails");               // {"qwen2.5"}
//   k.is_stopword("the");  k.is_machine_library("cuda");
//   k.pair_score().prior;  k.blocking().rare_title_words;        // the named weights
//   k.hash();                                                     // for the run's provenance
//
// The file holds the stopwords of title similarity, the model families and libraries read in
// a report, the libraries whose version is the machine's (CUDA, NCCL), the blocking limits and
// every weight of the pair score, each named for what it means (the file's comments say how
// each is used). Loading checks every field and pattern, and throws Error naming the file and
// the field at fault; the weights are read as written, so the same file gives the same
// incidents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

namespace firstmile {

// Which reports become candidate pairs through their rarest title words.
struct BlockingLimits {
  size_t rare_title_words = 0;         // keys per report, the rarest words first
  size_t rare_body_words = 0;          // words of title, prose and error lines a report looks its neighbours up by
  size_t word_postings = 100;          // ... each used by 2 to this many reports
  size_t word_neighbours = 0;          // nearest reports by shared rare words kept per report
  size_t rare_word_most_reports = 0;   // a rare word is used by 2 to this many reports ...
  size_t rare_word_one_report_in = 0;  // ... or by at most one report in this many
};

// The pair score's weights, in log-odds (see similarity.h, pair_score).
struct PairScoreWeights {
  double prior = 0;            // where every pair starts
  double same_signature = 0;   // / (1 + log2(windows the signature appears in))
  double signature_words = 0;  // * (word overlap of two signatures - neutral)
  double signature_words_neutral = 0;
  double signatures_together = 0;  // * overlap of the windows two signatures appear in
  size_t signatures_together_max_windows = 0;
  double title_similarity = 0;  // * TF-IDF cosine of the titles
  double body_similarity = 0;   // * TF-IDF cosine of title, prose and error lines
  double rare_shared_words = 0;  // * the rarest words both use (sum of the three largest log(n/df) / log n)
  double same_known_change = 0;  // both show a tell-tale error of one known breaking change
  double shared_error_line = 0;  // * the rarest error line both paste (log(n / df) / log n)
  double same_error_far = 0;     // * days_apart when they share an error: chronic incidents
  double days_apart = 0;         // * log(1 + days apart) / log(1 + 365): months apart weigh, not forbid
  double other_release = 0;     // the same library at another release
  double other_release_same_error_and_model = 0;
  double other_patch = 0;  // another patch level, or a machine library
  double same_version = 0;
  double version_burst = 0;  // * min(log2(local / expected), cap)
  double version_burst_cap = 0;
  double close_in_time = 0;  // * exp(-days apart / window days)
  double same_repository = 0;
  double same_family = 0;  // the same owner: code copied across one family's repositories
  double same_model = 0;
  double same_root_cause = 0;
  double different_root_cause = 0;
  double embedding_similarity = 0;  // * how far the embeddings' cosine is above the corpus's typical one
  // Besides every pair scoring 0.5 or more, a report and its best-scored candidate are linked
  // when each is the other's best and they score at least this (1: never; real storms show a
  // report's true partner as its best candidate far more often than above any one threshold).
  double mutual_best_min_score = 1;
  // Average linkage: two groups are joined by a linking pair only when the mean score over
  // every pair of reports across them (a pair that is no candidate counting 0) is at least
  // this; 0: every linking pair joins its groups (single linkage, chains and all).
  double average_link_min_score = 0;
};

class SimilarityKnowledge {
 public:
  // `path` empty: taxonomy/similarity.json from the resource directory.
  static SimilarityKnowledge load(const std::filesystem::path& path = {});
  // `origin` names the file in messages; `content` is hashed.
  static SimilarityKnowledge parse(std::string_view content, const std::string& origin);

  bool is_stopword(const std::string& word) const { return stopwords_.count(word) > 0; }
  bool is_machine_library(std::string_view name) const;

  // Model families named in a text, lower case, in order of first mention: "Qwen2.5-7B" -> "qwen2.5".
  std::vector<std::string> model_mentions(const std::string& text) const;
  // Library versions named in a text, "name version", in order of first mention:
  // "transformers==4.45.0" -> "transformers 4.45.0", "flash_attn 2.5.8" -> "flash-attn 2.5.8".
  std::vector<std::string> library_versions(const std::string& text) const;

  // Known breaking changes (taxonomy/knowledge, pair_judge.h) by id, their tell-tale fragments,
  // and whether every report showing one has one root cause (false: a kind of failure). Two
  // reports showing a fragment of one change are candidates; of a one-incident change, evidence
  // of one cause whatever else their error lines say. Fragments are compared lower case,
  // punctuation as spaces, whole words at both ends.
  struct ChangeFragments {
    std::string id;
    std::vector<std::string> fragments;
    bool one_incident = true;
    // The library it happens in, as the knowledge writes it ("transformers", "llama.cpp (and
    // ollama ...)", "Meta-Llama-3 tokenizer.model"), and whether any release of it shows it;
    // add_known_changes keeps only what bound_to_releases() needs.
    std::string library{};
    bool any_release = false;
  };
  void add_known_changes(const std::vector<ChangeFragments>& changes);
  // The ids of the known changes whose tell-tale fragments `text` shows, in the order added.
  std::vector<std::string> known_changes_in(const std::string& text) const;
  // Whether the change of this id is one incident (an id never added: false).
  bool is_one_incident(const std::string& id) const;
  // Whether the change of this id belongs to releases of a library whose versions are read here
  // (its library's first word, lower case, is one of "libraries", and not any_release), so that
  // the versions two reports name may speak of it; false for model files, reference code, a
  // change every release shows, or an id never added.
  bool bound_to_releases(const std::string& id) const;

  // Whether a pair of one model family that shares a one-incident known change, the two naming
  // no version of one library when the change is bound_to_releases, is one incident whatever
  // its score (similarity.json's "known_change_links"; absent: false; grouping.cpp, known_cause).
  bool known_change_links() const { return known_change_links_; }
  const BlockingLimits& blocking() const { return blocking_; }
  const PairScoreWeights& pair_score() const { return weights_; }

  const std::string& origin() const { return origin_; }
  const std::string& hash() const { return hash_; }  // git blob hash of the file

 private:
  std::unordered_set<std::string> stopwords_;
  std::vector<std::string> libraries_;  // names, in the order of the pattern's groups
  std::vector<std::string> machine_libraries_;
  std::shared_ptr<const re2::RE2> model_pattern_, library_pattern_;
  BlockingLimits blocking_;
  bool known_change_links_ = false;
  PairScoreWeights weights_;
  std::vector<ChangeFragments> known_changes_;  // fragments folded
  const ChangeFragments* known_change(const std::string& id) const;  // nullptr: never added
  // Every fragment at once (one pass over a text), and the change each belongs to.
  std::shared_ptr<const re2::RE2::Set> fragment_set_;
  std::vector<size_t> fragment_change_;
  std::string origin_, hash_;
};

}  // namespace firstmile
