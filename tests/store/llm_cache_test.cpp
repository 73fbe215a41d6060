// llm_cache: answers kept by (model, request hash); a later answer replaces an earlier one.
#include <doctest/doctest.h>

#include "store/llm_cache.h"
#include "store/store.h"

using namespace firstmile;

TEST_CASE("a cached answer is found by model and hash, and replaced by a later one") {
  Store store = Store::open_memory();
  CHECK_FALSE(find_cached_answer(store, "m", "h1"));
  save_cached_answers(
      store, {{.model = "m", .request_hash = "h1", .response = "yes", .prompt_tokens = 10, .completion_tokens = 2},
              {.model = "m", .request_hash = "h2", .response = "no"}});
  std::optional<CachedAnswer> a = find_cached_answer(store, "m", "h1");
  REQUIRE(a);
  CHECK(a->response == "yes");
  CHECK(a->prompt_tokens == 10);
  CHECK(a->completion_tokens == 2);
  CHECK_FALSE(find_cached_answer(store, "other", "h1"));
  save_cached_answers(store, {{.model = "m", .request_hash = "h1", .response = "maybe"}});
  CHECK(find_cached_answer(store, "m", "h1")->response == "maybe");
  CHECK(store.db().query_int("SELECT count(*) FROM llm_cache") == 2);
}
