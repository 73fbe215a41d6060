// labels/source_labels.cpp — reading one source's annotations and cutting labels to a level.
#include "labels/source_labels.h"

#include <algorithm>
#include <set>

#include "base/error.h"
#include "store/label_rows.h"
#include "store/store.h"

namespace firstmile {

NodeResolver direct_resolver(const Taxonomy& taxonomy) {
  return [&taxonomy](const std::string& taxonomy_id, const std::string& node_id) -> const TaxonomyNode* {
    if (node_id.empty()) return nullptr;
    if (taxonomy_id != taxonomy.id()) {
      throw Error("labels made under taxonomy '" + taxonomy_id + "' cannot be read under '" + taxonomy.id() +
                  "' without a crosswalk");
    }
    const TaxonomyNode* node = taxonomy.find(node_id);
    if (!node) throw Error("node '" + node_id + "' is not in taxonomy '" + taxonomy.id() + "'");
    return node;
  };
}

std::string resolve_source(Store& store, const std::string& selector) {
  std::vector<std::string> matches, all;
  for (const SourceCount& s : store.sources()) {
    all.push_back(s.source);
    if (!selector.empty() && source_matches(selector, s.source)) matches.push_back(s.source);
  }
  auto list = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? std::string("none") : out;
  };
  if (matches.size() == 1) return matches[0];
  if (matches.empty()) throw Error("no annotation source matches '" + selector + "' (sources: " + list(all) + ")");
  throw Error("'" + selector + "' matches several sources (" + list(matches) + "): name one");
}

SourceLabels load_source_labels(Store& store, const std::string& source, const NodeResolver& resolve) {
  SourceLabels out;
  try {
    for_each_label_of_source(store, source, [&](const LabelRow& row) {
      LabelledFailure f{.issue_id = row.issue_id,
                        .failure_index = row.failure_index,
                        .repository = row.repository,
                        .number = row.number,
                        .url = row.url,
                        .is_failure = row.is_failure,
                        .stage = resolve(row.taxonomy, row.stage),
                        .symptom = resolve(row.taxonomy, row.symptom),
                        .root_cause = resolve(row.taxonomy, row.root_cause),
                        .confidence = row.confidence,
                        .needs_review = row.needs_review,
                        .evidence = row.evidence};
      out.emplace(FailureKey{f.issue_id, f.failure_index}, std::move(f));
    });
  } catch (const Error& e) {
    throw Error("source '" + source + "': " + e.what());
  }
  return out;
}

const std::vector<std::string>& label_dimensions() {
  static const std::vector<std::string> dimensions{"relevance", "stage", "symptom", "root_cause"};
  return dimensions;
}

void check_label_dimension(const std::string& dimension) {
  const auto& all = label_dimensions();
  if (std::find(all.begin(), all.end(), dimension) == all.end()) {
    throw Error("unknown dimension '" + dimension + "' (relevance, stage, symptom or root_cause)");
  }
}

int dimension_levels(const Taxonomy& taxonomy, const std::string& dimension) {
  if (dimension == "relevance") return 1;
  return taxonomy.has_dimension(dimension) ? taxonomy.dimension(dimension).levels : 0;
}

std::string class_at_level(const LabelledFailure& failure, const std::string& dimension, int level,
                           const Taxonomy& taxonomy) {
  if (dimension == "relevance") {
    if (!failure.is_failure || level != 1) return "";
    return *failure.is_failure ? "yes" : "no";
  }
  const TaxonomyNode* node = dimension == "stage"     ? failure.stage
                             : dimension == "symptom" ? failure.symptom
                                                      : failure.root_cause;
  if (!node || node->level < level) return "";
  return taxonomy.ancestor_at_level(*node, level).id;
}

std::string class_name(const Taxonomy& taxonomy, const std::string& dimension, const std::string& class_id) {
  if (dimension == "relevance") return class_id == "yes" ? "failure" : "not a failure";
  const TaxonomyNode* node = taxonomy.find(class_id);
  return node ? taxonomy.path_name(*node) : class_id;
}

void sort_classes(const Taxonomy& taxonomy, const std::string& dimension, std::vector<std::string>& classes) {
  auto rank = [&](const std::string& id) -> size_t {
    if (dimension == "relevance") return id == "yes" ? 0 : 1;
    const TaxonomyNode* node = taxonomy.find(id);
    return node ? static_cast<size_t>(node - taxonomy.nodes().data()) : taxonomy.nodes().size();
  };
  std::sort(classes.begin(), classes.end(), [&](const std::string& a, const std::string& b) {
    return std::make_pair(rank(a), a) < std::make_pair(rank(b), b);
  });
}

}  // namespace firstmile
