// labels/source_labels.cpp — reading one source's annotations and cutting labels to a level.
#include "labels/source_labels.h"

#include <algorithm>
#include <set>

#include "base/error.h"
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
  Query s = store.db().query(
      "SELECT a.issue_id, a.failure_index, r.owner || '/' || r.name, i.number, i.url, a.is_failure, a.taxonomy, "
      "coalesce(a.stage, ''), coalesce(a.symptom, ''), coalesce(a.root_cause, ''), a.confidence, a.needs_review, "
      "coalesce(a.evidence, '{}') "
      "FROM annotations a JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id "
      "WHERE a.source = ?");
  s.bind(1, source);
  SourceLabels out;
  try {
    while (s.step()) {
      LabelledFailure f;
      f.issue_id = s.column_int(0);
      f.failure_index = static_cast<int>(s.column_int(1));
      f.repository = s.column_text(2);
      f.number = s.column_int(3);
      f.url = s.column_text(4);
      if (!s.column_is_null(5)) f.is_failure = static_cast<int>(s.column_int(5));
      std::string taxonomy = s.column_text(6);
      f.stage = resolve(taxonomy, s.column_text(7));
      f.symptom = resolve(taxonomy, s.column_text(8));
      f.root_cause = resolve(taxonomy, s.column_text(9));
      if (!s.column_is_null(10)) f.confidence = s.column_double(10);
      f.needs_review = s.column_int(11) != 0;
      f.evidence = s.column_text(12);
      out.emplace(FailureKey{f.issue_id, f.failure_index}, std::move(f));
    }
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
