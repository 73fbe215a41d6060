// store/embedding_cache.cpp — look-ups and writes of embedding_cache, and the float32 BLOB form.
#include "store/embedding_cache.h"

#include <bit>
#include <cstdint>

#include "base/clock.h"
#include "store/store.h"

namespace firstmile {

std::string float32_blob(const std::vector<float>& vector) {
  std::string bytes(vector.size() * 4, '\0');
  for (size_t i = 0; i < vector.size(); ++i) {
    uint32_t bits = std::bit_cast<uint32_t>(vector[i]);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return bytes;
}

std::optional<std::vector<float>> floats_of_blob(std::string_view bytes) {
  if (bytes.size() % 4 != 0) return std::nullopt;
  std::vector<float> out(bytes.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) bits |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i * 4 + b])) << (8 * b);
    out[i] = std::bit_cast<float>(bits);
  }
  return out;
}

std::vector<std::optional<std::vector<float>>> find_cached_embeddings(Store& store, const std::string& model,
                                                                      const std::vector<std::string>& text_hashes) {
  std::vector<std::optional<std::vector<float>>> out;
  out.reserve(text_hashes.size());
  Query q = store.db().query("SELECT dimension, vector FROM embedding_cache WHERE model = ? AND text_hash = ?");
  for (const std::string& hash : text_hashes) {
    q.bind(1, model).bind(2, hash);
    std::optional<std::vector<float>> found;
    if (q.step()) {
      found = floats_of_blob(q.column_blob(1));
      if (found && static_cast<int64_t>(found->size()) != q.column_int(0)) found.reset();
    }
    out.push_back(std::move(found));
  }
  return out;
}

void save_cached_embeddings(Store& store, const std::vector<CachedEmbedding>& embeddings) {
  Query insert = store.db().query(
      "INSERT OR REPLACE INTO embedding_cache (model, text_hash, dimension, vector, created_at) VALUES (?, ?, ?, ?, ?)");
  const std::string now = utc_now_iso8601();
  for (const CachedEmbedding& e : embeddings) {
    insert.bind(1, e.model).bind(2, e.text_hash).bind(3, static_cast<int64_t>(e.vector.size()));
    insert.bind_blob(4, float32_blob(e.vector)).bind(5, now);
    insert.run();
  }
}

}  // namespace firstmile
