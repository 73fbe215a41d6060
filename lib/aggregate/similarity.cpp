// aggregate/similarity.cpp — title words, TF-IDF vectors, signature windows, the pair score.
#include "aggregate/similarity.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "aggregate/similarity_knowledge.h"

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
    if (report.signature.empty()) continue;
    auto [it, fresh] = signature_ids.emplace(report.signature, static_cast<int32_t>(signature_ids.size()));
    if (fresh) c.windows_of_signature.emplace_back();
    c.signature_id[r] = it->second;
    c.windows_of_signature[static_cast<size_t>(it->second)].push_back(
        static_cast<uint32_t>(static_cast<double>(report.created) / window_seconds));
    c.keys[r].push_back("s|" + report.signature);
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

// Adds what the two reports' libraries say (LibraryAgreement) to the log-odds `z`: another
// release weighs against, the same version for, and more when reports naming it spike around
// the two. (Added to z step by step, in the order the weights were set with.)
void add_library_evidence(double& z, const AggregateReport& x, const AggregateReport& y, bool same_error,
                          const CorpusStatistics& c, double window_days, const SimilarityKnowledge& knowledge) {
  const PairScoreWeights& w = knowledge.pair_score();
  LibraryAgreement libraries = compare_libraries(x, y, knowledge);
  // A storm follows a release: the same library at another version is another story, even
  // when some other library (CUDA, say) is at the same version in both.
  if (libraries.other_release) {
    bool same_model = std::any_of(x.models.begin(), x.models.end(), [&](const std::string& m) {
      return std::find(y.models.begin(), y.models.end(), m) != y.models.end();
    });
    z += same_error && same_model ? w.other_release_same_error_and_model : w.other_release;
    return;
  }
  if (libraries.other_patch) {
    z += w.other_patch;
    return;
  }
  if (!libraries.same_version) return;
  z += w.same_version;
  double best = 0;
  const double window = std::max(window_days, kShortestEvidenceWindowDays) * kSecondsPerDay;
  for (const std::string& library : x.libraries) {
    if (std::find(y.libraries.begin(), y.libraries.end(), library) == y.libraries.end()) continue;
    const std::vector<int64_t>& times = c.times_of_library.at(library);
    int64_t from = std::min(x.created, y.created) - static_cast<int64_t>(window / 2);
    int64_t to = std::max(x.created, y.created) + static_cast<int64_t>(window / 2);
    double local = static_cast<double>(std::upper_bound(times.begin(), times.end(), to) -
                                       std::lower_bound(times.begin(), times.end(), from));
    double expected = static_cast<double>(times.size()) * static_cast<double>(to - from) / static_cast<double>(c.span);
    best = std::max(best, std::log2(std::max(local / std::max(expected, 1e-9), 1.0)));
  }
  z += w.version_burst * std::min(best, w.version_burst_cap);
}

}  // namespace

void title_words(const std::string& text, const SimilarityKnowledge& knowledge, std::vector<std::string>& out) {
  size_t i = 0;
  const size_t n = text.size();
  std::string word;
  auto flush = [&] {
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
  if (!reports.empty()) {
    auto [earliest, latest] = std::minmax_element(reports.begin(), reports.end(),
                                                  [](const auto& a, const auto& b) { return a.created < b.created; });
    c.windows = 1 + static_cast<size_t>(static_cast<double>(latest->created - earliest->created) / window_seconds);
    c.span = std::max<int64_t>(1, latest->created - earliest->created);
  }
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

double pair_score(const std::vector<AggregateReport>& reports, const CorpusStatistics& c, size_t a, size_t b,
                  double window_days, const SimilarityKnowledge& knowledge) {
  const PairScoreWeights& w = knowledge.pair_score();
  const AggregateReport& x = reports[a];
  const AggregateReport& y = reports[b];
  double z = w.prior;
  const int32_t sa = c.signature_id[a], sb = c.signature_id[b];
  if (sa >= 0 && sb >= 0) {
    const auto& wa = c.windows_of_signature[static_cast<size_t>(sa)];
    if (sa == sb) {
      z += w.same_signature / (1.0 + std::log2(static_cast<double>(wa.size())));
    } else {
      const auto& wb = c.windows_of_signature[static_cast<size_t>(sb)];
      z += w.signature_words * (jaccard(c.signature_words[a], c.signature_words[b]) - w.signature_words_neutral);
      if (wa.size() <= w.signatures_together_max_windows && wb.size() <= w.signatures_together_max_windows) {
        z += w.signatures_together * jaccard(wa, wb);
      }
    }
  }
  z += w.title_similarity * cosine(c.text[a], c.text[b]);
  add_library_evidence(z, x, y, sa >= 0 && sa == sb, c, window_days, knowledge);
  double days = std::fabs(static_cast<double>(x.created - y.created)) / kSecondsPerDay;
  z += w.close_in_time * std::exp(-days / std::max(window_days, kShortestEvidenceWindowDays));
  if (x.repository == y.repository) z += w.same_repository;
  if (!x.model.empty() && x.model == y.model) z += w.same_model;
  if (!x.root_cause.empty() && !y.root_cause.empty())
    z += x.root_cause == y.root_cause ? w.same_root_cause : w.different_root_cause;
  return 1.0 / (1.0 + std::exp(-z));
}

}  // namespace firstmile
