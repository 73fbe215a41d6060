// base/content_hash.h — content hashes recorded for provenance.
//
//   std::string h = git_blob_hash(read_file("taxonomy/taxonomy.json"));
//
// The hash is git's blob SHA-1, so it equals `git hash-object FILE` and a user can tell which
// committed version of a taxonomy or rule file produced a label.
#pragma once

#include <string>
#include <string_view>

namespace firstmile {

std::string git_blob_hash(std::string_view content);

}  // namespace firstmile
