// base/content_hash.h — content hashes recorded for provenance, and keys of recorded requests.
//
//   std::string h = git_blob_hash(read_file("taxonomy/taxonomy.json"));
//   std::string k = sha256_hex(messages.dump());   // 64 hex digits
//   std::string p = hmac_sha256_hex(salt, login);  // 64 hex digits, keyed
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
// HMAC-SHA-256 of `content` under `key`, in hex (as `openssl dgst -sha256 -hmac KEY` prints it):
// a keyed hash, for pseudonyms that only the key's holder can recompute.
std::string hmac_sha256_hex(std::string_view key, std::string_view content);

}  // namespace firstmile
