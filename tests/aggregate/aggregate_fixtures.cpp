// aggregate_fixtures.cpp — the shipped files loaded once; storm reports read as the aggregation does.
#include "aggregate_fixtures.h"

#include "aggregate/aggregate_eval.h"
#include "aggregate/similarity_knowledge.h"
#include "base/clock.h"
#include "classify/classifier.h"
#include "classify/rules.h"
#include "support/files.h"
#include "support/taxonomies.h"
#include "taxonomy/taxonomy.h"

namespace firstmile::testing {

const SimilarityKnowledge& shipped_similarity() {
  static const SimilarityKnowledge k = SimilarityKnowledge::load(source_file("taxonomy/similarity.json"));
  return k;
}

const RuleClassifier& shipped_rules() {
  static const RuleSet rules = RuleSet::load(shipped_taxonomy(), source_file("taxonomy/rules"));
  static const RuleClassifier classifier(shipped_taxonomy(), rules);
  return classifier;
}

AggregateReport report_of(const StormReport& s, const std::string& body, const std::string* comments) {
  AggregateReport r;
  r.repository = s.owner + "/" + s.name;
  r.number = s.number;
  r.title = s.title;
  r.created_at = s.created_at;
  r.created = parse_iso8601_utc(s.created_at).value();
  read_report_features(r, body, comments, shipped_similarity(), /*llm_view=*/false);
  return r;
}

std::vector<AggregateReport> reports_of(const StormCorpus& corpus) {
  std::vector<AggregateReport> out;
  for (const StormReport& s : corpus.reports) out.push_back(report_of(s, s.body, nullptr));
  return out;
}

PairwiseScores score_against_truth(const StormCorpus& corpus, const Grouping& g) {
  std::vector<int64_t> gold, predicted(corpus.reports.size(), 0);
  for (const StormReport& s : corpus.reports) gold.push_back(s.incident);
  for (size_t k = 0; k < g.groups.size(); ++k) {
    for (size_t r : g.groups[k]) predicted[r] = static_cast<int64_t>(k + 1);
  }
  return pairwise_scores(gold, predicted);
}

}  // namespace firstmile::testing
