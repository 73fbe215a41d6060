// aggregate/aggregate.cpp — features, blocking, pair scores, decisions, union-find, store.
#include "aggregate/aggregate.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "aggregate/pair_judge.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/error.h"
#include "base/issue_link.h"
#include "base/text.h"
#include "classify/features.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;

int64_t parse_time(const std::string& iso) { return parse_iso8601_utc(iso).value_or(0); }

// ---- text similarity: TF-IDF over title words, signature words and CJK bigrams

bool is_stopword(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "the", "and", "for", "with", "when", "after", "from", "fails", "error", "errors", "not", "can", "cannot", "on",
      "in", "of", "to", "is", "a", "an", "at", "by", "be", "it", "its", "this", "that", "or", "as", "are", "was",
      "fail", "failed", "failing", "issue", "problem", "using", "use", "run", "running", "model", "how", "what", "why"};
  return kStop.count(w) > 0;
}

void tokens_of(const std::string& text, std::vector<std::string>& out) {
  size_t i = 0;
  const size_t n = text.size();
  std::string word;
  auto flush = [&] {
    if (word.size() >= 2 && !is_stopword(word) && !std::all_of(word.begin(), word.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
        })) {
      out.push_back(word);
    }
    word.clear();
  };
  unsigned previous_cjk = 0;
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
  while (!word.empty() && word.back() == '.') word.pop_back();
}

using SparseVector = std::vector<std::pair<uint32_t, float>>;  // sorted by term, L2-normalised

double cosine(const SparseVector& a, const SparseVector& b) {
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) dot += static_cast<double>(a[i++].second) * b[j++].second;
    else if (a[i].first < b[j].first) ++i;
    else ++j;
  }
  return dot;
}

double jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t i = 0, j = 0, both = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) ++both, ++i, ++j;
    else if (a[i] < b[j]) ++i;
    else ++j;
  }
  return static_cast<double>(both) / static_cast<double>(a.size() + b.size() - both);
}

struct Prepared {
  std::vector<SparseVector> text;                   // title + signature
  std::vector<std::vector<uint32_t>> signature_words;
  std::vector<int32_t> signature_id;                // -1: no signature
  std::vector<std::vector<uint32_t>> windows_of_signature;  // by signature id: windows it appears in
  std::vector<std::vector<std::string>> keys;       // blocking keys per report
  size_t windows = 1;                                // windows the corpus spans
  int64_t span = 1;                                  // seconds the corpus spans
  std::unordered_map<std::string, std::vector<int64_t>> times_of_library;  // "vllm 0.5.4" -> sorted times
};

Prepared prepare(const std::vector<AggregateReport>& reports, double window_days) {
  Prepared p;
  const size_t n = reports.size();
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<std::vector<uint32_t>> terms(n);
  std::vector<uint32_t> df;
  std::vector<std::string> words;
  for (size_t r = 0; r < n; ++r) {
    words.clear();
    tokens_of(reports[r].title, words);
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
  std::vector<std::string> term_text(term_ids.size());
  for (const auto& [w, id] : term_ids) term_text[id] = w;
  p.text.resize(n);
  p.keys.resize(n);
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
    // Blocking by the two rarest title words that other reports share too.
    std::vector<std::pair<uint32_t, uint32_t>> rare;
    for (const auto& [t, w] : v) {
      if (df[t] >= 2 && df[t] <= std::max<uint32_t>(50, static_cast<uint32_t>(n / 200))) rare.emplace_back(df[t], t);
    }
    std::sort(rare.begin(), rare.end());
    for (size_t k = 0; k < rare.size() && k < 2; ++k) p.keys[r].push_back("w|" + term_text[rare[k].second]);
    p.text[r] = std::move(v);
  }
  // Signatures: ids, their words, the windows they occur in.
  std::unordered_map<std::string, int32_t> signature_ids;
  std::unordered_map<std::string, uint32_t> signature_terms;
  p.signature_id.assign(n, -1);
  p.signature_words.resize(n);
  const double window_seconds = std::max(1.0, window_days) * 86400.0;
  for (size_t r = 0; r < n; ++r) {
    const AggregateReport& rep = reports[r];
    for (const std::string& lib : rep.libraries) {
      p.keys[r].push_back("l|" + lib);
      p.times_of_library[lib].push_back(rep.created);
    }
    if (rep.signature.empty()) continue;
    auto [it, fresh] = signature_ids.emplace(rep.signature, static_cast<int32_t>(signature_ids.size()));
    if (fresh) p.windows_of_signature.emplace_back();
    p.signature_id[r] = it->second;
    p.windows_of_signature[static_cast<size_t>(it->second)].push_back(
        static_cast<uint32_t>(static_cast<double>(rep.created) / window_seconds));
    p.keys[r].push_back("s|" + rep.signature);
    words.clear();
    tokens_of(rep.signature, words);
    for (const std::string& w : words) {
      auto [word, fresh_word] = signature_terms.emplace(w, static_cast<uint32_t>(signature_terms.size()));
      p.signature_words[r].push_back(word->second);
    }
    std::sort(p.signature_words[r].begin(), p.signature_words[r].end());
    p.signature_words[r].erase(std::unique(p.signature_words[r].begin(), p.signature_words[r].end()), p.signature_words[r].end());
  }
  if (n > 0) {
    auto [earliest, latest] = std::minmax_element(reports.begin(), reports.end(),
                                                  [](const AggregateReport& a, const AggregateReport& b) { return a.created < b.created; });
    p.windows = 1 + static_cast<size_t>(static_cast<double>(latest->created - earliest->created) / window_seconds);
    p.span = std::max<int64_t>(1, latest->created - earliest->created);
  }
  for (auto& [lib, times] : p.times_of_library) std::sort(times.begin(), times.end());
  for (auto& w : p.windows_of_signature) {
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
  }
  return p;
}

// The library names two reports mention, and whether they name them at the same version.
// The library names two reports mention: at the same version (a version agrees with its own
// refinements: "4.45" and "4.45.0"), at versions differing only in the patch level, or at
// other releases.
void compare_libraries(const AggregateReport& a, const AggregateReport& b, bool& same_version, bool& other_patch,
                       bool& other_version) {
  same_version = other_patch = other_version = false;
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
      bool agree = longer.substr(0, shorter.size()) == shorter && (longer.size() == shorter.size() || longer[shorter.size()] == '.');
      // The CUDA toolkit and NCCL are whatever each machine has; their releases are not what
      // storms follow, so a difference there weighs like a patch level.
      const bool machine = lx == "cuda" || lx == "nccl";
      if (agree) same_version = true;
      else if (machine || release(vx) == release(vy)) other_patch = true;
      else other_version = true;
    }
  }
}

// The pair's score: evidence weighed in log-odds, squashed to [0, 1].
double pair_score(const std::vector<AggregateReport>& reports, const Prepared& p, size_t a, size_t b, double window_days) {
  const AggregateReport& x = reports[a];
  const AggregateReport& y = reports[b];
  double z = -5.0;
  const int32_t sa = p.signature_id[a], sb = p.signature_id[b];
  if (sa >= 0 && sb >= 0) {
    const auto& wa = p.windows_of_signature[static_cast<size_t>(sa)];
    if (sa == sb) {
      // The same error, weighed by how bursty it is: an error seen in one or two windows is a
      // storm's fingerprint; one seen in every window of the year is generic.
      z += 5.0 / (1.0 + std::log2(static_cast<double>(wa.size())));
    } else {
      // Two different errors: against one root cause, unless they are near variants, or the
      // two signatures keep appearing in the same windows (they travel together).
      const auto& wb = p.windows_of_signature[static_cast<size_t>(sb)];
      z += 6.0 * (jaccard(p.signature_words[a], p.signature_words[b]) - 0.9);
      // Only for signatures seen in a few windows: a generic error seen in hundreds of windows
      // co-occurs with everything, and comparing its long window lists would cost more than
      // all the other evidence together.
      if (wa.size() <= 64 && wb.size() <= 64) z += 1.5 * jaccard(wa, wb);
    }
  }
  z += 5.0 * cosine(p.text[a], p.text[b]);
  bool same_version = false, other_patch = false, other_version = false;
  compare_libraries(x, y, same_version, other_patch, other_version);
  // A storm follows a release: the same library at another version is another story, even
  // when some other library (CUDA, say) is at the same version in both.
  if (other_version) {
    // ... unless both paste the very same error about the same model: a model release meeting
    // every older version of a library is one storm too.
    bool same_model = std::any_of(x.models.begin(), x.models.end(), [&](const std::string& m) {
      return std::find(y.models.begin(), y.models.end(), m) != y.models.end();
    });
    z -= sa >= 0 && sa == sb && same_model ? 1.5 : 4.5;
  } else if (other_patch) {
    z -= 1.0;  // 2.5.0 and 2.5.1: most likely the same release line
  } else if (same_version) {
    z += 1.0;
    // A spike of reports naming this version around the two, against its rate over the whole
    // corpus, is a storm after a release; a version named all year long is background.
    double best = 0;
    const double w = std::max(window_days, 0.1) * 86400.0;
    for (const std::string& lib : x.libraries) {
      if (std::find(y.libraries.begin(), y.libraries.end(), lib) == y.libraries.end()) continue;
      const std::vector<int64_t>& times = p.times_of_library.at(lib);
      int64_t from = std::min(x.created, y.created) - static_cast<int64_t>(w / 2);
      int64_t to = std::max(x.created, y.created) + static_cast<int64_t>(w / 2);
      double local = static_cast<double>(std::upper_bound(times.begin(), times.end(), to) -
                                         std::lower_bound(times.begin(), times.end(), from));
      double expected = static_cast<double>(times.size()) * static_cast<double>(to - from) / static_cast<double>(p.span);
      best = std::max(best, std::log2(std::max(local / std::max(expected, 1e-9), 1.0)));
    }
    z += 0.7 * std::min(best, 3.0);
  }
  double days = std::fabs(static_cast<double>(x.created - y.created)) / 86400.0;
  z += 1.0 * std::exp(-days / std::max(window_days, 0.1));
  if (x.repository == y.repository) z += 0.3;
  if (!x.model.empty() && x.model == y.model) z += 0.3;
  if (!x.root_cause.empty() && !y.root_cause.empty()) z += x.root_cause == y.root_cause ? 0.4 : -0.6;
  return 1.0 / (1.0 + std::exp(-z));
}

struct UnionFind {
  std::vector<size_t> parent;
  explicit UnionFind(size_t n) : parent(n) {
    for (size_t i = 0; i < n; ++i) parent[i] = i;
  }
  size_t find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(size_t a, size_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

std::string mode(const std::vector<std::string>& values) {
  std::map<std::string, int> counts;
  for (const std::string& v : values) {
    if (!v.empty()) ++counts[v];
  }
  std::string best;
  int n = 0;
  for (const auto& [v, c] : counts) {
    if (c > n) best = v, n = c;  // ties: the first in order, deterministic
  }
  return best;
}

}  // namespace

std::vector<std::string> model_mentions(const std::string& text) {
  static const RE2 re(
      R"re((?i)\b(qwen[0-9.]*|qwq|codellama|llama ?[0-9.]*|deepseek[-_ ]?(?:v[0-9.]+|r1|coder|math|moe)?|mistral|mixtral|gemma[0-9.]*|phi[0-9.]*|internlm[0-9.]*|chatglm[0-9]*|baichuan[0-9]*|yi))re");
  std::vector<std::string> out;
  re2::StringPiece input(text);
  std::string model;
  while (RE2::FindAndConsume(&input, re, &model)) {
    std::string key;
    for (char c : model) {
      if (c != ' ' && c != '-' && c != '_') key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    while (!key.empty() && key.back() == '.') key.pop_back();
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  }
  return out;
}

std::vector<std::string> library_versions(const std::string& text) {
  static const RE2 re(
      R"re((?i)\b(transformers|vllm|torch|pytorch|peft|deepspeed|accelerate|bitsandbytes|bnb|flash[-_]?attn|xformers|tokenizers|ollama|llama\.cpp|triton|numpy|cuda|nccl|sglang|lmdeploy|trl|auto[-_]?gptq|autoawq|optimum|sentencepiece)\s*(?:==|>=|<=|=|\s)?\s*v?(\d+\.\d+(?:\.\d+)?))re");
  std::vector<std::string> out;
  re2::StringPiece input(text);
  std::string library, version;
  while (RE2::FindAndConsume(&input, re, &library, &version)) {
    for (char& c : library) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::replace(library.begin(), library.end(), '_', '-');
    if (library == "pytorch") library = "torch";
    if (library == "bnb") library = "bitsandbytes";
    if (library == "flashattn") library = "flash-attn";
    if (library == "autogptq") library = "auto-gptq";
    std::string key = library + " " + version;
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  }
  return out;
}

Grouping group_reports(const std::vector<AggregateReport>& reports, const AggregateOptions& options) {
  Grouping g;
  const size_t n = reports.size();
  Prepared p = prepare(reports, options.window_days);
  // Candidate pairs: reports sharing a key, within the window of each other.
  std::unordered_map<std::string, std::vector<size_t>> blocks;
  for (size_t r = 0; r < n; ++r) {
    for (const std::string& k : p.keys[r]) blocks[k].push_back(r);
  }
  std::vector<std::vector<std::string>>().swap(p.keys);
  const int64_t window_seconds = static_cast<int64_t>(options.window_days * 86400);
  // Pairs as one 64-bit key each, sorted and made unique at the end: far cheaper than a hash
  // set at tens of millions of pairs, and the order is deterministic.
  std::vector<uint64_t> candidates;
  for (auto& [k, members] : blocks) {
    if (members.size() < 2) continue;
    std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) { return reports[a].created < reports[b].created; });
    for (size_t i = 0; i < members.size(); ++i) {
      int taken = 0;
      for (size_t j = i + 1; j < members.size() && taken < options.max_neighbours; ++j) {
        if (reports[members[j]].created - reports[members[i]].created > window_seconds) break;
        size_t a = std::min(members[i], members[j]), b = std::max(members[i], members[j]);
        candidates.push_back((static_cast<uint64_t>(a) << 32) | b);
        ++taken;
      }
    }
  }
  blocks.clear();
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  g.candidates = static_cast<int64_t>(candidates.size());
  if (options.progress) options.progress("pairs", g.candidates, g.candidates);

  // Only the pairs that matter are kept: the linked ones and the uncertain ones.
  std::vector<size_t> uncertain;
  for (uint64_t key : candidates) {
    size_t a = static_cast<size_t>(key >> 32), b = static_cast<size_t>(key & 0xffffffffu);
    double score = pair_score(reports, p, a, b, options.window_days);
    bool unsure = options.route == PairRoute::kLlm || std::fabs(score - 0.5) * 2 < options.threshold;
    g.uncertain += unsure;
    bool routed = unsure && options.route != PairRoute::kRules;
    if (score < 0.5 && !routed) continue;
    PairDecision d;
    d.a = a;
    d.b = b;
    d.score = score;
    d.linked = score >= 0.5;
    if (routed) uncertain.push_back(g.pairs.size());
    g.pairs.push_back(std::move(d));
  }
  std::vector<uint64_t>().swap(candidates);
  if (!uncertain.empty() && options.ask) {
    std::vector<PairQuestion> questions;
    for (size_t k : uncertain) questions.push_back({&reports[g.pairs[k].a], &reports[g.pairs[k].b], g.pairs[k].score});
    std::vector<PairAnswer> answers = options.ask(questions);
    g.routed = static_cast<int64_t>(questions.size());
    for (size_t u = 0; u < uncertain.size() && u < answers.size(); ++u) {
      PairDecision& d = g.pairs[uncertain[u]];
      if (!answers[u].ok) {
        d.reason = "no usable LLM answer (" + answers[u].reason + "): the score decides";
        continue;
      }
      d.linked = answers[u].same;
      d.by_llm = true;
      d.reason = answers[u].reason;
      ++g.answered;
    }
  }
  UnionFind uf(n);
  for (const PairDecision& d : g.pairs) {
    if (d.linked) uf.join(d.a, d.b);
  }
  std::map<size_t, std::vector<size_t>> components;
  for (size_t r = 0; r < n; ++r) components[uf.find(r)].push_back(r);
  for (auto& [root, members] : components) {
    if (members.size() >= 2) g.groups.push_back(std::move(members));
  }
  // Largest first, then by first report.
  std::stable_sort(g.groups.begin(), g.groups.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return g;
}

PairAsk llm_pair_asker(LlmClient& client, const PairJudge& judge) {
  return [&client, &judge](const std::vector<PairQuestion>& questions) {
    auto shown = [](const AggregateReport& r) {
      PairReport p;
      p.repository = r.repository;
      p.number = r.number;
      p.created_at = r.created_at;
      p.title = r.title;
      p.error_signature = r.signature;
      p.error_lines = r.error_lines;
      p.excerpt = r.excerpt;
      p.libraries = r.libraries;
      p.root_cause = r.root_cause;
      return p;
    };
    std::vector<LlmRequest> requests;
    for (const PairQuestion& q : questions) requests.push_back(judge.request(shown(*q.a), shown(*q.b)));
    std::vector<LlmResult> results = client.complete_all(requests, nullptr);
    std::vector<PairAnswer> answers;
    for (const LlmResult& r : results) {
      PairAnswer a;
      if (r.ok()) {
        PairVerdict v = judge.read_answer(r.content);
        a.ok = v.ok;
        a.same = v.same;
        a.reason = v.ok ? v.reason : v.error;
      } else {
        a.reason = r.status == LlmStatus::kRefused ? "over the --llm-budget" : r.error;
      }
      answers.push_back(std::move(a));
    }
    return answers;
  };
}

PairwiseScores pairwise_scores(const std::vector<int64_t>& gold, const std::vector<int64_t>& predicted) {
  if (gold.size() != predicted.size()) throw Error("pairwise_scores: gold and predicted differ in length");
  PairwiseScores s;
  s.reports = static_cast<int64_t>(gold.size());
  auto pairs = [](int64_t k) { return k * (k - 1) / 2; };
  std::map<int64_t, int64_t> gold_sizes, predicted_sizes;
  std::map<std::pair<int64_t, int64_t>, int64_t> both;
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] != 0) ++gold_sizes[gold[i]];
    if (predicted[i] != 0) ++predicted_sizes[predicted[i]];
    if (gold[i] != 0 && predicted[i] != 0) ++both[{predicted[i], gold[i]}];
  }
  for (const auto& [g, k] : gold_sizes) s.gold_pairs += pairs(k), s.gold_incidents += k >= 2;
  for (const auto& [p, k] : predicted_sizes) s.predicted_pairs += pairs(k), s.predicted_incidents += k >= 2;
  std::map<int64_t, int64_t> majority;  // per predicted group: its largest gold share
  for (const auto& [key, k] : both) {
    s.true_pairs += pairs(k);
    majority[key.first] = std::max(majority[key.first], k);
  }
  s.precision = s.predicted_pairs ? static_cast<double>(s.true_pairs) / static_cast<double>(s.predicted_pairs) : 0;
  s.recall = s.gold_pairs ? static_cast<double>(s.true_pairs) / static_cast<double>(s.gold_pairs) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  int64_t grouped = 0, pure = 0;
  for (const auto& [p, k] : predicted_sizes) {
    grouped += k;
    pure += majority.count(p) ? majority[p] : 0;
  }
  s.purity = grouped ? static_cast<double>(pure) / static_cast<double>(grouped) : 0;
  return s;
}

AggregateSummary aggregate_reports(Store& store, const Taxonomy& taxonomy, const AggregateOptions& options) {
  if (options.window_days <= 0) throw Error("aggregate: --window must be more than 0 days");
  if (options.route == PairRoute::kLlm && !options.ask) throw Error("aggregate --route llm needs an LLM endpoint (--llm-url)");
  AggregateSummary s;
  // Labels: the named source, or the rules' when there are any.
  s.label_source = options.source;
  if (s.label_source.empty()) {
    s.label_source = store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'rules'") > 0 ? "rules" : "";
  } else if (s.label_source == "none") {
    s.label_source.clear();
  }
  std::unordered_map<int64_t, std::pair<std::string, std::string>> labels;
  if (!s.label_source.empty()) {
    Query q = store.db().query(
        "SELECT issue_id, coalesce(stage, ''), coalesce(root_cause, '') FROM annotations WHERE source = ? AND failure_index = 1");
    q.bind(1, s.label_source);
    while (q.step()) labels[q.column_int(0)] = {q.column_text(1), q.column_text(2)};
  }
  std::unordered_map<int64_t, std::string> comments;
  {
    Query q = store.db().query("SELECT issue_id, coalesce(body, '') FROM comments ORDER BY issue_id, created_at, id");
    while (q.step()) comments[q.column_int(0)].append(q.column_view(1)).push_back('\n');
  }
  // Reports are read in chunks whose features are computed on all cores, so only a chunk's
  // bodies are in memory at once. The LLM's view (error lines, excerpt) is kept only when a
  // route may ask it.
  const bool keep_text = options.route != PairRoute::kRules;
  std::vector<AggregateReport> reports;
  std::vector<std::string> bodies;
  auto work = [&](size_t base, size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      AggregateReport& r = reports[base + k];
      const std::string& body = bodies[k];
      auto c = comments.find(r.issue_id);
      std::vector<std::string> thread;
      if (c != comments.end()) thread.push_back(c->second);
      IssueFeatures f = extract_features(r.title, body, thread);
      r.signature = f.error_signature;
      if (keep_text) {
        r.error_lines = f.error_lines;
        if (r.error_lines.size() > 5) r.error_lines.resize(5);
        r.excerpt = std::string(utf8_prefix(f.prose, f.environment.empty() ? 1200 : 900));
        if (!f.environment.empty()) r.excerpt += "\nEnvironment:\n" + std::string(utf8_prefix(f.environment, 300));
      }
      r.libraries = library_versions(r.title + "\n" + body);
      r.models = model_mentions(r.title + "\n" + std::string(utf8_prefix(body, 300)));
    }
  };
  auto features = [&](size_t base) {
    const size_t count = bodies.size();
    size_t threads = std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), count / 1000 + 1));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, base, count * t / threads, count * (t + 1) / threads);
    work(base, 0, count / threads);
    for (auto& t : pool) t.join();
    bodies.clear();
  };
  {
    Query q = store.db().query(
        "SELECT i.id, r.owner || '/' || r.name, coalesce(r.series, ''), coalesce(r.model, ''), i.number, i.url, i.title, "
        "coalesce(i.body, ''), coalesce(i.created_at, '') FROM issues i JOIN repositories r ON r.id = i.repository_id "
        "WHERE i.title IS NOT NULL AND i.is_pull_request = 0 ORDER BY i.created_at, i.id");
    size_t chunk_start = 0;
    while (q.step()) {
      AggregateReport r;
      r.issue_id = q.column_int(0);
      r.repository = q.column_text(1);
      r.series = q.column_text(2);
      r.model = q.column_text(3);
      r.number = q.column_int(4);
      if (keep_text) r.url = q.column_text(5);
      r.title = q.column_text(6);
      r.created_at = q.column_text(8);
      r.created = parse_time(r.created_at);
      if (auto it = labels.find(r.issue_id); it != labels.end()) {
        r.stage = it->second.first;
        r.root_cause = it->second.second;
      }
      bodies.push_back(q.column_text(7));
      reports.push_back(std::move(r));
      if (bodies.size() == 20000) {
        features(chunk_start);
        chunk_start = reports.size();
      }
    }
    features(chunk_start);
  }
  const size_t n = reports.size();
  s.reports = static_cast<int64_t>(n);
  if (options.progress) options.progress("features", s.reports, s.reports);

  Grouping g = group_reports(reports, options);
  s.candidate_pairs = g.candidates;
  s.uncertain_pairs = g.uncertain;
  s.routed = g.routed;
  s.answered = g.answered;
  for (const PairDecision& d : g.pairs) s.linked_pairs += d.linked;
  s.incidents = static_cast<int64_t>(g.groups.size());
  for (const auto& grp : g.groups) {
    s.reports_in_incidents += static_cast<int64_t>(grp.size());
    s.largest = std::max<int64_t>(s.largest, static_cast<int64_t>(grp.size()));
  }

  const char* const route = options.route == PairRoute::kRules ? "rules" : options.route == PairRoute::kHybrid ? "hybrid" : "llm";
  Transaction tx(store.db());
  s.run_id = store.begin_run("aggregate", options.argv, &taxonomy);
  store.db().query("DELETE FROM aggregations WHERE name = ?").bind(1, options.name).run();
  json summary = {{"reports", s.reports},       {"candidate_pairs", s.candidate_pairs}, {"uncertain_pairs", s.uncertain_pairs},
                  {"routed", s.routed},         {"answered", s.answered},               {"linked_pairs", s.linked_pairs},
                  {"incidents", s.incidents},   {"reports_in_incidents", s.reports_in_incidents},
                  {"llm_model", options.llm_model}};
  store.db()
      .query("INSERT INTO aggregations (name, source, window_days, route, threshold, run_id, created_at, summary) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, options.name)
      .bind(2, s.label_source)
      .bind(3, options.window_days)
      .bind(4, route)
      .bind(5, options.threshold)
      .bind(6, s.run_id)
      .bind(7, utc_now_iso8601())
      .bind(8, summary.dump())
      .run();
  Query incident = store.db().query(
      "INSERT INTO incidents (aggregation, number, title, size, first_at, last_at, repositories, signature, root_cause) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  Query member = store.db().query("INSERT INTO incident_members (incident_id, issue_id) VALUES (?, ?)");
  int64_t number = 0;
  for (const auto& grp : g.groups) {
    std::vector<std::string> signatures, causes;
    std::set<std::string> repositories;
    std::string first, last;
    for (size_t r : grp) {
      signatures.push_back(reports[r].signature);
      causes.push_back(reports[r].root_cause);
      repositories.insert(reports[r].repository);
      if (first.empty() || reports[r].created_at < first) first = reports[r].created_at;
      if (reports[r].created_at > last) last = reports[r].created_at;
    }
    // The title: the dominant error if there is one, else the earliest report's title.
    std::string signature = mode(signatures);
    std::string title = signature.empty() ? reports[grp.front()].title : signature;
    if (title.size() > 160) title = std::string(utf8_prefix(title, 157)) + "...";
    title += " (" + std::to_string(grp.size()) + " reports, " + std::to_string(repositories.size()) +
             (repositories.size() == 1 ? " repository)" : " repositories)");
    std::string cause = mode(causes);
    if (!cause.empty() && !taxonomy.find(cause)) cause.clear();
    incident.bind(1, options.name).bind(2, ++number).bind(3, title).bind(4, static_cast<int64_t>(grp.size()));
    incident.bind(5, first).bind(6, last).bind(7, json(std::vector<std::string>(repositories.begin(), repositories.end())).dump());
    incident.bind(8, signature.empty() ? std::optional<std::string>() : std::optional<std::string>(signature));
    incident.bind(9, cause.empty() ? std::optional<std::string>() : std::optional<std::string>(cause));
    std::optional<int64_t> id = incident.first_int();
    if (!id) throw Error("aggregate: incident insert returned no id");
    for (size_t r : grp) member.bind(1, *id).bind(2, reports[r].issue_id).run();
  }
  // Decided pairs worth auditing: the links, and what the LLM decided.
  Query link = store.db().query(
      "INSERT OR REPLACE INTO incident_links (aggregation, issue_a, issue_b, score, decided_by, linked, evidence) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const PairDecision& d : g.pairs) {
    if (!d.linked && !d.by_llm) continue;
    json evidence = json::object();
    if (!d.reason.empty()) evidence["reason"] = d.reason;
    link.bind(1, options.name).bind(2, reports[d.a].issue_id).bind(3, reports[d.b].issue_id);
    link.bind(4, std::round(d.score * 1000) / 1000).bind(5, d.by_llm ? "llm" : "score").bind(6, d.linked ? 1 : 0);
    link.bind(7, evidence.dump());
    link.run();
  }
  store.finish_run(s.run_id, "ok", summary.dump());
  tx.commit();
  return s;
}

}  // namespace firstmile

namespace firstmile {

std::map<int64_t, int64_t> load_gold_incidents(Store& store, const std::string& gold) {
  std::map<int64_t, int64_t> out;
  auto issue_id = [&store](const IssueLink& link) -> std::optional<int64_t> {
    std::optional<int64_t> repo = store.find_repository(link.owner, link.name);
    if (!repo) return std::nullopt;
    Query q = store.db().query("SELECT id FROM issues WHERE repository_id = ? AND number = ?");
    q.bind(1, *repo).bind(2, link.number);
    std::optional<int64_t> id;
    if (q.step()) id = q.column_int(0);
    return id;
  };
  if (gold == "duplicates") {
    // "Duplicate of #12" in a comment joins the issue to #12 of its repository.
    static const RE2 duplicate_of(R"re((?i)duplicate of\s+#(\d+))re");
    std::vector<std::pair<int64_t, int64_t>> links;
    Query q = store.db().query(
        "SELECT c.issue_id, i.repository_id, c.body FROM comments c JOIN issues i ON i.id = c.issue_id WHERE c.body LIKE '%uplicate of%'");
    Query find = store.db().query("SELECT id FROM issues WHERE repository_id = ? AND number = ?");
    while (q.step()) {
      int64_t number = 0;
      if (!RE2::PartialMatch(q.column_text(2), duplicate_of, &number)) continue;
      find.bind(1, q.column_int(1)).bind(2, number);
      if (find.step()) links.emplace_back(q.column_int(0), find.column_int(0));
    }
    std::map<int64_t, int64_t> parent;
    std::function<int64_t(int64_t)> root = [&](int64_t x) {
      auto it = parent.find(x);
      if (it == parent.end() || it->second == x) return x;
      return it->second = root(it->second);
    };
    for (auto [a, b] : links) {
      parent.emplace(a, a);
      parent.emplace(b, b);
      int64_t ra = root(a), rb = root(b);
      if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
    }
    for (const auto& [id, p] : parent) out[id] = root(id);
    Query all = store.db().query("SELECT id FROM issues WHERE title IS NOT NULL AND is_pull_request = 0");
    while (all.step()) out.emplace(all.column_int(0), 0);
    return out;
  }
  std::map<std::string, int64_t> incident_names;
  for (const CsvRecord& rec : read_csv_file(gold)) {
    if (rec.fields.empty()) continue;
    if (rec.line == 1 && rec.fields[0].find('/') == std::string::npos) continue;  // a header row
    std::string where = gold + ": line " + std::to_string(rec.line);
    if (rec.fields.size() < 2) throw Error(where + ": expected two columns: the issue (URL or OWNER/NAME#N) and its incident");
    std::optional<IssueLink> link = parse_issue_reference(rec.fields[0]);
    if (!link) throw Error(where + ": '" + rec.fields[0] + "' is not an issue URL or OWNER/NAME#N");
    std::optional<int64_t> id = issue_id(*link);
    if (!id) continue;  // not in this database: it cannot be compared
    char* end = nullptr;
    long long incident = rec.fields[1].empty() ? 0 : std::strtoll(rec.fields[1].c_str(), &end, 10);
    if (!rec.fields[1].empty() && (end == rec.fields[1].c_str() || *end != '\0')) {
      // Incident names need not be numbers: map each name to a number of its own.
      auto [it, fresh] = incident_names.emplace(rec.fields[1], static_cast<int64_t>(1'000'000'000 + incident_names.size()));
      incident = it->second;
    }
    out.emplace(*id, incident);  // an issue listed twice keeps its first incident
  }
  return out;
}

std::map<int64_t, int64_t> load_predicted_incidents(Store& store, const std::string& name) {
  Query exists = store.db().query("SELECT count(*) FROM aggregations WHERE name = ?");
  exists.bind(1, name);
  exists.step();
  bool found = exists.column_int(0) > 0;
  if (!found) throw Error("no aggregation named '" + name + "' (run `firstmile aggregate --name " + name + "` first)");
  std::map<int64_t, int64_t> out;
  Query q = store.db().query(
      "SELECT m.issue_id, i.number FROM incident_members m JOIN incidents i ON i.id = m.incident_id WHERE i.aggregation = ?");
  q.bind(1, name);
  while (q.step()) out[q.column_int(0)] = q.column_int(1);
  return out;
}

}  // namespace firstmile
