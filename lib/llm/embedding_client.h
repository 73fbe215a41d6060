// llm/embedding_client.h — an OpenAI-compatible embeddings client: batched, cached, retried.
//
// ## Use
//
//   Store store = Store::open("firstmile.db");
//   EmbeddingClient embedder(embedding_client_options("http://localhost:8000/v1",    // --embed-url
//                                                     "text-embedding-3-small"),     // --embed-model
//                            &store);                                                 // nullptr: no cache
//   std::vector<std::vector<float>> v = embedder.embed(texts, [](size_t done, size_t total) { ... });
//   double same = cosine(v[0], v[1]);         // in [-1, 1]; the vectors are L2-normalised
//   embedder.counters().calls, .cache_hits, .tokens, ...
//
// ## What it does
//
// - Speaks `POST {base_url}/v1/embeddings` with `{"model": M, "input": [texts...]}`, as OpenAI,
//   vLLM, llama.cpp's server and Ollama do; `base_url` may end in /v1 or not. The texts are
//   sent to that server: that is what the caller's --help must say.
// - Sends at most `batch_texts` texts, and at most `batch_bytes` bytes of text, a request (a
//   longer text goes alone). Identical texts of one call are sent once; empty texts are not sent
//   at all and get an all-zero vector (cosine 0 with anything).
// - Reads `data[i].embedding` placed by `data[i].index` (by position when no entry has an
//   index). Every vector the client ever returns has one dimension; each is L2-normalised.
// - Caches each vector in the store's `embedding_cache`, keyed by (model, SHA-256 of the text):
//   a second run over the same texts sends nothing. Each answered batch is saved at once, so a
//   run that fails half-way keeps what it paid for.
// - Retries 408, 429 and 5xx (waiting Retry-After when given), network errors and timeouts with
//   exponential backoff and jitter, as LlmClient; other 4xx fail at once.
// - Failures throw Error naming the endpoint and, for a reply it cannot use, the field
//   ("POST http://host/v1/embeddings: data[2].embedding[5] is not a number"); never the key,
//   which goes out as `Authorization: Bearer ...` only and is scrubbed from every message.
// - Not thread-safe: one embed() at a time; SQL on the calling thread, so not inside an open
//   Transaction on the same store.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "base/error.h"

namespace firstmile {

class Store;
class JsonPoster;

struct EmbeddingClientOptions {
  std::string base_url{};  // "http://localhost:8000" or ".../v1"
  std::string model{};
  std::string api_key{};     // empty: no Authorization header
  size_t batch_texts = 64;   // texts a request
  size_t batch_bytes = 1 << 18;  // bytes of text a request (256 KiB)
  double timeout_seconds = 120;  // one attempt, body included
  int max_retries = 4;           // per request
  std::chrono::milliseconds retry_wait{1000};  // first backoff; doubles each retry, jittered
  std::chrono::milliseconds max_retry_wait{60000};
  bool use_cache = true;                             // false: neither read nor write embedding_cache
  std::function<void(const std::string&)> log{};     // one line per HTTP request (--verbose)
  std::function<void(const std::string&)> notice{};  // retries and waits
  std::function<void(std::chrono::milliseconds)> sleep{};  // default std::this_thread::sleep_for
};

// Over the client's life.
struct EmbeddingCounters {
  int64_t texts = 0;          // texts asked for (each occurrence)
  int64_t cache_hits = 0;     // distinct texts answered from embedding_cache
  int64_t embedded = 0;       // distinct texts the server embedded
  int64_t calls = 0;          // batches sent (each once, however many attempts)
  int64_t http_requests = 0;  // attempts, retries included
  int64_t retries = 0;
  int64_t tokens = 0;  // usage.prompt_tokens (else total_tokens) of the answered batches
};

// Texts settled so far (cached, empty or embedded) out of all texts of the call.
using EmbeddingProgress = std::function<void(size_t done, size_t total)>;

class EmbeddingClient {
 public:
  // Throws Error without a URL or model, or for a URL that is not http(s). `store` holds
  // embedding_cache; nullptr runs without a cache. The store must outlive the client.
  explicit EmbeddingClient(EmbeddingClientOptions options, Store* store = nullptr);
  ~EmbeddingClient();
  EmbeddingClient(const EmbeddingClient&) = delete;
  EmbeddingClient& operator=(const EmbeddingClient&) = delete;

  // One L2-normalised vector per text, in input order, all of one dimension. Throws Error when
  // a batch cannot be embedded (after retries) or its reply cannot be used.
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts,
                                        const EmbeddingProgress& progress = nullptr);

  const EmbeddingCounters& counters() const { return counters_; }
  const std::string& endpoint() const { return endpoint_; }  // .../v1/embeddings
  // The dimension of the vectors seen so far; 0 before the first.
  size_t dimension() const { return dimension_; }

 private:
  // Positions in `texts` grouped into requests, in order, within batch_texts and batch_bytes.
  std::vector<std::vector<size_t>> plan_batches(const std::vector<const std::string*>& texts) const;
  std::vector<std::vector<float>> send_batch(const std::vector<const std::string*>& texts);
  std::string post_with_retries(const std::string& body);  // the 2xx body, or throws
  std::vector<std::vector<float>> read_reply(const std::string& body, size_t expected);
  [[noreturn]] void fail(const std::string& why) const;
  void say(const std::function<void(const std::string&)>& sink, const std::string& line) const;
  std::string scrub(std::string text) const;

  EmbeddingClientOptions options_;
  Store* store_;
  std::string endpoint_;
  EmbeddingCounters counters_;
  size_t dimension_ = 0;
  std::unique_ptr<JsonPoster> poster_;  // made at the first request
  std::mt19937_64 jitter_;
};

// The options for --embed-url and --embed-model, with the key from the environment
// (FIRSTMILE_EMBED_API_KEY, else FIRSTMILE_LLM_API_KEY). Throws Error as check_embedding_flags.
EmbeddingClientOptions embedding_client_options(const std::string& url, const std::string& model);

// Throws Error (naming --embed-url / --embed-model) for a URL that is not http:// or https://,
// or a URL without a model. An empty URL (no embeddings) passes.
void check_embedding_flags(const std::string& url, const std::string& model);

// FIRSTMILE_EMBED_API_KEY, else FIRSTMILE_LLM_API_KEY, else ""; registered as a secret.
std::string embedding_api_key_from_env();

// `base_url` + "/v1/embeddings", with or without a trailing "/" or "/v1" in base_url.
std::string embeddings_url(std::string base_url);

// `v` scaled to length 1 (a zero vector stays zero).
void l2_normalise(std::vector<float>& v);

// The cosine similarity of two L2-normalised vectors: their dot product, in [-1, 1]. 0 when
// either is empty or all zeros; throws Error when their dimensions differ.
double cosine(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace firstmile
