// store/llm_cache.h — answers of the LLM kept by the question asked, so no question is paid twice.
//
//   if (std::optional<CachedAnswer> a = find_cached_answer(store, "qwen2.5-7b", hash)) use(a->response);
//   save_cached_answers(store, {{.model = "qwen2.5-7b", .request_hash = hash, .response = text}});
//
// The key is (model, request_hash); the hash covers everything that changes the answer
// (llm/llm_client.h says what). A later answer to the same key replaces the earlier one.
// The table is in docs/schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

struct CachedAnswer {
  std::string model = {};
  std::string request_hash = {};
  std::string response = {};  // the assistant message's content
  int64_t prompt_tokens = 0, completion_tokens = 0;
};

std::optional<CachedAnswer> find_cached_answer(Store& store, const std::string& model, const std::string& request_hash);
// All stamped with one time; the caller groups them in a transaction.
void save_cached_answers(Store& store, const std::vector<CachedAnswer>& answers);

}  // namespace firstmile
