// analyze/label_view.cpp — resolving node ids across taxonomies.
#include "analyze/label_view.h"

#include "base/error.h"
#include "base/resources.h"
#include "store/store.h"

namespace firstmile {

namespace fs = std::filesystem;

LabelView::LabelView(Store& store, const Taxonomy& view, const fs::path& crosswalk) : store_(store), view_(view) {
  if (!crosswalk.empty()) crosswalk_path_ = crosswalk;
}

const LabelView::Mapping& LabelView::mapping_for(const std::string& taxonomy_id) {
  auto it = mappings_.find(taxonomy_id);
  if (it != mappings_.end()) return it->second;

  std::optional<Taxonomy> from = store_.load_taxonomy(taxonomy_id);
  if (!from) {
    throw Error("labels were made under taxonomy '" + taxonomy_id + "', which the database does not hold");
  }
  fs::path path;
  if (crosswalk_path_) {
    path = *crosswalk_path_;
  } else {
    std::string name = Crosswalk::file_name(taxonomy_id, view_.id());
    fs::path beside = fs::path(view_.origin()).parent_path() / "crosswalks" / name;
    std::error_code ec;
    if (fs::exists(beside, ec)) {
      path = beside;
    } else {
      try {
        path = resource_path("taxonomy/crosswalks/" + name);
      } catch (const Error&) {
        throw Error("labels were made under taxonomy '" + taxonomy_id + "' but the analysis uses '" + view_.id() +
                    "', and there is no crosswalk " + name + " (give one with --crosswalk FILE)");
      }
    }
  }
  Mapping m;
  m.from = std::make_unique<Taxonomy>(std::move(*from));
  m.crosswalk = std::make_unique<Crosswalk>(Crosswalk::load(path, *m.from, view_));
  return mappings_.emplace(taxonomy_id, std::move(m)).first->second;
}

const TaxonomyNode* LabelView::resolve(const std::string& taxonomy_id, const std::string& node_id) {
  if (node_id.empty()) return nullptr;
  if (taxonomy_id == view_.id()) {
    const TaxonomyNode* n = view_.find(node_id);
    if (!n) {
      throw Error("label '" + node_id + "' is not a node of " + view_.origin() +
                  " (run `firstmile check`; was the taxonomy edited?)");
    }
    return n;
  }
  const Mapping& m = mapping_for(taxonomy_id);
  return &m.crosswalk->map(m.from->node(node_id));
}

}  // namespace firstmile
