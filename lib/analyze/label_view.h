// analyze/label_view.h — reads stored labels through the taxonomy an analysis uses.
//
//   LabelView view(store, Taxonomy::load("taxonomy/folded.json"), {});
//   const TaxonomyNode* n = view.resolve("open-llm-failures", "sym.hang.generation");
//   // -> the folded taxonomy's node, through the crosswalk open-llm-failures--open-llm-failures-folded
//
// Labels carry the id of the taxonomy they were made under. When it is the analysis'
// taxonomy, node ids are looked up directly; otherwise the labels' taxonomy is read back from
// the database (its saved copy) and mapped through a crosswalk: the one given, or
// crosswalks/<from>--<to>.json beside the analysis' taxonomy file or in taxonomy/crosswalks.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "taxonomy/crosswalk.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

class Store;

class LabelView {
 public:
  // `crosswalk`: the file to map other taxonomies' labels through; empty to find one by name.
  LabelView(Store& store, const Taxonomy& view, const std::filesystem::path& crosswalk);

  const Taxonomy& taxonomy() const { return view_; }
  // Null when `node_id` is empty; throws Error when it cannot be placed in the view.
  const TaxonomyNode* resolve(const std::string& taxonomy_id, const std::string& node_id);
  // resolve() as a function, for code that takes a node resolver (evaluation, agreement).
  std::function<const TaxonomyNode*(const std::string&, const std::string&)> resolver() {
    return [this](const std::string& t, const std::string& n) { return resolve(t, n); };
  }

 private:
  struct Mapping {
    std::unique_ptr<Taxonomy> from;
    std::unique_ptr<Crosswalk> crosswalk;
  };
  const Mapping& mapping_for(const std::string& taxonomy_id);

  Store& store_;
  const Taxonomy& view_;
  std::optional<std::filesystem::path> crosswalk_path_;
  std::map<std::string, Mapping> mappings_;
};

}  // namespace firstmile
