// labels/annotator_agreement.h — how far two or more annotation sources agree.
//
//   AnnotatorAgreement a = annotator_agreement(store, taxonomy, direct_resolver(taxonomy),
//                                              {"manual:ana", "manual:ben", "manual:cem"});
//   for (const LevelAgreement& l : a.levels) l.fleiss.kappa, l.alpha.alpha;
//
// Failures are compared by (issue, failure_index), as in evaluation.h. Cohen's kappa (two
// sources) and Fleiss' kappa (three or more) are computed over the failures every source
// labelled at the level; Krippendorff's alpha (nominal) over every failure at least two
// sources labelled at the level, the others counting as missing. Raw agreement is the
// observed agreement of the kappa: identical labels for two sources, the mean pairwise
// agreement for more.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "labels/source_labels.h"
#include "stats/agreement.h"

namespace firstmile {

class Store;

struct LevelAgreement {
  std::string dimension;
  int level = 1;
  int64_t items = 0;        // failures every source labelled at this level
  int64_t alpha_items = 0;  // failures at least two sources labelled at this level
  stats::Kappa cohen;       // two sources
  stats::Kappa fleiss;      // three or more
  stats::Alpha alpha;
  double raw_agreement() const { return cohen.n > 0 ? cohen.observed : fleiss.observed; }
};

struct AnnotatorAgreement {
  std::vector<std::string> sources;
  std::string taxonomy;
  int64_t issues_all = 0;              // issues every source labelled
  int64_t issues_two_or_more = 0;      // issues at least two sources labelled
  std::vector<LevelAgreement> levels;  // label_dimensions order, level 1 first
};

// `selectors` name two or more distinct sources (see resolve_source).
AnnotatorAgreement annotator_agreement(Store& store, const Taxonomy& taxonomy, const NodeResolver& resolve,
                                       const std::vector<std::string>& selectors);

// Only the rows of `dimension` (all when empty) and `level` (all when 0).
void print_agreement(const AnnotatorAgreement& a, const std::string& dimension, int level, std::ostream& out);
nlohmann::json agreement_to_json(const AnnotatorAgreement& a, const std::string& dimension, int level);

}  // namespace firstmile
