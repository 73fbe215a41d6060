// store/embedding_cache.h — embeddings kept by (model, text hash), so no text is embedded twice.
//
//   std::vector<std::optional<std::vector<float>>> got = find_cached_embeddings(store, "m", hashes);
//   save_cached_embeddings(store, {{.model = "m", .text_hash = sha256_hex(text), .vector = v}});
//
// The key is (model, SHA-256 of the text); the text itself is not stored. A vector is kept as
// float32 values, little-endian, in a BLOB (4 bytes a dimension). A later vector for the same
// key replaces the earlier one. The table is in docs/schema.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

class Store;

struct CachedEmbedding {
  std::string model = {};
  std::string text_hash = {};
  std::vector<float> vector = {};
};

// One entry per hash, in order: the vector, or nullopt when the cache has none (or holds a row
// whose BLOB does not match its dimension, which is then treated as absent).
std::vector<std::optional<std::vector<float>>> find_cached_embeddings(Store& store, const std::string& model,
                                                                      const std::vector<std::string>& text_hashes);
// All stamped with one time; the caller groups them in a transaction.
void save_cached_embeddings(Store& store, const std::vector<CachedEmbedding>& embeddings);

// The BLOB form: float32 little-endian, whatever the machine's byte order.
std::string float32_blob(const std::vector<float>& vector);
// nullopt when `bytes` is not a whole number of float32 values.
std::optional<std::vector<float>> floats_of_blob(std::string_view bytes);

}  // namespace firstmile
