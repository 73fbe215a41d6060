// base/resources.h — where firstmile finds its data files (taxonomy/, data/).
//
//   std::filesystem::path t = resource_path("taxonomy/taxonomy.json");
//
// Looked up in order: $FIRSTMILE_HOME; <executable>/../share/firstmile (an installed tool);
// the source tree the binary was built from. The first folder holding the file wins.
#pragma once

#include <filesystem>
#include <string>

namespace firstmile {

std::filesystem::path resource_path(const std::string& relative);

}  // namespace firstmile
