// Aggregation: library versions, pair decisions, groups, pairwise scores, and held-out storms.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "aggregate/aggregate.h"
#include "aggregate/storms.h"
#include "base/clock.h"
#include "classify/features.h"

using namespace firstmile;

TEST_CASE("library versions are read as library and major.minor, whatever the spelling") {
  std::vector<std::string> v = library_versions("pip install transformers==4.45.0 and vLLM 0.5.3; flash_attn 2.5.8, PyTorch v2.1");
  CHECK(v == std::vector<std::string>{"transformers 4.45.0", "vllm 0.5.3", "flash-attn 2.5.8", "torch 2.1"});
  CHECK(library_versions("peft 0.6.2 does not accept layer_replication") == std::vector<std::string>{"peft 0.6.2"});
  CHECK(library_versions("no versions here").empty());
}

namespace {

// The reports of a generated corpus as the aggregation sees them (no store involved).
std::vector<AggregateReport> reports_of(const StormCorpus& corpus) {
  std::vector<AggregateReport> out;
  for (const StormReport& s : corpus.reports) {
    AggregateReport r;
    r.repository = s.owner + "/" + s.name;
    r.number = s.number;
    r.title = s.title;
    r.created_at = s.created_at;
    r.created = parse_iso8601_utc(s.created_at).value();
    IssueFeatures f = extract_features(s.title, s.body);
    r.signature = f.error_signature;
    r.libraries = library_versions(s.title + "\n" + s.body);
    r.models = model_mentions(s.title + "\n" + s.body.substr(0, 300));
    out.push_back(std::move(r));
  }
  return out;
}

PairwiseScores score(const StormCorpus& corpus, const Grouping& g) {
  std::vector<int64_t> gold, predicted(corpus.reports.size(), 0);
  for (const StormReport& s : corpus.reports) gold.push_back(s.incident);
  for (size_t k = 0; k < g.groups.size(); ++k) {
    for (size_t r : g.groups[k]) predicted[r] = static_cast<int64_t>(k + 1);
  }
  return pairwise_scores(gold, predicted);
}

}  // namespace

TEST_CASE("pairwise scores count pairs within groups, as COLA's metric does") {
  // Gold: {0,1,2} and {3,4}; 5 is noise. Predicted: {0,1}, {2,3,4}, 5 alone.
  PairwiseScores s = pairwise_scores({1, 1, 1, 2, 2, 0}, {1, 1, 2, 2, 2, 0});
  CHECK(s.gold_pairs == 4);       // 3 + 1
  CHECK(s.predicted_pairs == 4);  // 1 + 3
  CHECK(s.true_pairs == 2);       // (0,1) and (3,4)
  CHECK(s.precision == doctest::Approx(0.5));
  CHECK(s.recall == doctest::Approx(0.5));
  CHECK(s.f1 == doctest::Approx(0.5));
  CHECK(s.purity == doctest::Approx(4.0 / 5.0));  // {0,1}: 2 of 2; {2,3,4}: 2 of 3
  CHECK(pairwise_scores({1, 1}, {0, 0}).f1 == 0);
  CHECK_THROWS(pairwise_scores({1}, {1, 2}));
}

TEST_CASE("the storm generator is deterministic for a seed and different across seeds") {
  StormCorpus a = generate_storms({.seed = 5, .reports = 300});
  StormCorpus b = generate_storms({.seed = 5, .reports = 300});
  StormCorpus c = generate_storms({.seed = 6, .reports = 300});
  REQUIRE(a.reports.size() == 300);
  CHECK(a.reports.front().title == b.reports.front().title);
  CHECK(a.reports.back().body == b.reports.back().body);
  CHECK(a.incidents == b.incidents);
  bool differs = false;
  for (size_t i = 0; i < 300; ++i) differs = differs || a.reports[i].title != c.reports[i].title;
  CHECK(differs);
  int64_t noise = std::count_if(a.reports.begin(), a.reports.end(), [](const StormReport& r) { return r.incident == 0; });
  CHECK(noise >= 80);  // about 30%
  CHECK(std::any_of(a.reports.begin(), a.reports.end(), [](const StormReport& r) { return r.language == "zh"; }));
}

TEST_CASE("the same bursty error within the window links; another version of the library or a far date does not") {
  auto report = [](int64_t day, const std::string& title, const std::string& error, const std::string& lib) {
    AggregateReport r;
    r.title = title;
    r.created = 1704067200 + day * 86400;
    r.signature = normalize_error_line(error);
    r.libraries = library_versions(lib);
    r.repository = "acme/model";
    return r;
  };
  std::vector<AggregateReport> reports = {
      report(0, "KeyError qwen2 on load", "KeyError: 'qwen2'", "transformers 4.33.2"),
      report(2, "Cannot load Qwen2: KeyError", "KeyError: 'qwen2'", "transformers 4.33.2"),
      report(3, "qwen2 not recognised", "KeyError: 'qwen2'", "transformers 4.36.2"),   // another version
      report(200, "KeyError qwen2 on load", "KeyError: 'qwen2'", "transformers 4.33.2"),  // months later
  };
  Grouping g = group_reports(reports, {});
  REQUIRE(g.groups.size() == 1);
  CHECK(g.groups[0] == std::vector<size_t>{0, 1});
  for (const PairDecision& d : g.pairs) CHECK_FALSE((d.a == 3 || d.b == 3));  // never a candidate: outside the window
}

TEST_CASE("on held-out storms the rules and correlation alone reach pairwise F1 0.90, routing few pairs") {
  // Seed 2026 was never used while the weights were set (seeds 1 and 77 were).
  StormCorpus corpus = generate_storms({.seed = 2026, .reports = 2000});
  std::vector<AggregateReport> reports = reports_of(corpus);
  AggregateOptions o;
  o.route = PairRoute::kHybrid;  // no endpoint: counts the uncertain pairs, the score decides
  Grouping g = group_reports(reports, o);
  PairwiseScores s = score(corpus, g);
  MESSAGE("F1 " << s.f1 << " precision " << s.precision << " recall " << s.recall << ", uncertain "
                << g.uncertain << " of " << g.candidates);
  CHECK(s.f1 >= 0.90);
  CHECK(static_cast<double>(g.uncertain) <= 0.10 * static_cast<double>(g.candidates));
  CHECK(g.candidates < 2000 * 1999 / 2 / 10);  // blocking: far fewer than all pairs
}

TEST_CASE("uncertain pairs go to the LLM, whose valid answers decide and whose failures leave the score") {
  StormCorpus corpus = generate_storms({.seed = 11, .reports = 400});
  std::vector<AggregateReport> reports = reports_of(corpus);
  AggregateOptions o;
  o.route = PairRoute::kHybrid;
  o.threshold = 0.6;
  size_t asked = 0;
  o.ask = [&asked](const std::vector<PairQuestion>& questions) {
    std::vector<PairAnswer> answers;
    for (size_t k = 0; k < questions.size(); ++k) {
      PairAnswer a;
      a.ok = k % 3 != 2;  // every third answer is unusable
      a.same = a.ok && questions[k].a->signature == questions[k].b->signature && !questions[k].a->signature.empty();
      a.reason = a.ok ? "same error" : "invalid JSON";
      answers.push_back(a);
    }
    asked += questions.size();
    return answers;
  };
  Grouping g = group_reports(reports, o);
  CHECK(asked == static_cast<size_t>(g.routed));
  CHECK(g.routed == g.uncertain);
  CHECK(g.answered == static_cast<int64_t>(asked - asked / 3));
  for (const PairDecision& d : g.pairs) {
    if (d.by_llm) CHECK(d.linked == (reports[d.a].signature == reports[d.b].signature && !reports[d.a].signature.empty()));
  }
}

#include "aggregate/pair_judge.h"
#include "llm/llm_client.h"
#include "fake_llm.h"
#include "support.h"
#include "taxonomy/taxonomy.h"

TEST_CASE("hybrid aggregation asks the chat-completions server only about uncertain pairs and uses only valid verdicts") {
  using firstmile::testing::FakeLlm;
  using firstmile::testing::reply_json;
  using firstmile::testing::reply_text;
  Taxonomy taxonomy = Taxonomy::load(firstmile::testing::source_file("taxonomy/taxonomy.json"));
  Knowledge knowledge = Knowledge::load(firstmile::testing::source_file("taxonomy/knowledge"));
  PairJudge judge(taxonomy, knowledge);
  FakeLlm server;
  int answered = 0;
  server.set_responder([&answered](const nlohmann::json&) {
    // Every other answer is malformed: those pairs must fall back to the score.
    return ++answered % 2 ? reply_json({{"same_root_cause", true}, {"reason", "same error after the same upgrade"}})
                          : reply_text("I think so, yes.");
  });
  LlmClientOptions lo;
  lo.base_url = server.url();
  lo.model = "judge-7b";
  lo.max_retries = 0;
  LlmClient client(lo);
  StormCorpus corpus = generate_storms({.seed = 12, .reports = 300});
  std::vector<AggregateReport> reports = reports_of(corpus);
  AggregateOptions o;
  o.route = PairRoute::kHybrid;
  o.ask = llm_pair_asker(client, judge);
  Grouping g = group_reports(reports, o);
  REQUIRE(g.routed > 0);
  CHECK(g.routed == g.uncertain);
  CHECK(static_cast<int64_t>(server.stats().requests.size()) == g.routed);
  CHECK(g.answered == (g.routed + 1) / 2);
  int64_t by_llm = 0;
  for (const PairDecision& d : g.pairs) {
    if (!d.by_llm) continue;
    ++by_llm;
    CHECK(d.linked);
    CHECK(d.reason == "same error after the same upgrade");
  }
  CHECK(by_llm == g.answered);
}
