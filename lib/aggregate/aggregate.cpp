// aggregate/aggregate.cpp — `firstmile aggregate` as a sequence of steps: labels, reports read
// chunk by chunk, grouping, incidents written; and the summary it prints.
#include "aggregate/aggregate.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "aggregate/similarity.h"
#include "aggregate/similarity_knowledge.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "base/text_table.h"
#include "llm/embedding_client.h"
#include "llm/llm_client.h"
#include "store/aggregation_input.h"
#include "store/incident_tables.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;

// A thread is worth starting for this many reports.
constexpr size_t kReportsPerThread = 1000;
// Incident titles longer than this are cut (and end in "...").
constexpr size_t kTitleBytes = 160;

const char* route_name(PairRoute route) {
  return route == PairRoute::kRules ? "rules" : route == PairRoute::kHybrid ? "hybrid" : "llm";
}

// What step 1 calls labels the rules decide as the reports are read.
constexpr const char* kRulesReadNow = "rules (read now)";

// Step 1: the named source; "rules": their annotations, or when classify has stored none, their
// labels as the reports are read (with options.rules); none named: the rules' annotations if
// there are any; none for "none".
std::string label_source(Store& store, const AggregateOptions& options) {
  const std::string& requested = options.source;
  if (requested.empty() || requested == "rules") {
    if (has_annotations(store, "rules")) return "rules";
    return requested == "rules" && options.rules ? kRulesReadNow : "";
  }
  return requested == "none" ? "" : requested;
}

// Step 2 for one chunk: reports[first...] whose bodies are `bodies`, their comments read now.
void read_chunk_features(Store& store, const SimilarityKnowledge& knowledge, bool llm_view,
                         const RuleClassifier* labeller, std::vector<AggregateReport>& reports, size_t first,
                         const std::vector<std::string>& bodies) {
  std::vector<int64_t> ids;
  for (size_t k = 0; k < bodies.size(); ++k) ids.push_back(reports[first + k].issue_id);
  const std::unordered_map<int64_t, std::string> comments = comment_threads(store, ids);
  const size_t count = bodies.size();
  const size_t threads =
      std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), count / kReportsPerThread + 1));
  auto work = [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      AggregateReport& r = reports[first + k];
      auto thread = comments.find(r.issue_id);
      read_report_features(r, bodies[k], thread == comments.end() ? nullptr : &thread->second, knowledge, llm_view,
                           labeller);
    }
  };
  for_each_slice(count, threads, work, "aggregate: reading the reports' features");
}

// Step 2: every report, oldest first, with its labels and features. The LLM's view (URL, error
// lines, excerpt) is kept only when a route may ask it.
std::vector<AggregateReport> read_reports(Store& store, const SimilarityKnowledge& knowledge, const std::string& source,
                                          const AggregateOptions& options) {
  std::unordered_map<int64_t, ReportLabel> labels;
  const RuleClassifier* labeller = source == kRulesReadNow ? options.rules : nullptr;
  if (!source.empty() && !labeller) labels = first_failure_causes(store, source);
  const bool llm_view = options.grouping.route != PairRoute::kRules || !options.embed_url.empty();
  std::vector<AggregateReport> reports;
  std::vector<std::string> bodies;  // of the chunk being read
  size_t chunk_start = 0;
  auto finish_chunk = [&] {
    read_chunk_features(store, knowledge, llm_view, labeller, reports, chunk_start, bodies);
    bodies.clear();
    chunk_start = reports.size();
  };
  for_each_report(store, [&](ReportRow& row) {
    AggregateReport r;
    r.issue_id = row.issue_id;
    r.repository = std::move(row.repository);
    r.series = std::move(row.series);
    r.model = std::move(row.model);
    r.number = row.number;
    if (llm_view) r.url = std::move(row.url);
    r.title = std::move(row.title);
    r.created_at = std::move(row.created_at);
    r.created = parse_iso8601_utc(r.created_at).value_or(0);
    if (auto it = labels.find(r.issue_id); it != labels.end()) {
      r.stage = it->second.stage;
      r.root_cause = it->second.root_cause;
    }
    bodies.push_back(std::move(row.body));
    reports.push_back(std::move(r));
    if (bodies.size() == options.chunk_reports) finish_chunk();
  });
  finish_chunk();
  return reports;
}

// Step 2b, with --embed-url: each report's title and excerpt embedded (cached in the store).
void embed_reports(Store& store, const AggregateOptions& options, std::vector<AggregateReport>& reports,
                   AggregateSummary& s) {
  std::vector<std::string> texts;
  texts.reserve(reports.size());
  for (const AggregateReport& r : reports) texts.push_back(r.title + "\n\n" + r.excerpt);
  EmbeddingClient embedder(embedding_client_options(options.embed_url, options.embed_model), &store);
  std::vector<std::vector<float>> vectors = embedder.embed(texts, [&](size_t done, size_t total) {
    if (options.grouping.progress)
      options.grouping.progress("embeddings", static_cast<int64_t>(done), static_cast<int64_t>(total));
  });
  for (size_t k = 0; k < reports.size() && k < vectors.size(); ++k) reports[k].embedding = std::move(vectors[k]);
  s.embedded = static_cast<int64_t>(embedder.counters().texts);
  s.embedding_cache_hits = static_cast<int64_t>(embedder.counters().cache_hits);
  s.embedding_requests = static_cast<int64_t>(embedder.counters().calls);
}

void count_grouping(const Grouping& g, AggregateSummary& s) {
  s.candidate_pairs = g.candidates;
  s.uncertain_pairs = g.uncertain;
  s.routed = g.routed;
  s.answered = g.answered;
  for (const PairDecision& d : g.pairs) {
    s.linked_pairs += d.linked;
    s.known_cause_links += d.linked && d.by_knowledge;
  }
  s.incidents = static_cast<int64_t>(g.groups.size());
  for (const auto& group : g.groups) {
    s.reports_in_incidents += static_cast<int64_t>(group.size());
    s.largest = std::max<int64_t>(s.largest, static_cast<int64_t>(group.size()));
  }
}

// The most common non-empty value; ties go to the first in order, so the result is
// deterministic. "" when all are empty.
std::string mode(const std::vector<std::string>& values) {
  std::map<std::string, int> counts;
  for (const std::string& v : values) {
    if (!v.empty()) ++counts[v];
  }
  std::string best;
  int n = 0;
  for (const auto& [v, c] : counts) {
    if (c > n) best = v, n = c;
  }
  return best;
}

// One group as an incident: its span, repositories, dominant signature and root cause, and a
// title: the dominant error if there is one, else the earliest report's title.
NewIncident incident_of(const std::vector<AggregateReport>& reports, const std::vector<size_t>& group, int64_t number,
                        const Taxonomy& taxonomy) {
  NewIncident n;
  n.number = number;
  std::vector<std::string> signatures, causes;
  std::set<std::string> repositories;
  for (size_t r : group) {
    signatures.push_back(reports[r].signature);
    causes.push_back(reports[r].root_cause);
    repositories.insert(reports[r].repository);
    if (n.first_at.empty() || reports[r].created_at < n.first_at) n.first_at = reports[r].created_at;
    if (reports[r].created_at > n.last_at) n.last_at = reports[r].created_at;
    n.members.push_back(reports[r].issue_id);
  }
  n.signature = mode(signatures);
  n.title = n.signature.empty() ? reports[group.front()].title : n.signature;
  if (n.title.size() > kTitleBytes) n.title = std::string(utf8_prefix(n.title, kTitleBytes - 3)) + "...";
  n.title += " (" + std::to_string(group.size()) + " reports, " + std::to_string(repositories.size()) +
             (repositories.size() == 1 ? " repository)" : " repositories)");
  n.root_cause = mode(causes);
  if (!n.root_cause.empty() && !taxonomy.find(n.root_cause)) n.root_cause.clear();
  n.repositories.assign(repositories.begin(), repositories.end());
  return n;
}

IncidentLink link_of(const std::vector<AggregateReport>& reports, const PairDecision& d) {
  json evidence = json::object();
  if (!d.reason.empty()) evidence["reason"] = d.reason;
  return {reports[d.a].issue_id,
          reports[d.b].issue_id,
          std::round(d.score * 1000) / 1000,
          d.by_llm ? "llm" : d.by_knowledge ? "knowledge" : "score",
          d.linked,
          json_text(evidence)};
}

json summary_json(const AggregateSummary& s, const std::string& llm_model) {
  json j = {{"reports", s.reports},
          {"candidate_pairs", s.candidate_pairs},
          {"uncertain_pairs", s.uncertain_pairs},
          {"routed", s.routed},
          {"answered", s.answered},
          {"linked_pairs", s.linked_pairs},
          {"known_cause_links", s.known_cause_links},
          {"incidents", s.incidents},
          {"reports_in_incidents", s.reports_in_incidents},
          {"llm_model", llm_model}};
  if (s.embedded) j["embedded"] = s.embedded;  // with --embed-url
  return j;
}

// Step 4, in one transaction: the run, the aggregation, its incidents, and the decided pairs
// worth auditing (the links, and what the LLM decided).
void store_aggregation(Store& store, const Taxonomy& taxonomy, const SimilarityKnowledge& knowledge,
                       const AggregateOptions& options, const std::vector<AggregateReport>& reports, const Grouping& g,
                       AggregateSummary& s) {
  Transaction tx(store.db());
  s.run_id = store.begin_run("aggregate", options.argv, &taxonomy);
  json summary = summary_json(s, options.llm_model);
  AggregationInfo aggregation;
  aggregation.name = options.name;
  aggregation.source = s.label_source;
  aggregation.window_days = options.grouping.window_days;
  aggregation.route = route_name(options.grouping.route);
  aggregation.threshold = options.grouping.threshold;
  aggregation.run_id = s.run_id;
  aggregation.created_at = utc_now_iso8601();
  aggregation.summary = json_text(summary);
  replace_aggregation(store, aggregation);
  int64_t number = 0;
  for (const auto& group : g.groups)
    insert_incident(store, options.name, incident_of(reports, group, ++number, taxonomy));
  for (const PairDecision& d : g.pairs) {
    if (d.linked || d.by_llm) insert_incident_link(store, options.name, link_of(reports, d));
  }
  // The run also records which data decided: the aggregation's own summary stays as it was.
  summary["similarity_hash"] = knowledge.hash();
  if (s.label_source == kRulesReadNow) summary["rules_hash"] = options.rules_hash;
  if (!options.embed_url.empty()) summary["embed_model"] = options.embed_model;
  for (const auto& [name, hash] : options.provenance) summary[name] = hash;
  store.finish_run(s.run_id, "ok", json_text(summary));
  tx.commit();
}

}  // namespace

AggregateSummary aggregate_reports(Store& store, const Taxonomy& taxonomy, const SimilarityKnowledge& knowledge,
                                   const AggregateOptions& options) {
  if (options.grouping.window_days <= 0) throw Error("aggregate: --window must be more than 0 days");
  require_utf8(options.name, "aggregate --name");
  if (options.grouping.route == PairRoute::kLlm && !options.grouping.ask) {
    throw Error("aggregate --route llm needs an LLM endpoint (--llm-url)");
  }
  if (options.chunk_reports == 0) throw Error("aggregate: chunks must hold at least one report");
  AggregateSummary s;
  s.label_source = label_source(store, options);
  std::vector<AggregateReport> reports = read_reports(store, knowledge, s.label_source, options);
  s.reports = static_cast<int64_t>(reports.size());
  if (options.grouping.progress) options.grouping.progress("features", s.reports, s.reports);
  if (!options.embed_url.empty()) {
    embed_reports(store, options, reports, s);
    s.embedding_weight = knowledge.pair_score().embedding_similarity;
  }
  GroupingOptions grouping = options.grouping;
  std::ofstream pairs_file;
  std::optional<CsvWriter> pairs_csv;
  if (!options.pairs_out.empty()) {
    // Every candidate pair with its evidence: what weights are fitted on (bench/aggregate_fit.py).
    pairs_file.open(options.pairs_out, std::ios::binary | std::ios::trunc);
    if (!pairs_file) throw Error("aggregate: cannot write " + options.pairs_out);
    pairs_csv.emplace(pairs_file);
    std::vector<std::string> header = {"issue_a", "issue_b", "score"};
    for (const EvidenceField& f : evidence_fields()) header.push_back(f.name);
    header.push_back("known_cause_link");  // the decision, not evidence: linked as one known cause
    pairs_csv->row(header);
    grouping.on_pair = [&](size_t a, size_t b, const PairEvidence& e, double score, bool known) {
      std::vector<std::string> row = {reports[a].repository + "#" + std::to_string(reports[a].number),
                                      reports[b].repository + "#" + std::to_string(reports[b].number),
                                      format_fixed(score, 6)};
      for (const EvidenceField& f : evidence_fields()) row.push_back(format_fixed(e.*(f.value), 6));
      row.push_back(known ? "1" : "0");
      pairs_csv->row(row);
    };
  }
  Grouping g = group_reports(reports, knowledge, grouping);
  if (pairs_file.is_open()) {
    pairs_file.close();
    if (!pairs_file) throw Error("aggregate: writing " + options.pairs_out + " failed");
  }
  count_grouping(g, s);
  store_aggregation(store, taxonomy, knowledge, options, reports, g, s);
  return s;
}

void print_aggregate_summary(const AggregateSummary& s, const AggregateOptions& options, const LlmCounters* llm,
                             std::ostream& out) {
  out << "Aggregated " << s.reports << " reports into " << s.incidents << " incidents (" << s.reports_in_incidents
      << " reports; the largest has " << s.largest << ") as '" << options.name << "' (run " << s.run_id << ")\n"
      << s.candidate_pairs << " candidate pairs (not all " << (s.reports * (s.reports - 1) / 2) << "), "
      << s.linked_pairs << " linked";
  if (s.known_cause_links) out << " (" << s.known_cause_links << " as one known cause)";
  if (!s.label_source.empty()) out << "; root causes from '" << s.label_source << "'";
  out << "\n";
  if (options.grouping.route != PairRoute::kRules) {
    double uncertain = s.candidate_pairs ? double(s.uncertain_pairs) / double(s.candidate_pairs) : 0;
    out << s.uncertain_pairs << " uncertain pairs (" << format_percent(uncertain) << "), " << s.routed
        << " sent to the LLM, " << s.answered << " decided by it"
        << (s.routed == 0 ? " (no LLM endpoint: the score decided)" : "") << "\n";
    if (llm) {
      out << "LLM: " << llm->calls << " calls, " << llm->cache_hits << " from the cache, " << llm->refused
          << " over budget, " << llm->prompt_tokens << " prompt + " << llm->completion_tokens << " completion tokens\n";
    }
  }
  if (!options.embed_url.empty()) {
    out << "Embeddings (" << options.embed_model << "): " << s.embedded << " texts, " << s.embedding_cache_hits
        << " from the cache, " << s.embedding_requests << " requests";
    if (s.embedding_weight == 0) out << "; their evidence weighs 0 in similarity.json until fitted";
    out << "\n";
  }
  out << "List them: firstmile incidents --name " << options.name << "\n";
}

}  // namespace firstmile
