// labels/source_labels.h — the labels one annotation source gave, read for comparison.
//
//   std::string gold = resolve_source(store, "gold");   // "gold:open-llm-failures"
//   SourceLabels labels = load_source_labels(store, gold, direct_resolver(taxonomy));
//   for (const auto& [key, f] : labels)
//     std::string c = class_at_level(f, "symptom", 2, taxonomy);   // "sym.crash.cuda", or ""
//
// Evaluation and annotator agreement compare sources failure by failure: a failure is keyed by
// (issue, failure_index), so the second failure of an issue is only ever compared with the
// second failure another source gave it. Node ids are placed in the taxonomy of the
// comparison by a NodeResolver; labels made under another taxonomy need one that goes through
// a crosswalk (the analysis' LabelView::resolve does).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "taxonomy/taxonomy.h"

namespace firstmile {

class Store;

// The node of the comparison's taxonomy for a stored (taxonomy id, node id); null for an
// empty id. Throws Error when the node cannot be placed.
using NodeResolver = std::function<const TaxonomyNode*(const std::string& taxonomy_id, const std::string& node_id)>;

// Looks node ids up in `taxonomy` itself; labels made under another taxonomy are an error.
NodeResolver direct_resolver(const Taxonomy& taxonomy);

struct LabelledFailure {
  int64_t issue_id = 0;
  int failure_index = 1;
  std::string repository;  // "owner/name"
  int64_t number = 0;
  std::string url;
  std::optional<int> is_failure;
  const TaxonomyNode* stage = nullptr;
  const TaxonomyNode* symptom = nullptr;
  const TaxonomyNode* root_cause = nullptr;
  std::optional<double> confidence;
  bool needs_review = false;
  std::string evidence;  // JSON
};

using FailureKey = std::pair<int64_t, int>;  // (issue id, failure index)
using SourceLabels = std::map<FailureKey, LabelledFailure>;

// The one source `selector` means (see source_matches): throws Error when it matches none or
// several, listing what there is.
std::string resolve_source(Store& store, const std::string& selector);

SourceLabels load_source_labels(Store& store, const std::string& source, const NodeResolver& resolve);

// The dimensions labels are compared on, in report order: "relevance" (is_failure), "stage",
// "symptom", "root_cause".
const std::vector<std::string>& label_dimensions();
// Throws Error for a name not in label_dimensions().
void check_label_dimension(const std::string& dimension);
// Levels a dimension has in `taxonomy` (relevance: 1; a dimension it lacks: 0).
int dimension_levels(const Taxonomy& taxonomy, const std::string& dimension);

// The class `failure` falls in: for relevance "yes" or "no"; otherwise the id of its node cut
// to its ancestor at `level`. Empty when there is no label, or the label stops above `level`.
std::string class_at_level(const LabelledFailure& failure, const std::string& dimension, int level,
                           const Taxonomy& taxonomy);
// What a class is called in reports: the node's path ("Crash / CUDA Error"), "failure" or
// "not a failure".
std::string class_name(const Taxonomy& taxonomy, const std::string& dimension, const std::string& class_id);
// Classes in a stable order: relevance yes before no, nodes in taxonomy file order.
void sort_classes(const Taxonomy& taxonomy, const std::string& dimension, std::vector<std::string>& classes);

}  // namespace firstmile
