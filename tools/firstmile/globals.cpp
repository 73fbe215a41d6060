// globals.cpp — shared option handling.
#include "globals.h"

#include "base/resources.h"

namespace firstmile {

Taxonomy Globals::load_taxonomy() const {
  return Taxonomy::load(taxonomy.empty() ? resource_path("taxonomy/taxonomy.json") : std::filesystem::path(taxonomy));
}

}  // namespace firstmile
