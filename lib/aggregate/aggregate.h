// aggregate/aggregate.h — failure reports grouped into incidents: `firstmile aggregate`.
//
//   SimilarityKnowledge knowledge = SimilarityKnowledge::load();
//   AggregateOptions o;  o.grouping.window_days = 14;
//   AggregateSummary s = aggregate_reports(store, taxonomy, knowledge, o);
//   print_aggregate_summary(s, o, nullptr, std::cout);     // what `firstmile aggregate` prints
//   // s.reports, s.candidate_pairs, s.linked_pairs, s.incidents, s.routed
//
// COLA's alert aggregation applied to issue storms, in named steps:
// 1. the label source: the one named, or the rules' labels when there are any;
// 2. the reports (issues with a title, not pull requests), oldest first, read a chunk at a
//    time: a chunk's bodies and comments are in memory only while its features (report.h) are
//    read on all cores;
// 3. grouping (grouping.h): blocking into candidate pairs, the pair score (similarity.h), the
//    decisions (an LLM for the uncertain ones on the hybrid route), the connected groups;
// 4. the incidents, each with its members, time span, repositories, dominant signature and
//    root cause and a one-line title, and the decided pairs worth auditing, written under
//    `name` in one transaction (replacing an earlier run of that name; store/incident_tables.h).
// The run's summary records the hashes of the data files that decided the result
// (similarity.json; with an LLM, the pair judge's prompt and knowledge).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "aggregate/grouping.h"

namespace firstmile {

class RuleClassifier;
class Store;
class Taxonomy;
class SimilarityKnowledge;
struct LlmCounters;

struct AggregateOptions {
  std::string name = "default";
  std::string source;        // labels used ("" = the rules' if there are any, "none" = none)
  // With source "rules" and none of their annotations stored, the reports are labelled with
  // these rules as they are read (not stored). Not by default: labels read from generated
  // storms carry no signal and would cost them (bench/README.md).
  const RuleClassifier* rules = nullptr;
  std::string rules_hash{};  // theirs (RuleSet::hash), recorded in the run's summary when they label
  GroupingOptions grouping;  // window, route, threshold, neighbours, the LLM asker, progress
  std::vector<std::string> argv;
  std::string llm_model;
  // More (name, hash) pairs for the run's summary: PairJudge::provenance() when one asks.
  std::vector<std::pair<std::string, std::string>> provenance;
  size_t chunk_reports = 20000;  // reports whose bodies and comments are in memory at once
  std::string pairs_out{};       // when set: every candidate pair's evidence and score, as CSV
  // When embed_url is set, report texts are sent to that OpenAI-compatible /v1/embeddings
  // endpoint (llm/embedding_client.h; vectors cached in embedding_cache) and the cosine of a
  // pair's vectors is one more piece of evidence. Plain strings, checked by check_embedding_flags().
  std::string embed_url{};
  std::string embed_model{};
};

struct AggregateSummary {
  int64_t run_id = 0;
  std::string label_source;
  int64_t reports = 0;
  int64_t candidate_pairs = 0;
  int64_t uncertain_pairs = 0;
  int64_t routed = 0;    // sent to the LLM
  int64_t answered = 0;  // decided by the LLM's answer
  int64_t linked_pairs = 0;
  int64_t known_cause_links = 0;  // of them, linked as one known cause (known_change_links)
  int64_t incidents = 0;  // groups of two or more reports
  int64_t reports_in_incidents = 0;
  int64_t largest = 0;
  int64_t embedded = 0, embedding_cache_hits = 0, embedding_requests = 0;  // with --embed-url
  double embedding_weight = 0;  // what similarity.json gives the embeddings' evidence
};

// Throws Error for a window of 0 days or less, the llm route without an asker, or an error in a
// worker thread (rethrown here).
AggregateSummary aggregate_reports(Store& store, const Taxonomy& taxonomy, const SimilarityKnowledge& knowledge,
                                   const AggregateOptions& options);

// The lines `firstmile aggregate` prints: counts, the LLM's share on the hybrid and llm
// routes (with `llm`, the client's calls and tokens), and how to list the incidents.
void print_aggregate_summary(const AggregateSummary& summary, const AggregateOptions& options, const LlmCounters* llm,
                             std::ostream& out);

}  // namespace firstmile
