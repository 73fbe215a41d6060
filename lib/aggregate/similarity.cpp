// aggregate/similarity.cpp — title words, TF-IDF vectors, signature windows, the pair score.
#include "aggregate/similarity.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "aggregate/similarity_knowledge.h"
#include "llm/embedding_client.h"

namespace firstmile {

namespace {

// Guards, not weights: a window of a day at least for counting where a signature appears (a
// shorter one would split one storm's reports into many windows), and of 0.1 days for the
// time and burst evidence (which divide by it).
constexpr double kShortestSignatureWindowDays = 1.0;
constexpr double kShortestEvidenceWindowDays = 0.1;
constexpr double kSecondsPerDay = 86400.0;

double cosine(const SparseVector& a, const SparseVector& b) {
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first)
      dot += static_cast<double>(a[i++].second) * b[j++].second;
    else if (a[i].first < b[j].first)
      ++i;
    else
      ++j;
  }
  return dot;
}

double jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t i = 0, j = 0, both = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j])
      ++both, ++i, ++j;
    else if (a[i] < b[j])
      ++i;
    else
      ++j;
  }
  return static_cast<double>(both) / static_cast<double>(a.size() + b.size() - both);
}

// Each report's title words as sorted term ids; `df` counts the reports using each term.
std::vector<std::vector<uint32_t>> title_terms(const std::vector<AggregateReport>& reports,
                                               const SimilarityKnowledge& knowledge, std::vector<uint32_t>& df,
                                               std::vector<std::string>& term_text) {
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<std::vector<uint32_t>> terms(reports.size());
  std::vector<std::string> words;
  for (size_t r = 0; r < reports.size(); ++r) {
    words.clear();
    title_words(reports[r].title, knowledge, words);
    for (const std::string& w : words) {
      auto [it, fresh] = term_ids.emplace(w, static_cast<uint32_t>(term_ids.size()));
      if (fresh) df.push_back(0);
      terms[r].push_back(it->second);
    }
    std::sort(terms[r].begin(), terms[r].end());
    uint32_t last = UINT32_MAX;
    for (uint32_t t : terms[r]) {
      if (t != last) ++df[t];
      last = t;
    }
  }
  term_text.resize(term_ids.size());
  for (const auto& [w, id] : term_ids) term_text[id] = w;
  return terms;
}

// TF-IDF vectors of the titles, and the blocking keys of each report's rarest shared words.
void add_title_vectors(const std::vector<AggregateReport>& reports, const SimilarityKnowledge& knowledge,
                       CorpusStatistics& c) {
  const size_t n = reports.size();
  std::vector<uint32_t> df;
  std::vector<std::string> term_text;
  std::vector<std::vector<uint32_t>> terms = title_terms(reports, knowledge, df, term_text);
  const BlockingLimits& blocking = knowledge.blocking();
  const uint32_t rare_limit = std::max<uint32_t>(static_cast<uint32_t>(blocking.rare_word_most_reports),
                                                 static_cast<uint32_t>(n / blocking.rare_word_one_report_in));
  c.text.resize(n);
  c.keys.resize(n);
  for (size_t r = 0; r < n; ++r) {
    SparseVector v;
    for (size_t k = 0; k < terms[r].size();) {
      size_t e = k;
      while (e < terms[r].size() && terms[r][e] == terms[r][k]) ++e;
      double idf = std::log((1.0 + static_cast<double>(n)) / (1.0 + df[terms[r][k]])) + 1.0;
      v.emplace_back(terms[r][k], static_cast<float>(static_cast<double>(e - k) * idf));
      k = e;
    }
    double norm = 0;
    for (auto& [t, w] : v) norm += static_cast<double>(w) * w;
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (auto& [t, w] : v) w = static_cast<float>(w / norm);
    }
    std::vector<std::pair<uint32_t, uint32_t>> rare;  // (reports using it, term)
    for (const auto& [t, w] : v) {
      if (df[t] >= 2 && df[t] <= rare_limit) rare.emplace_back(df[t], t);
    }
    std::sort(rare.begin(), rare.end());
    for (size_t k = 0; k < rare.size() && k < blocking.rare_title_words; ++k) {
      c.keys[r].push_back("w|" + term_text[rare[k].second]);
    }
    c.text[r] = std::move(v);
  }
}

// Library keys and times; signature ids, words, keys and the windows each appears in.
void add_libraries_and_signatures(const std::vector<AggregateReport>& reports, double window_seconds,
                                  const SimilarityKnowledge& knowledge, CorpusStatistics& c) {
  const size_t n = reports.size();
  std::unordered_map<std::string, int32_t> signature_ids;
  std::unordered_map<std::string, uint32_t> signature_terms;
  std::vector<std::string> words;
  c.signature_id.assign(n, -1);
  c.signature_words.resize(n);
  for (size_t r = 0; r < n; ++r) {
    const AggregateReport& report = reports[r];
    for (const std::string& library : report.libraries) {
      c.keys[r].push_back("l|" + library);
      c.times_of_library[library].push_back(report.created);
    }
    for (uint64_t key : report.error_keys) ++c.error_df[key];
    if (report.signature.empty()) continue;
    // One message is one signature, with or without the exception class before it.
    const std::string key = without_exception_class(report.signature);
    auto [it, fresh] = signature_ids.emplace(key, static_cast<int32_t>(signature_ids.size()));
    if (fresh) c.windows_of_signature.emplace_back();
    c.signature_id[r] = it->second;
    c.windows_of_signature[static_cast<size_t>(it->second)].push_back(
        static_cast<uint32_t>(static_cast<double>(report.created) / window_seconds));
    c.keys[r].push_back("s|" + key);
    words.clear();
    title_words(report.signature, knowledge, words);
    std::vector<uint32_t>& ids = c.signature_words[r];
    for (const std::string& w : words) {
      ids.push_back(signature_terms.emplace(w, static_cast<uint32_t>(signature_terms.size())).first->second);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  for (auto& [library, times] : c.times_of_library) std::sort(times.begin(), times.end());
  for (auto& w : c.windows_of_signature) {
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
  }
}

// What the two reports' libraries say (LibraryAgreement): another release weighs against, the
// same version for, and more when reports naming it spike around the two.
void library_evidence(PairEvidence& e, const AggregateReport& x, const AggregateReport& y, bool same_error,
                      const CorpusStatistics& c, double window_days, const SimilarityKnowledge& knowledge) {
  const PairScoreWeights& w = knowledge.pair_score();
  LibraryAgreement libraries = compare_libraries(x, y, knowledge);
  // A storm follows a release: the same library at another version is another story, even
  // when some other library (CUDA, say) is at the same version in both.
  if (libraries.other_release) {
    bool same_model = std::any_of(x.models.begin(), x.models.end(), [&](const std::string& m) {
      return std::find(y.models.begin(), y.models.end(), m) != y.models.end();
    });
    (same_error && same_model ? e.other_release_same_error_and_model : e.other_release) = 1;
    return;
  }
  if (libraries.other_patch) {
    e.other_patch = 1;
    return;
  }
  if (!libraries.same_version) return;
  e.same_version = 1;
  double best = 0;
  const double window = std::max(window_days, kShortestEvidenceWindowDays) * kSecondsPerDay;
  for (const std::string& library : x.libraries) {
    if (std::find(y.libraries.begin(), y.libraries.end(), library) == y.libraries.end()) continue;
    const std::vector<int64_t>& times = c.times_of_library.at(library);
    int64_t from = std::min(x.created, y.created) - static_cast<int64_t>(window / 2);
    int64_t to = std::max(x.created, y.created) + static_cast<int64_t>(window / 2);
    double local = static_cast<double>(std::upper_bound(times.begin(), times.end(), to) -
                                       std::lower_bound(times.begin(), times.end(), from));
    // The two reports themselves are no evidence of a burst around them: only the other
    // reports naming the version count, against what its rate expects of them, both shrunk
    // by one report so that a sparse corpus (one other report where 0.05 are expected) is no
    // spike.
    double others = std::max(local - 2, 0.0);
    double expected = static_cast<double>(times.size() - 2) * static_cast<double>(to - from) / static_cast<double>(c.span);
    best = std::max(best, std::log2(std::max((others + 1) / (expected + 1), 1.0)));
  }
  e.version_burst = std::min(best, w.version_burst_cap);
}

// Each report's nearest reports by the rare words they share: its `rare_body_words` rarest
// words (used by 2 to `word_postings` reports) are looked up in an index of every report's
// words, each shared word adds its log(n / df), and the `word_neighbours` best are kept. The
// work is bounded by n x rare_body_words x word_postings, whatever the corpus, and a pair is a
// candidate when a word rare for one of the two appears anywhere in the other.
void add_word_neighbours(const std::vector<std::vector<uint32_t>>& terms, const BlockingLimits& blocking,
                         CorpusStatistics& c) {
  const size_t n = terms.size();
  auto eligible = [&](uint32_t t) { return c.body_df[t] >= 2 && c.body_df[t] <= blocking.word_postings; };
  std::vector<std::vector<uint32_t>> postings(c.body_df.size());
  for (size_t r = 0; r < n; ++r) {
    for (uint32_t t : terms[r]) {
      if (eligible(t)) postings[t].push_back(static_cast<uint32_t>(r));
    }
  }
  c.word_neighbours.assign(n, {});
  std::unordered_map<uint32_t, double> shared;
  std::vector<std::pair<uint32_t, uint32_t>> rare;  // (reports using it, term)
  std::vector<std::pair<double, uint32_t>> best;
  for (size_t r = 0; r < n; ++r) {
    rare.clear();
    for (uint32_t t : terms[r]) {
      if (eligible(t)) rare.emplace_back(c.body_df[t], t);
    }
    std::sort(rare.begin(), rare.end());
    if (rare.size() > blocking.rare_body_words) rare.resize(blocking.rare_body_words);
    shared.clear();
    for (const auto& [df, t] : rare) {
      const double idf = std::log(static_cast<double>(n) / df);
      for (uint32_t other : postings[t]) {
        if (other != r) shared[other] += idf;
      }
    }
    best.clear();
    for (const auto& [other, score] : shared) best.emplace_back(-score, other);
    const size_t keep = std::min(best.size(), blocking.word_neighbours);
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(keep), best.end());
    for (size_t k = 0; k < keep; ++k) c.word_neighbours[r].push_back(best[k].second);
  }
}

// The body words as TF-IDF vectors over dense term ids, and the keys of each report's rarest
// words and of the known changes it shows.
void add_body_vectors(const std::vector<AggregateReport>& reports, const SimilarityKnowledge& knowledge,
                      CorpusStatistics& c) {
  const size_t n = reports.size();
  std::unordered_map<uint32_t, uint32_t> ids;
  std::vector<std::vector<uint32_t>> terms(n);
  for (size_t r = 0; r < n; ++r) {
    for (uint32_t h : reports[r].words) {
      auto [it, fresh] = ids.emplace(h, static_cast<uint32_t>(ids.size()));
      if (fresh) c.body_df.push_back(0);
      ++c.body_df[it->second];
      terms[r].push_back(it->second);
    }
    std::sort(terms[r].begin(), terms[r].end());
  }
  const BlockingLimits& blocking = knowledge.blocking();
  c.body.resize(n);
  for (size_t r = 0; r < n; ++r) {
    SparseVector v;
    double norm = 0;
    for (uint32_t t : terms[r]) {
      double idf = std::log((1.0 + static_cast<double>(n)) / (1.0 + c.body_df[t])) + 1.0;
      v.emplace_back(t, static_cast<float>(idf));
      norm += idf * idf;
    }
    norm = std::sqrt(norm);
    for (auto& [t, w] : v) w = static_cast<float>(w / std::max(norm, 1e-12));
    for (const std::string& change : reports[r].known_changes) c.keys[r].push_back("k|" + change);
    c.body[r] = std::move(v);
  }
  if (blocking.rare_body_words > 0 && blocking.word_neighbours > 0) add_word_neighbours(terms, blocking, c);
}

// The body evidence of two reports in one walk over their shared words: the TF-IDF cosine, and
// of the words both use, the three rarest (sum of log(n / reports using it), over log n).
void shared_body_words(const SparseVector& a, const SparseVector& b, const std::vector<uint32_t>& df, size_t n,
                       PairEvidence& e) {
  double dot = 0, top[3] = {0, 0, 0};
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      dot += static_cast<double>(a[i].second) * b[j].second;
      double idf = n < 2 ? 0 : std::log(static_cast<double>(n) / df[a[i].first]);
      if (idf > top[2]) {
        top[2] = idf;
        std::sort(std::begin(top), std::end(top), std::greater<double>());
      }
      ++i, ++j;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  e.body_similarity = dot;
  e.rare_shared_words = n < 2 ? 0 : (top[0] + top[1] + top[2]) / std::log(static_cast<double>(n));
}

// Of the error lines two reports both paste, the rarest: log(n / reports pasting it) / log n.
double shared_error_line(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                         const std::unordered_map<uint64_t, uint32_t>& df, size_t n) {
  if (n < 2) return 0;
  double best = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      best = std::max(best, std::log(static_cast<double>(n) / df.at(a[i])));
      ++i, ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return best / std::log(static_cast<double>(n));
}

// What an unrelated pair's embeddings score: the mean cosine over up to kNeutralPairs pairs of
// reports spread across the corpus (report k with report k + n/2, n/3, ...: deterministic).
constexpr size_t kNeutralPairs = 4096;
void add_embedding_neutral(const std::vector<AggregateReport>& reports, CorpusStatistics& c) {
  if (std::none_of(reports.begin(), reports.end(), [](const AggregateReport& r) { return !r.embedding.empty(); }))
    return;  // no --embed-url: nothing to sample
  const size_t n = reports.size();
  double sum = 0;
  size_t pairs = 0;
  for (size_t step = 2; step <= 7 && pairs < kNeutralPairs; ++step) {
    for (size_t k = 0; k < n && pairs < kNeutralPairs; ++k) {
      const AggregateReport &x = reports[k], &y = reports[(k + n / step) % n];
      if (&x == &y || x.embedding.empty() || y.embedding.empty()) continue;
      sum += firstmile::cosine(x.embedding, y.embedding);
      ++pairs;
    }
  }
  c.embedding_neutral = pairs ? std::clamp(sum / static_cast<double>(pairs), 0.0, 0.99) : 0.0;
}

}  // namespace

// A letter repeated this many times, or '!' or '?' this many, is degenerate output.
constexpr size_t kRepeatedLetters = 4;
constexpr size_t kRepeatedMarks = 3;

void title_words(const std::string& text, const SimilarityKnowledge& knowledge, std::vector<std::string>& out) {
  size_t i = 0;
  const size_t n = text.size();
  std::string word;
  auto flush = [&] {
    // Degenerate output is one letter repeated ("GGGG", "GGGGGGG"): one word however long.
    if (word.size() >= kRepeatedLetters && std::isalpha(static_cast<unsigned char>(word[0])) &&
        std::all_of(word.begin(), word.end(), [&](char c) { return c == word[0]; }))
      word.resize(1), word += '+';
    if (word.size() >= 2 && !knowledge.is_stopword(word) && !std::all_of(word.begin(), word.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
        })) {
      out.push_back(word);
    }
    word.clear();
  };
  unsigned previous_cjk = 0;  // 1 + the byte offset of the previous ideograph; 0: none just before
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c) || c == '_' || (c == '.' && !word.empty())) {
        word.push_back(static_cast<char>(std::tolower(c)));
      } else {
        flush();
        // So is a run of '!' or '?' ("!!!!!!", a model's broken output): the word "!+" or "?+".
        size_t run = 1;
        while ((c == '!' || c == '?') && i + run < n && text[i + run] == text[i]) ++run;
        if (run >= kRepeatedMarks) {
          out.push_back(std::string(1, static_cast<char>(c)) + "+");
          i += run;
          previous_cjk = 0;
          continue;
        }
      }
      previous_cjk = 0;
      ++i;
      continue;
    }
    flush();
    if ((c & 0xF0) == 0xE0 && i + 2 < n) {
      unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                    (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      if (cp >= 0x4E00 && cp <= 0x9FFF) {
        if (previous_cjk) out.push_back(text.substr(previous_cjk - 1, 6));  // the bigram of two ideographs
        previous_cjk = static_cast<unsigned>(i) + 1;
      } else {
        previous_cjk = 0;
      }
      i += 3;
      continue;
    }
    previous_cjk = 0;
    ++i;
  }
  flush();
}

CorpusStatistics corpus_statistics(const std::vector<AggregateReport>& reports, double window_days,
                                   const SimilarityKnowledge& knowledge) {
  CorpusStatistics c;
  add_title_vectors(reports, knowledge, c);
  const double window_seconds = std::max(kShortestSignatureWindowDays, window_days) * kSecondsPerDay;
  add_libraries_and_signatures(reports, window_seconds, knowledge, c);
  add_body_vectors(reports, knowledge, c);
  if (!reports.empty()) {
    auto [earliest, latest] = std::minmax_element(reports.begin(), reports.end(),
                                                  [](const auto& a, const auto& b) { return a.created < b.created; });
    c.windows = 1 + static_cast<size_t>(static_cast<double>(latest->created - earliest->created) / window_seconds);
    c.span = std::max<int64_t>(1, latest->created - earliest->created);
  }
  add_embedding_neutral(reports, c);
  return c;
}

LibraryAgreement compare_libraries(const AggregateReport& a, const AggregateReport& b,
                                   const SimilarityKnowledge& knowledge) {
  LibraryAgreement out;
  auto release = [](std::string_view v) {  // "4.45.0" -> "4.45"
    size_t dot = v.find('.');
    size_t second = dot == std::string_view::npos ? std::string_view::npos : v.find('.', dot + 1);
    return v.substr(0, second);
  };
  for (const std::string& x : a.libraries) {
    std::string_view lx(x.data(), x.find(' '));
    for (const std::string& y : b.libraries) {
      std::string_view ly(y.data(), y.find(' '));
      if (lx != ly) continue;
      std::string_view vx = std::string_view(x).substr(lx.size() + 1), vy = std::string_view(y).substr(ly.size() + 1);
      std::string_view shorter = vx.size() < vy.size() ? vx : vy, longer = vx.size() < vy.size() ? vy : vx;
      bool agree = longer.substr(0, shorter.size()) == shorter &&
                   (longer.size() == shorter.size() || longer[shorter.size()] == '.');
      if (agree)
        out.same_version = true;
      else if (knowledge.is_machine_library(lx) || release(vx) == release(vy))
        out.other_patch = true;
      else
        out.other_release = true;
    }
  }
  return out;
}

const std::vector<EvidenceField>& evidence_fields() {
#define FIRSTMILE_EVIDENCE(name) {#name, &PairEvidence::name, &PairScoreWeights::name}
  static const std::vector<EvidenceField> fields = {
      FIRSTMILE_EVIDENCE(same_signature),     FIRSTMILE_EVIDENCE(signature_words),
      FIRSTMILE_EVIDENCE(signatures_together), FIRSTMILE_EVIDENCE(title_similarity),
      FIRSTMILE_EVIDENCE(body_similarity),    FIRSTMILE_EVIDENCE(rare_shared_words),
      FIRSTMILE_EVIDENCE(shared_error_line),  FIRSTMILE_EVIDENCE(same_error_far),
      FIRSTMILE_EVIDENCE(same_known_change),  FIRSTMILE_EVIDENCE(other_release),
      FIRSTMILE_EVIDENCE(other_release_same_error_and_model), FIRSTMILE_EVIDENCE(other_patch),
      FIRSTMILE_EVIDENCE(same_version),       FIRSTMILE_EVIDENCE(version_burst),
      FIRSTMILE_EVIDENCE(close_in_time),      FIRSTMILE_EVIDENCE(days_apart),
      FIRSTMILE_EVIDENCE(same_repository),    FIRSTMILE_EVIDENCE(same_family),
      FIRSTMILE_EVIDENCE(same_model),         FIRSTMILE_EVIDENCE(same_root_cause),
      FIRSTMILE_EVIDENCE(different_root_cause), FIRSTMILE_EVIDENCE(embedding_similarity)};
#undef FIRSTMILE_EVIDENCE
  return fields;
}

std::string shared_one_incident_change(const AggregateReport& a, const AggregateReport& b,
                                       const SimilarityKnowledge& knowledge,
                                       const std::function<bool(const std::string& change)>& accept) {
  for (const std::string& change : a.known_changes) {
    if (std::find(b.known_changes.begin(), b.known_changes.end(), change) != b.known_changes.end() &&
        knowledge.is_one_incident(change) && (!accept || accept(change)))
      return change;
  }
  return "";
}

PairEvidence pair_evidence(const std::vector<AggregateReport>& reports, const CorpusStatistics& c, size_t a, size_t b,
                           double window_days, const SimilarityKnowledge& knowledge) {
  const PairScoreWeights& w = knowledge.pair_score();
  const AggregateReport& x = reports[a];
  const AggregateReport& y = reports[b];
  PairEvidence e;
  const int32_t sa = c.signature_id[a], sb = c.signature_id[b];
  if (sa >= 0 && sb >= 0) {
    const auto& wa = c.windows_of_signature[static_cast<size_t>(sa)];
    if (sa == sb) {
      e.same_signature = 1.0 / (1.0 + std::log2(static_cast<double>(wa.size())));
    } else {
      const auto& wb = c.windows_of_signature[static_cast<size_t>(sb)];
      e.signature_words = jaccard(c.signature_words[a], c.signature_words[b]) - w.signature_words_neutral;
      if (wa.size() <= w.signatures_together_max_windows && wb.size() <= w.signatures_together_max_windows)
        e.signatures_together = jaccard(wa, wb);
    }
  }
  e.title_similarity = cosine(c.text[a], c.text[b]);
  if (!c.body.empty()) {
    shared_body_words(c.body[a], c.body[b], c.body_df, reports.size(), e);
  }
  if (!shared_one_incident_change(x, y, knowledge).empty()) e.same_known_change = 1;
  library_evidence(e, x, y, sa >= 0 && sa == sb, c, window_days, knowledge);
  e.shared_error_line = shared_error_line(x.error_keys, y.error_keys, c.error_df, reports.size());
  double days = std::fabs(static_cast<double>(x.created - y.created)) / kSecondsPerDay;
  e.close_in_time = std::exp(-days / std::max(window_days, kShortestEvidenceWindowDays));
  e.days_apart = std::log1p(days) / std::log1p(365.0);
  // A known change's tell-tale error is chronic by nature (reported as long as old releases are
  // installed): far apart in time is no evidence against it.
  if ((e.same_signature > 0 || e.shared_error_line > 0) && e.same_known_change == 0) e.same_error_far = e.days_apart;
  if (x.repository == y.repository) e.same_repository = 1;
  if (x.repository.substr(0, x.repository.find('/')) == y.repository.substr(0, y.repository.find('/')))
    e.same_family = 1;
  if (!x.model.empty() && x.model == y.model) e.same_model = 1;
  if (!x.root_cause.empty() && !y.root_cause.empty())
    (x.root_cause == y.root_cause ? e.same_root_cause : e.different_root_cause) = 1;
  if (!x.embedding.empty() && !y.embedding.empty()) {
    const double above = firstmile::cosine(x.embedding, y.embedding) - c.embedding_neutral;
    e.embedding_similarity = std::max(0.0, above / (1 - c.embedding_neutral));
  }
  return e;
}

double score_of(const PairEvidence& e, const SimilarityKnowledge& knowledge) {
  const PairScoreWeights& w = knowledge.pair_score();
  double z = w.prior;
  for (const EvidenceField& f : evidence_fields()) z += w.*(f.weight) * e.*(f.value);
  return 1.0 / (1.0 + std::exp(-z));
}

double pair_score(const std::vector<AggregateReport>& reports, const CorpusStatistics& c, size_t a, size_t b,
                  double window_days, const SimilarityKnowledge& knowledge) {
  return score_of(pair_evidence(reports, c, a, b, window_days, knowledge), knowledge);
}

}  // namespace firstmile
