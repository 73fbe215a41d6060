// embedding_cache: vectors kept by (model, text hash) as float32 BLOBs; a later vector replaces an earlier one.
#include <doctest/doctest.h>

#include "store/embedding_cache.h"
#include "store/store.h"

using namespace firstmile;

TEST_CASE("a cached embedding is found by model and hash, and replaced by a later one") {
  Store store = Store::open_memory();
  save_cached_embeddings(store, {{.model = "m", .text_hash = "h1", .vector = {0.6f, 0.8f}},
                                 {.model = "m", .text_hash = "h2", .vector = {1.0f, 0.0f}}});
  std::vector<std::optional<std::vector<float>>> got = find_cached_embeddings(store, "m", {"h2", "h3", "h1"});
  REQUIRE(got.size() == 3);
  CHECK(got[0] == std::vector<float>{1.0f, 0.0f});
  CHECK_FALSE(got[1]);
  CHECK(got[2] == std::vector<float>{0.6f, 0.8f});
  CHECK_FALSE(find_cached_embeddings(store, "other", {"h1"})[0]);
  save_cached_embeddings(store, {{.model = "m", .text_hash = "h1", .vector = {0.0f, 1.0f}}});
  CHECK(find_cached_embeddings(store, "m", {"h1"})[0] == std::vector<float>{0.0f, 1.0f});
  CHECK(store.db().query_int("SELECT count(*) FROM embedding_cache") == 2);
  CHECK(store.db().query_int("SELECT count(*) FROM embedding_cache WHERE typeof(vector) = 'blob'") == 2);
}

TEST_CASE("a row whose BLOB does not hold its dimension's floats counts as absent") {
  Store store = Store::open_memory();
  save_cached_embeddings(store, {{.model = "m", .text_hash = "h", .vector = {0.6f, 0.8f}}});
  store.db().exec("UPDATE embedding_cache SET dimension = 3");
  CHECK_FALSE(find_cached_embeddings(store, "m", {"h"})[0]);
  store.db().exec("UPDATE embedding_cache SET dimension = 2, vector = x'0000803f00'");
  CHECK_FALSE(find_cached_embeddings(store, "m", {"h"})[0]);
}

TEST_CASE("float32 BLOBs are little-endian, round-trip exactly and refuse a ragged length") {
  std::vector<float> v = {1.5f, -0.25f, 3.0e-8f, 0.0f};
  std::string blob = float32_blob(v);
  CHECK(blob.size() == 16);
  CHECK(blob.substr(0, 4) == std::string("\x00\x00\xc0\x3f", 4));  // 1.5f
  CHECK(floats_of_blob(blob) == v);
  CHECK_FALSE(floats_of_blob(blob.substr(0, 5)));
  CHECK(floats_of_blob("") == std::vector<float>{});
}
