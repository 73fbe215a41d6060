// aggregate/similarity.h — how alike two failure reports are: the corpus statistics the
// evidence needs, and the pair score.
//
//   CorpusStatistics corpus = corpus_statistics(reports, 14, knowledge);
//   double p = pair_score(reports, corpus, a, b, 14, knowledge);   // in [0, 1]; >= 0.5 links
//
// The evidence for one pair, weighed in log-odds (the weights are named in
// taxonomy/similarity.json) and squashed to [0, 1]:
// - temporal: the same error signature, weighed by how bursty it is (seen in few time windows
//   or all year long); two different signatures by their word overlap and by how often they
//   appear in the same windows; how close in time the two are;
// - textual: the TF-IDF cosine of the titles (words and CJK bigrams; stopwords out);
// - "spatial": the same library at the same version (more when that version spikes around the
//   two), at another patch level or another release; same repository, model, root cause.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aggregate/report.h"
#include "aggregate/similarity_knowledge.h"

namespace firstmile {

// Lower-case words of two or more characters (not numbers, not stopwords) and bigrams of
// adjacent CJK ideographs, in order, appended to `out`. Degenerate output is one word however
// long its run: a letter four or more times ("GGGG", "ggggggg" -> "g+"), '!' or '?' three or
// more ("!!!!!" -> "!+").
void title_words(const std::string& text, const SimilarityKnowledge& knowledge, std::vector<std::string>& out);

using SparseVector = std::vector<std::pair<uint32_t, float>>;  // sorted by term, L2-normalised

// What the pair score needs of the whole corpus, by report index.
struct CorpusStatistics {
  std::vector<SparseVector> text;                                          // TF-IDF of the title words
  std::vector<SparseVector> body;                                          // TF-IDF of title, prose and error words
  std::vector<uint32_t> body_df;                                           // by body term: reports using it
  std::vector<std::vector<uint32_t>> word_neighbours;                      // per report: nearest by shared rare words
  std::vector<std::vector<uint32_t>> signature_words;                      // sorted word ids of the signature
  std::vector<int32_t> signature_id;                                       // -1: no signature
  std::vector<std::vector<uint32_t>> windows_of_signature;                 // by signature id: windows it appears in
  std::unordered_map<uint64_t, uint32_t> error_df;                         // by error key: reports pasting that line
  std::vector<std::vector<std::string>> keys;                              // blocking keys per report (grouping.h)
  size_t windows = 1;                                                      // windows the corpus spans
  int64_t span = 1;                                                        // seconds the corpus spans
  std::unordered_map<std::string, std::vector<int64_t>> times_of_library;  // "vllm 0.5.4" -> sorted times
  double embedding_neutral = 0;  // the mean cosine of reports' embeddings over spread-out pairs
};

// Blocking keys: "s|<signature>", "l|<library version>", "w|<word>" for the report's
// rarest title words and "k|<change>" for each known breaking change it shows; and beside the
// keys, each report's nearest reports by the rare words they share (word_neighbours).
CorpusStatistics corpus_statistics(const std::vector<AggregateReport>& reports, double window_days,
                                   const SimilarityKnowledge& knowledge);

// The library names two reports both mention: at the same version (a version agrees with its
// refinements: "4.45" and "4.45.0"), at another patch level of one release (or any other
// version of a machine library), or at another release.
struct LibraryAgreement {
  bool same_version = false;
  bool other_patch = false;
  bool other_release = false;
};
LibraryAgreement compare_libraries(const AggregateReport& a, const AggregateReport& b,
                                   const SimilarityKnowledge& knowledge);

// The first known change marked one incident that both reports show ("" for none); with
// `accept`, the first such change it accepts.
std::string shared_one_incident_change(const AggregateReport& a, const AggregateReport& b,
                                       const SimilarityKnowledge& knowledge,
                                       const std::function<bool(const std::string& change)>& accept = nullptr);

// The evidence of one pair: one value per weight of PairScoreWeights of the same name (the
// score adds weight x value for each, to the prior). 0 where the evidence is absent.
struct PairEvidence {
  double same_signature = 0;       // 1 / (1 + log2(windows the signature appears in))
  double signature_words = 0;      // word overlap of two signatures - the neutral overlap
  double signatures_together = 0;  // overlap of the windows two signatures appear in
  double title_similarity = 0, body_similarity = 0;  // TF-IDF cosines
  double rare_shared_words = 0;
  double shared_error_line = 0;  // the rarest error line both paste: log(n / reports pasting it) / log n
  double same_error_far = 0;     // days_apart, when the two share their signature or an error line
                                 // that is not a known change's tell-tale
  double same_known_change = 0;
  double other_release = 0, other_release_same_error_and_model = 0, other_patch = 0, same_version = 0;
  double version_burst = 0;  // min(log2((others + 1) / (expected others + 1)), cap)
  double close_in_time = 0;  // exp(-days apart / window days)
  double days_apart = 0;     // log(1 + days) / log(1 + 365)
  double same_repository = 0, same_family = 0, same_model = 0, same_root_cause = 0, different_root_cause = 0;
  // With embeddings (`--embed-url`): how far their cosine is above the corpus's typical one,
  // (cosine - neutral) / (1 - neutral), at least 0; models differ in what an unrelated pair scores.
  double embedding_similarity = 0;
};

// Each evidence by its name, as in taxonomy/similarity.json's pair_score.
struct EvidenceField {
  const char* name;
  double PairEvidence::*value;
  double PairScoreWeights::*weight;
};
const std::vector<EvidenceField>& evidence_fields();

PairEvidence pair_evidence(const std::vector<AggregateReport>& reports, const CorpusStatistics& corpus, size_t a,
                           size_t b, double window_days, const SimilarityKnowledge& knowledge);
// prior + sum of weight x evidence, squashed to [0, 1].
double score_of(const PairEvidence& e, const SimilarityKnowledge& knowledge);

// The probability-like score that reports a and b belong to one incident.
double pair_score(const std::vector<AggregateReport>& reports, const CorpusStatistics& corpus, size_t a, size_t b,
                  double window_days, const SimilarityKnowledge& knowledge);

}  // namespace firstmile
