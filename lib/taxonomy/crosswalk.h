// taxonomy/crosswalk.h — maps the nodes of one taxonomy onto another.
//
//   Taxonomy study = Taxonomy::load("taxonomy/taxonomy.json");
//   Taxonomy folded = Taxonomy::load("taxonomy/folded.json");
//   Crosswalk cw = Crosswalk::load("taxonomy/crosswalks/open-llm-failures--open-llm-failures-folded.json",
//                                  study, folded);
//   const TaxonomyNode& n = cw.map(study.node("sym.hang"));   // a node of `folded`
//
// Labels made under one taxonomy are analysed under another this way. A node without an
// entry takes the target of its nearest mapped ancestor; loading checks that every node of
// the source resolves to a node of the target in the same dimension.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "taxonomy/taxonomy.h"

namespace firstmile {

class Crosswalk {
 public:
  static Crosswalk load(const std::filesystem::path& path, const Taxonomy& from, const Taxonomy& to);
  static Crosswalk parse(std::string_view content, const std::string& origin, const Taxonomy& from, const Taxonomy& to);

  // The conventional file name of the crosswalk between two taxonomy ids, under taxonomy/crosswalks.
  static std::string file_name(const std::string& from_id, const std::string& to_id);

  const TaxonomyNode& map(const TaxonomyNode& node) const;  // node of `from` -> node of `to`
  const std::string& hash() const { return hash_; }

 private:
  const Taxonomy* from_ = nullptr;
  const Taxonomy* to_ = nullptr;
  std::map<std::string, const TaxonomyNode*> resolved_;  // every node of `from`
  std::string hash_;
};

}  // namespace firstmile
