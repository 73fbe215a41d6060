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
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aggregate/report.h"

namespace firstmile {

class SimilarityKnowledge;

// Lower-case words of two or more characters (not numbers, not stopwords) and bigrams of
// adjacent CJK ideographs, in order, appended to `out`.
void title_words(const std::string& text, const SimilarityKnowledge& knowledge, std::vector<std::string>& out);

using SparseVector = std::vector<std::pair<uint32_t, float>>;  // sorted by term, L2-normalised

// What the pair score needs of the whole corpus, by report index.
struct CorpusStatistics {
  std::vector<SparseVector> text;                                          // TF-IDF of the title words
  std::vector<std::vector<uint32_t>> signature_words;                      // sorted word ids of the signature
  std::vector<int32_t> signature_id;                                       // -1: no signature
  std::vector<std::vector<uint32_t>> windows_of_signature;                 // by signature id: windows it appears in
  std::vector<std::vector<std::string>> keys;                              // blocking keys per report (grouping.h)
  size_t windows = 1;                                                      // windows the corpus spans
  int64_t span = 1;                                                        // seconds the corpus spans
  std::unordered_map<std::string, std::vector<int64_t>> times_of_library;  // "vllm 0.5.4" -> sorted times
};

// Blocking keys: "s|<signature>", "l|<library version>" and "w|<word>" for the report's
// rarest title words (BlockingLimits).
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

// The probability-like score that reports a and b belong to one incident.
double pair_score(const std::vector<AggregateReport>& reports, const CorpusStatistics& corpus, size_t a, size_t b,
                  double window_days, const SimilarityKnowledge& knowledge);

}  // namespace firstmile
