// store/llm_cache.cpp — look-ups and writes of llm_cache.
#include "store/llm_cache.h"

#include "base/clock.h"
#include "base/redact.h"
#include "store/store.h"

namespace firstmile {

std::optional<CachedAnswer> find_cached_answer(Store& store, const std::string& model,
                                               const std::string& request_hash) {
  Query q = store.db().query(
      "SELECT response, prompt_tokens, completion_tokens FROM llm_cache WHERE model = ? AND request_hash = ?");
  q.bind(1, model).bind(2, request_hash);
  if (!q.step()) return std::nullopt;
  return CachedAnswer{.model = model,
                      .request_hash = request_hash,
                      .response = q.column_text(0),
                      .prompt_tokens = q.column_int(1),
                      .completion_tokens = q.column_int(2)};
}

void save_cached_answers(Store& store, const std::vector<CachedAnswer>& answers) {
  Query insert = store.db().query(
      "INSERT OR REPLACE INTO llm_cache (model, request_hash, response, prompt_tokens, completion_tokens, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  const std::string now = utc_now_iso8601();
  for (const CachedAnswer& a : answers) {
    // An endpoint may echo the key in its answer: what is cached is what may be shown.
    insert.bind(1, a.model).bind(2, a.request_hash).bind(3, redact_secrets(a.response));
    insert.bind(4, a.prompt_tokens).bind(5, a.completion_tokens).bind(6, now);
    insert.run();
  }
}

}  // namespace firstmile
