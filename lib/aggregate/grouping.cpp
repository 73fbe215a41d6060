// aggregate/grouping.cpp — blocking, scoring and deciding the pairs, and the connected groups.
#include "aggregate/grouping.h"

#include <algorithm>
#include <cmath>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "aggregate/linkage.h"
#include "aggregate/similarity.h"
#include "aggregate/union_find.h"

namespace firstmile {

namespace {

// With average linkage, every pair scoring at least kCountedScore is also kept in `counted`
// for the groups' mean scores (the rest count 0).
constexpr double kCountedScore = 0.01;

// The one-incident known change two reports of one model family both show, when the knowledge
// links such pairs, unless the change belongs to a library's releases and both name a version
// of one library (then the versions speak and the score decides: a storm follows a release,
// and a tool may bundle the library, as Ollama does llama.cpp). Library versions say nothing
// of model files, reference code or a change every release shows. "" otherwise.
std::string known_cause(const AggregateReport& x, const AggregateReport& y, const PairEvidence& e,
                        const SimilarityKnowledge& knowledge) {
  if (!knowledge.known_change_links() || e.same_known_change == 0 || e.same_family == 0) return "";
  const bool versions = e.other_release > 0 || e.other_release_same_error_and_model > 0 || e.other_patch > 0 ||
                        e.same_version > 0;
  // The first shared change the versions do not speak of (when they do, the score decides).
  return shared_one_incident_change(x, y, knowledge, [&](const std::string& change) {
    return !versions || !knowledge.bound_to_releases(change);
  });
}

// Step 2 and the score's half of step 3: only the pairs that matter are kept, the linked ones
// and those the LLM will be asked about (their indexes in `routed`). The score's decision is
// "linked" at 0.5 or more, and for a report and its best candidate when each is the other's
// best above the floor; an uncertain pair routed to the LLM keeps that decision when no usable
// answer comes back. A pair of one known cause (known_cause) is linked whatever its score, is
// not asked about, and counts 1 in the groups' means.
void score_pairs(const std::vector<AggregateReport>& reports, const std::vector<uint64_t>& candidates,
                 const CorpusStatistics& corpus, const SimilarityKnowledge& knowledge, const GroupingOptions& options,
                 Grouping& g, std::vector<size_t>& routed, std::vector<ScoredPair>* counted) {
  const double floor = knowledge.pair_score().mutual_best_min_score;
  // Pairs scoring below all of these can be neither linked nor uncertain: they are not kept.
  double keep_from = std::min(0.5, floor);
  if (options.route == PairRoute::kHybrid) keep_from = std::min(keep_from, 0.5 - options.threshold / 2);
  if (options.route == PairRoute::kLlm) keep_from = -1;
  struct Scored {
    size_t a, b;
    double score;
  };
  std::vector<Scored> kept;
  std::vector<PairDecision> known;  // pairs linked as one known cause
  // Each report's best-scored candidate (score, other; other == SIZE_MAX: none yet).
  std::vector<std::pair<double, size_t>> best(reports.size(), {-1.0, SIZE_MAX});
  for (uint64_t key : candidates) {
    size_t a = static_cast<size_t>(key >> 32), b = static_cast<size_t>(key & 0xffffffffu);
    PairEvidence evidence = pair_evidence(reports, corpus, a, b, options.window_days, knowledge);
    double score = score_of(evidence, knowledge);
    std::string change = known_cause(reports[a], reports[b], evidence, knowledge);
    if (options.on_pair) options.on_pair(a, b, evidence, score, !change.empty());
    if (score > best[a].first) best[a] = {score, b};
    if (score > best[b].first) best[b] = {score, a};
    if (!change.empty()) {
      known.push_back({.a = a, .b = b, .score = score, .linked = true, .by_llm = false, .by_knowledge = true,
                       .reason = "both show a tell-tale error of " + change + ": one known cause"});
    } else if (score >= keep_from) {
      kept.push_back({a, b, score});
    }
    if (counted && (score >= kCountedScore || !change.empty()))
      counted->push_back({static_cast<uint32_t>(a), static_cast<uint32_t>(b), change.empty() ? score : 1.0});
  }
  for (PairDecision& d : known) g.pairs.push_back(std::move(d));
  for (const Scored& p : kept) {
    const bool mutual = floor < 1 && p.score >= floor && best[p.a].second == p.b && best[p.b].second == p.a;
    const bool by_score = p.score >= 0.5 || mutual;
    const bool unsure = options.route == PairRoute::kLlm || std::fabs(p.score - 0.5) * 2 < options.threshold;
    g.uncertain += unsure;
    const bool to_llm = unsure && options.route != PairRoute::kRules;
    if (!by_score && !to_llm) continue;
    PairDecision d;
    d.a = p.a;
    d.b = p.b;
    d.score = p.score;
    d.linked = by_score;
    if (mutual && p.score < 0.5) d.reason = "each is the other's best candidate";
    if (to_llm) routed.push_back(g.pairs.size());
    g.pairs.push_back(std::move(d));
  }
}

// The LLM's half of step 3: its usable answers decide; the others leave the score's decision
// with the reason there is no answer.
void ask_about(const std::vector<AggregateReport>& reports, const std::vector<size_t>& routed, const PairAsk& ask,
               Grouping& g) {
  std::vector<PairQuestion> questions;
  for (size_t k : routed) questions.push_back({&reports[g.pairs[k].a], &reports[g.pairs[k].b], g.pairs[k].score});
  std::vector<PairAnswer> answers = ask(questions);
  g.routed = static_cast<int64_t>(questions.size());
  for (size_t u = 0; u < routed.size() && u < answers.size(); ++u) {
    PairDecision& d = g.pairs[routed[u]];
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

// The pairs the LLM decided count with its answer (1 same, 0 different) in the groups' means.
void with_llm_answers(const std::vector<PairDecision>& pairs, std::vector<ScoredPair>& counted) {
  std::unordered_map<uint64_t, bool> answered;  // pair key -> same
  for (const PairDecision& d : pairs) {
    if (d.by_llm) answered[(static_cast<uint64_t>(d.a) << 32) | d.b] = d.linked;
  }
  if (answered.empty()) return;
  std::erase_if(counted, [&](const ScoredPair& p) {
    return answered.count((static_cast<uint64_t>(p.a) << 32) | p.b) > 0;
  });
  for (const PairDecision& d : pairs) {  // in the pairs' order: deterministic sums
    if (d.by_llm && d.linked) counted.push_back({static_cast<uint32_t>(d.a), static_cast<uint32_t>(d.b), 1.0});
  }
}

}  // namespace

std::vector<uint64_t> candidate_pairs(const std::vector<AggregateReport>& reports,
                                      std::vector<std::vector<std::string>> keys, const GroupingOptions& options,
                                      const std::vector<std::vector<uint32_t>>* neighbours) {
  std::unordered_map<std::string, std::vector<size_t>> blocks;
  for (size_t r = 0; r < keys.size(); ++r) {
    for (const std::string& k : keys[r]) blocks[k].push_back(r);
  }
  std::vector<std::vector<std::string>>().swap(keys);
  // Time is evidence, not a wall: with max_days_apart 0 a key pairs its reports however far apart
  // (a misconfiguration reported for months is one incident), the nearest in time first.
  const int64_t wall = options.max_days_apart > 0 ? static_cast<int64_t>(options.max_days_apart * 86400) : INT64_MAX;
  // Pairs as one 64-bit key each, sorted and made unique at the end: far cheaper than a hash
  // set at tens of millions of pairs, and the order is deterministic.
  std::vector<uint64_t> candidates;
  for (auto& [k, members] : blocks) {
    if (members.size() < 2) continue;
    std::stable_sort(members.begin(), members.end(),
                     [&](size_t a, size_t b) { return reports[a].created < reports[b].created; });
    for (size_t i = 0; i < members.size(); ++i) {
      int taken = 0;
      for (size_t j = i + 1; j < members.size() && taken < options.max_neighbours; ++j) {
        if (reports[members[j]].created - reports[members[i]].created > wall) break;
        size_t a = std::min(members[i], members[j]), b = std::max(members[i], members[j]);
        candidates.push_back((static_cast<uint64_t>(a) << 32) | b);
        ++taken;
      }
    }
  }
  blocks.clear();
  if (neighbours) {
    for (size_t r = 0; r < neighbours->size(); ++r) {
      for (uint32_t other : (*neighbours)[r]) {
        size_t a = std::min<size_t>(r, other), b = std::max<size_t>(r, other);
        if (options.max_days_apart > 0 &&
            std::llabs(reports[a].created - reports[b].created) > static_cast<int64_t>(options.max_days_apart * 86400))
          continue;
        candidates.push_back((static_cast<uint64_t>(a) << 32) | b);
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  return candidates;
}

std::vector<std::vector<size_t>> connected_groups(size_t reports, const std::vector<PairDecision>& pairs) {
  UnionFind incidents(reports);
  for (const PairDecision& d : pairs) {
    if (d.linked) incidents.join(d.a, d.b);
  }
  std::map<size_t, std::vector<size_t>> components;
  for (size_t r = 0; r < reports; ++r) components[incidents.find(r)].push_back(r);
  std::vector<std::vector<size_t>> groups;
  for (auto& [root, members] : components) {
    if (members.size() >= 2) groups.push_back(std::move(members));
  }
  // Largest first, then by first report.
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return groups;
}

Grouping group_reports(const std::vector<AggregateReport>& reports, const SimilarityKnowledge& knowledge,
                       const GroupingOptions& options) {
  Grouping g;
  CorpusStatistics corpus = corpus_statistics(reports, options.window_days, knowledge);
  std::vector<uint64_t> candidates = candidate_pairs(reports, std::move(corpus.keys), options, &corpus.word_neighbours);
  corpus.keys.clear();
  std::vector<std::vector<uint32_t>>().swap(corpus.word_neighbours);
  g.candidates = static_cast<int64_t>(candidates.size());
  if (options.progress) options.progress("pairs", g.candidates, g.candidates);
  std::vector<size_t> routed;
  const double average_min = knowledge.pair_score().average_link_min_score;
  std::vector<ScoredPair> counted;
  score_pairs(reports, candidates, corpus, knowledge, options, g, routed, average_min > 0 ? &counted : nullptr);
  std::vector<uint64_t>().swap(candidates);
  if (!routed.empty() && options.ask) ask_about(reports, routed, options.ask, g);
  if (average_min > 0) {
    with_llm_answers(g.pairs, counted);
    join_by_average(reports.size(), counted, average_min, g.pairs);
  }
  g.groups = connected_groups(reports.size(), g.pairs);
  return g;
}

}  // namespace firstmile
