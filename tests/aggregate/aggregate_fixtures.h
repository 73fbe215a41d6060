// aggregate_fixtures.h — what several aggregate tests share: the shipped knowledge files, and
// a storm corpus's reports as the aggregation sees them (no store involved).
#pragma once

#include <string>
#include <vector>

#include "aggregate/grouping.h"
#include "aggregate/storms.h"
#include "support/taxonomies.h"

namespace firstmile {
class RuleClassifier;
class SimilarityKnowledge;
class Taxonomy;
struct PairwiseScores;
}  // namespace firstmile

namespace firstmile::testing {

const SimilarityKnowledge& shipped_similarity();  // taxonomy/similarity.json
const RuleClassifier& shipped_rules();            // taxonomy/rules over the shipped taxonomy

// One report's title, date, signature, libraries and models, read as aggregate_reports does
// from `body` and its `comments` (the thread as one text, or null).
AggregateReport report_of(const StormReport& report, const std::string& body, const std::string* comments);
// Every report of the corpus, read from its body alone.
std::vector<AggregateReport> reports_of(const StormCorpus& corpus);

// The grouping's incidents scored against the corpus's truth.
PairwiseScores score_against_truth(const StormCorpus& corpus, const Grouping& grouping);

}  // namespace firstmile::testing
