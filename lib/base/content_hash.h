// base/content_hash.h — content hashes recorded for provenance, and keys of recorded requests.
//
//   std::string h = git_blob_hash(read_file("taxonomy/taxonomy.json"));
//   std::string k = sha256_hex(messages.dump());   // 64 hex digits
//
// The blob hash is git's SHA-1, so it equals `git hash-object FILE` and a user can tell which
// committed version of a taxonomy or rule file produced a label. sha256_hex is the plain
// SHA-256 of the bytes, as `sha256sum` prints it.
#pragma once

#include <string>
#include <string_view>

namespace firstmile {

std::string git_blob_hash(std::string_view content);
std::string sha256_hex(std::string_view content);

}  // namespace firstmile
