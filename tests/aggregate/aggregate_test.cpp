// Tests of aggregate/aggregate.h: aggregate_reports on a store (reports read chunk by chunk with
// their comments, incidents and provenance written) and the summary it prints.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "aggregate/aggregate.h"
#include "aggregate/similarity_knowledge.h"
#include "aggregate_fixtures.h"
#include "base/csv.h"
#include "base/error.h"
#include "fake_llm/fake_embeddings.h"
#include "llm/llm_client.h"
#include "support/files.h"
#include "store/aggregation_input.h"
#include "store/incident_tables.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

// Every third report keeps only a line of its body; the rest of its body is its one comment,
// so its error signature and what follows from it come from the thread.
bool body_in_comment(size_t index) { return index % 3 == 0; }
const char* const kShortBody = "The log is in the comment below.";

// The corpus in an in-memory store, in creation order.
Store storm_store(const StormCorpus& corpus) {
  Store store = Store::open_memory();
  int64_t comment_id = 0;
  for (size_t i = 0; i < corpus.reports.size(); ++i) {
    const StormReport& s = corpus.reports[i];
    IssueData d;
    d.repository_id = store.upsert_repository({s.owner, s.name, "", "", ""});
    d.number = s.number;
    d.title = s.title;
    d.body = body_in_comment(i) ? kShortBody : s.body;
    d.created_at = s.created_at;
    d.url = s.url();
    int64_t issue = store.upsert_issue(d).first;
    if (!body_in_comment(i)) continue;
    CommentData c;
    c.github_id = ++comment_id;
    c.body = s.body;
    c.created_at = s.created_at;
    store.upsert_comment(issue, c);
  }
  return store;
}

// The incidents grouping finds when each report is read with its comment, as "OWNER/NAME#N"
// sets, for comparison with what aggregate_reports stored.
std::set<std::set<std::string>> expected_incidents(const StormCorpus& corpus) {
  std::vector<AggregateReport> reports;
  for (size_t i = 0; i < corpus.reports.size(); ++i) {
    const StormReport& s = corpus.reports[i];
    std::string thread = s.body + "\n";
    reports.push_back(body_in_comment(i) ? report_of(s, kShortBody, &thread) : report_of(s, s.body, nullptr));
  }
  std::set<std::set<std::string>> out;
  for (const auto& group : group_reports(reports, shipped_similarity(), {}).groups) {
    std::set<std::string> members;
    for (size_t r : group) members.insert(reports[r].repository + "#" + std::to_string(reports[r].number));
    out.insert(members);
  }
  return out;
}

std::set<std::set<std::string>> stored_incidents(Store& store, const std::string& name) {
  IncidentQuery q;
  q.members = true;
  std::set<std::set<std::string>> out;
  for (const IncidentRow& row : load_incidents(store, name, q)) {
    std::set<std::string> members;
    for (const IncidentMember& m : row.members) members.insert(m.repository + "#" + std::to_string(m.number));
    out.insert(members);
  }
  return out;
}

AggregateSummary aggregate(Store& store, const AggregateOptions& o) {
  return aggregate_reports(store, shipped_taxonomy(), shipped_similarity(), o);
}

AggregateSummary summary(int64_t run_id, int64_t reports, int64_t candidate_pairs) {
  AggregateSummary s;
  s.run_id = run_id;
  s.reports = reports;
  s.candidate_pairs = candidate_pairs;
  return s;
}

std::string run_summary(Store& store, int64_t run_id) {
  Query q = store.db().query("SELECT summary FROM runs WHERE id = ?");
  q.bind(1, run_id);
  REQUIRE(q.step());
  return q.column_text(0);
}

}  // namespace

TEST_CASE("reading the reports in chunks gives the incidents of reading them at once, comments included") {
  StormCorpus corpus = generate_storms({.seed = 41, .reports = 300});
  Store store = storm_store(corpus);
  AggregateOptions whole;
  whole.name = "whole";
  AggregateOptions chunks;
  chunks.name = "chunks";
  chunks.chunk_reports = 7;  // 43 chunks, the last of six reports
  AggregateSummary a = aggregate(store, whole);
  AggregateSummary b = aggregate(store, chunks);
  CHECK(a.reports == 300);
  CHECK(b.reports == 300);
  CHECK(b.candidate_pairs == a.candidate_pairs);
  CHECK(b.linked_pairs == a.linked_pairs);
  std::set<std::set<std::string>> expected = expected_incidents(corpus);
  REQUIRE(static_cast<int64_t>(expected.size()) == a.incidents);
  CHECK(stored_incidents(store, "whole") == expected);
  CHECK(stored_incidents(store, "chunks") == expected);
}

TEST_CASE("the run's summary records the similarity file's hash and the judge's, the aggregation's does not") {
  Store store = storm_store(generate_storms({.seed = 3, .reports = 60}));
  AggregateOptions o;
  o.provenance = {{"pair_prompt_hash", "p123"}, {"pair_knowledge_hash", "k456"}};
  AggregateSummary s = aggregate(store, o);
  nlohmann::json run = nlohmann::json::parse(run_summary(store, s.run_id));
  CHECK(run["similarity_hash"] == shipped_similarity().hash());
  CHECK(run["pair_prompt_hash"] == "p123");
  CHECK(run["pair_knowledge_hash"] == "k456");
  CHECK(run["reports"] == 60);
  nlohmann::json stored = nlohmann::json::parse(load_aggregation(store, "default").summary);
  CHECK_FALSE(stored.contains("similarity_hash"));
  CHECK(stored == nlohmann::json{{"reports", 60},
                                 {"candidate_pairs", s.candidate_pairs},
                                 {"uncertain_pairs", s.uncertain_pairs},
                                 {"routed", 0},
                                 {"answered", 0},
                                 {"linked_pairs", s.linked_pairs},
                                 {"known_cause_links", 0},
                                 {"incidents", s.incidents},
                                 {"reports_in_incidents", s.reports_in_incidents},
                                 {"llm_model", ""}});
}

TEST_CASE("the aggregation row holds the run's settings, running a name again replaces it") {
  Store store = storm_store(generate_storms({.seed = 3, .reports = 60}));
  AggregateOptions o;
  o.grouping.route = PairRoute::kHybrid;
  o.grouping.window_days = 7;
  o.grouping.threshold = 0.25;
  AggregateSummary first = aggregate(store, o);
  AggregateSummary second = aggregate(store, o);
  AggregationInfo a = load_aggregation(store, "default");
  CHECK(a.route == "hybrid");
  CHECK(a.window_days == 7);
  CHECK(a.threshold == 0.25);
  CHECK(a.run_id == second.run_id);
  CHECK(a.source == "");  // no rules labels in the store
  CHECK(a.incidents == second.incidents);
  CHECK(a.incidents == first.incidents);
  CHECK(store.aggregation_names() == std::vector<std::string>{"default"});
}

TEST_CASE("the rules' labels are used when there are any, unless the source is none") {
  Store store = storm_store(generate_storms({.seed = 3, .reports = 60}));
  Annotation a;
  a.issue_id = 1;
  a.source = "rules";
  a.taxonomy = "open-llm-failures";
  a.root_cause = "rc.env.dependency";
  store.upsert_annotation(a);
  CHECK(aggregate(store, {}).label_source == "rules");
  AggregateOptions none;
  none.source = "none";
  CHECK(aggregate(store, none).label_source == "");
  AggregateOptions named;
  named.source = "gold:x";
  CHECK(aggregate(store, named).label_source == "gold:x");
}

TEST_CASE("with source rules and none stored, the rules label the reports as they are read, unstored") {
  const StormCorpus corpus = generate_storms({.seed = 3, .reports = 60});
  Store store = storm_store(corpus);
  AggregateOptions o;
  o.rules = &shipped_rules();
  o.rules_hash = "r789";
  CHECK(aggregate(store, o).label_source == "");  // not unless asked for
  o.source = "rules";
  AggregateSummary s = aggregate(store, o);
  CHECK(s.label_source == "rules (read now)");
  CHECK(load_aggregation(store, "default").source == "rules (read now)");
  CHECK(nlohmann::json::parse(run_summary(store, s.run_id))["rules_hash"] == "r789");
  CHECK_FALSE(has_annotations(store, "rules"));  // read, not stored
  size_t labelled = 0;
  for (const IncidentRow& i : load_incidents(store, "default")) labelled += !i.root_cause.empty();
  CHECK(labelled > 0);

  AggregateOptions none = o;
  none.source = "none";
  AggregateSummary n = aggregate(store, none);
  CHECK(n.label_source == "");
  CHECK_FALSE(nlohmann::json::parse(run_summary(store, n.run_id)).contains("rules_hash"));
  for (const IncidentRow& i : load_incidents(store, "default")) CHECK(i.root_cause.empty());

  Annotation stored;  // once classify has stored labels, those count
  stored.issue_id = 1;
  stored.source = "rules";
  stored.taxonomy = "open-llm-failures";
  stored.root_cause = "rc.env.dependency";
  store.upsert_annotation(stored);
  CHECK(aggregate(store, o).label_source == "rules");
  o.source = "";
  CHECK(aggregate(store, o).label_source == "rules");
}

TEST_CASE("a window of no days, the llm route without an asker and empty chunks are refused") {
  Store store = Store::open_memory();
  AggregateOptions window;
  window.grouping.window_days = 0;
  CHECK_THROWS_WITH_AS(aggregate(store, window), "aggregate: --window must be more than 0 days", Error);
  AggregateOptions llm;
  llm.grouping.route = PairRoute::kLlm;
  CHECK_THROWS_WITH_AS(aggregate(store, llm), "aggregate --route llm needs an LLM endpoint (--llm-url)", Error);
  AggregateOptions chunks;
  chunks.chunk_reports = 0;
  CHECK_THROWS_WITH_AS(aggregate(store, chunks), "aggregate: chunks must hold at least one report", Error);
}

TEST_CASE("the printed summary of a rules run names counts, labels and how to list the incidents") {
  AggregateSummary s = summary(4, 10, 12);
  s.label_source = "rules";
  s.linked_pairs = 3;
  s.incidents = 2;
  s.reports_in_incidents = 5;
  s.largest = 3;
  AggregateOptions o;
  std::ostringstream out;
  print_aggregate_summary(s, o, nullptr, out);
  CHECK(out.str() ==
        "Aggregated 10 reports into 2 incidents (5 reports; the largest has 3) as 'default' (run 4)\n"
        "12 candidate pairs (not all 45), 3 linked; root causes from 'rules'\n"
        "List them: firstmile incidents --name default\n");
}

TEST_CASE("the printed summary of a hybrid run adds the LLM's share and the client's counts") {
  AggregateSummary s = summary(9, 10, 45);
  s.uncertain_pairs = 12;
  s.routed = 12;
  s.answered = 8;
  AggregateOptions o;
  o.name = "h";
  o.grouping.route = PairRoute::kHybrid;
  LlmCounters llm;
  llm.calls = 10;
  llm.cache_hits = 2;
  llm.prompt_tokens = 1000;
  llm.completion_tokens = 50;
  std::ostringstream out;
  print_aggregate_summary(s, o, &llm, out);
  CHECK(out.str() ==
        "Aggregated 10 reports into 0 incidents (0 reports; the largest has 0) as 'h' (run 9)\n"
        "45 candidate pairs (not all 45), 0 linked\n"
        "12 uncertain pairs (26.7%), 12 sent to the LLM, 8 decided by it\n"
        "LLM: 10 calls, 2 from the cache, 0 over budget, 1000 prompt + 50 completion tokens\n"
        "List them: firstmile incidents --name h\n");
  s.routed = 0;
  std::ostringstream none;
  print_aggregate_summary(s, o, nullptr, none);
  CHECK(none.str().find("0 sent to the LLM, 8 decided by it (no LLM endpoint: the score decided)\n") !=
        std::string::npos);
}

namespace {

// The pairs file's rows as (column -> value), numbers parsed.
std::vector<std::map<std::string, double>> pair_rows(const std::filesystem::path& path) {
  std::vector<CsvRecord> records = read_csv_file(path);
  REQUIRE(records.size() > 1);
  std::vector<std::map<std::string, double>> rows;
  for (size_t k = 1; k < records.size(); ++k) {
    std::map<std::string, double> row;
    for (size_t c = 2; c < records[0].fields.size(); ++c) row[records[0].fields[c]] = std::stod(records[k].fields[c]);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_CASE("with --embed-url each report is embedded once, cached, and its cosine is evidence by its weight") {
  Store store = storm_store(generate_storms({.seed = 3, .reports = 60}));
  FakeEmbeddings server;
  TempDir dir;
  AggregateOptions o;
  o.embed_url = server.url();
  o.embed_model = "m";
  o.pairs_out = (dir / "pairs.csv").string();
  AggregateSummary first = aggregate(store, o);
  CHECK(first.embedded == 60);
  CHECK(first.embedding_requests == 1);  // 60 texts in one batch of 64
  CHECK(first.embedding_cache_hits == 0);
  CHECK(server.stats().texts > 0);
  std::vector<std::map<std::string, double>> rows = pair_rows(dir / "pairs.csv");
  size_t above = 0;
  for (const auto& row : rows) above += row.at("embedding_similarity") > 0;
  CHECK(above > 0);
  CHECK(above < rows.size());  // above the corpus's typical cosine only
  // The shipped weight is 0: the summary says so, and the scores are those of a run without.
  std::ostringstream out;
  print_aggregate_summary(first, o, nullptr, out);
  CHECK(out.str().find("Embeddings (m): 60 texts, 0 from the cache, 1 requests; their evidence weighs 0 in "
                       "similarity.json until fitted\n") != std::string::npos);
  AggregateOptions plain;
  plain.name = "plain";
  CHECK(aggregate(store, plain).linked_pairs == first.linked_pairs);
  nlohmann::json run = nlohmann::json::parse(run_summary(store, first.run_id));
  CHECK(run["embed_model"] == "m");
  CHECK(run["embedded"] == 60);

  // A second run asks nothing: every vector is in the store's cache.
  const size_t requests = server.stats().requests.size();
  AggregateSummary again = aggregate(store, o);
  CHECK(server.stats().requests.size() == requests);
  CHECK(again.embedding_requests == 0);
  CHECK(again.embedding_cache_hits > 0);

  // With a weight, the evidence moves the scores: log-odds up by weight x evidence.
  std::string text = file_bytes(source_file("taxonomy/similarity.json"));
  const std::string zero = "\"embedding_similarity\": 0";
  REQUIRE(text.find(zero) != std::string::npos);
  text.replace(text.find(zero), zero.size(), "\"embedding_similarity\": 6");
  SimilarityKnowledge weighted = SimilarityKnowledge::parse(text, "weighted.json");
  o.pairs_out = (dir / "weighted.csv").string();
  aggregate_reports(store, shipped_taxonomy(), weighted, o);
  std::vector<std::map<std::string, double>> moved = pair_rows(dir / "weighted.csv");
  REQUIRE(moved.size() == rows.size());
  auto logit = [](double p) { return std::log(p / (1 - p)); };
  int checked = 0;
  for (size_t k = 0; k < rows.size(); ++k) {
    const double p = rows[k].at("score"), q = moved[k].at("score");
    if (p < 1e-3 || p > 1 - 1e-3 || q > 1 - 1e-3) continue;  // rounded to 6 decimals in the file
    CHECK(logit(q) - logit(p) == doctest::Approx(6 * rows[k].at("embedding_similarity")).epsilon(0.01));
    ++checked;
  }
  CHECK(checked > 10);
}

TEST_CASE("an embeddings endpoint that fails leaves no aggregation behind") {
  Store store = storm_store(generate_storms({.seed = 3, .reports = 20}));
  FakeEmbeddings server;
  server.script({embedding_status(404)});
  AggregateOptions o;
  o.embed_url = server.url();
  o.embed_model = "m";
  CHECK_THROWS_AS(aggregate(store, o), Error);
  CHECK_THROWS_AS(load_aggregation(store, "default"), Error);
}
