// llm/llm_client.h — an OpenAI-compatible chat-completions client: cached, budgeted, concurrent.
//
// ## Use
//
//   Store store = Store::open("firstmile.db");
//   LlmClient llm({.base_url = "http://localhost:8000/v1",            // --llm-url
//                  .model = "qwen2.5-7b-instruct",                    // --llm-model
//                  .api_key = llm_api_key_from_env(),                 // FIRSTMILE_LLM_API_KEY
//                  .in_flight = 4, .budget = 500},
//                 &store);                                            // nullptr: no cache
//   std::vector<LlmResult> answers = llm.complete_all(requests, [](size_t done, size_t total) { ... });
//   for (const LlmResult& a : answers) if (a.ok()) use(a.content); else report(a.error);
//   llm.counters().calls, .cache_hits, .refused, .prompt_tokens, ...
//
// ## What it does
//
// - Speaks `POST {base_url}/v1/chat/completions` as vLLM, llama.cpp's server, Ollama and hosted
//   APIs do; `base_url` may end in /v1 or not.
// - Asks for structured output: a request with a schema goes out with
//   `response_format: {type: json_schema, json_schema: {name, strict: true, schema}}`. A server
//   that rejects that (HTTP 400/422 naming response_format or json_schema) is asked again with
//   `{type: json_object}`, then without response_format; the downgrade is remembered for the
//   rest of the client's life, and said once through `notice`. Callers must validate the
//   content whatever was asked for (LlmLabeler does).
// - Caches answers in the store's `llm_cache`, keyed by (model, request_hash), where the hash
//   covers everything that changes the answer — messages, schema, temperature, max_tokens,
//   seed — and nothing else (never the key). A cached answer costs no call and no budget.
//   Identical requests within one batch are sent once.
// - Budget: at most `budget` requests are sent over the client's life (retries of one request
//   count once); the rest come back with status kRefused, decided in input order.
// - Retries 408, 429 and 5xx (waiting retry-after when given), network errors and timeouts
//   with exponential backoff and jitter, as GithubClient; other 4xx fail the request at once.
// - Per-request problems are results (status kFailed, `error` says why), never exceptions. It
//   throws Error only for misuse (no URL or model) or when the cache cannot be written.
// - `in_flight` worker threads each own a libcurl handle and do HTTP only; the calling thread
//   does all SQL (cache reads first, then writes in small transactions as answers arrive), so
//   do not call complete_all() inside an open Transaction on the same store.
// - The API key is sent as `Authorization: Bearer ...` and nowhere else: it is scrubbed from
//   every error and log line, and not part of what is cached.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace firstmile {

class Store;
struct HttpResponse;  // net/http_client.h

struct LlmClientOptions {
  std::string base_url{};  // "http://localhost:8000" or ".../v1"
  std::string model{};
  std::string api_key{};  // empty: no Authorization header
  double temperature = 0;
  int max_tokens = 512;
  std::optional<int64_t> seed{};               // sent when given
  double timeout_seconds = 120;                // one attempt, body included
  int max_retries = 4;                         // per request
  std::chrono::milliseconds retry_wait{1000};  // first backoff; doubles each retry, jittered
  std::chrono::milliseconds max_retry_wait{60000};
  int in_flight = 1;                                 // requests sent at once
  int64_t budget = -1;                               // requests that may be sent; 0: none; -1: no limit
  bool use_cache = true;                             // false: neither read nor write llm_cache
  std::function<void(const std::string&)> log{};     // one line per HTTP request (--verbose)
  std::function<void(const std::string&)> notice{};  // retries, waits, response_format downgrades
  // Waits between attempts; default std::this_thread::sleep_for. Called from worker threads.
  std::function<void(std::chrono::milliseconds)> sleep{};
};

struct LlmRequest {
  std::string system{};       // the system message; empty: none
  std::string user{};         // the user message
  std::string schema_name{};  // names the schema in response_format ("labels")
  nlohmann::json schema{};    // a JSON schema for the answer; null: free text
};

enum class LlmStatus {
  kOk,       // `content` holds the answer
  kFailed,   // the server could not be made to answer; `error` says why
  kRefused,  // not sent: the budget was used up
};

struct LlmResult {
  LlmStatus status = LlmStatus::kFailed;
  std::string error;  // why, when not ok; never contains the API key
  // The same as a sentence without the endpoint ("the LLM server answered HTTP 503 ... (gave up
  // after 4 retries)"), so that failures of many requests group by what went wrong.
  std::string reason;
  std::string content;        // choices[0].message.content
  std::string finish_reason;  // "stop", "length" (answer cut by max_tokens), ...; "" when cached
  int64_t prompt_tokens = 0;  // from usage (or as cached)
  int64_t completion_tokens = 0;
  bool cached = false;       // answered from llm_cache (or by an identical request of the batch)
  int attempts = 0;          // HTTP requests sent for this request
  std::string request_hash;  // the cache key's hash

  bool ok() const { return status == LlmStatus::kOk; }
};

// Over the client's life. Tokens count only answers paid for, not cached ones.
struct LlmCounters {
  int64_t calls = 0;          // requests sent to the server (each once, however many attempts)
  int64_t http_requests = 0;  // attempts, retries included
  int64_t cache_hits = 0;
  int64_t retries = 0;
  int64_t failures = 0;  // requests that ended kFailed
  int64_t refused = 0;   // requests refused for the budget
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};

using LlmProgress = std::function<void(size_t done, size_t total)>;

class LlmClient {
 public:
  // `store` holds llm_cache; nullptr runs without a cache. The store must outlive the client.
  explicit LlmClient(LlmClientOptions options, Store* store = nullptr);

  // One result per request, in input order. `progress` is called on the calling thread after
  // each request is settled (cached, refused, answered or failed).
  std::vector<LlmResult> complete_all(const std::vector<LlmRequest>& requests, const LlmProgress& progress = nullptr);
  LlmResult complete(const LlmRequest& request);

  // The hash of the request as the cache keys it (model not included: it is the other half of the key).
  std::string request_hash(const LlmRequest& request) const;
  // The chat-completions body sent for `request` at the current response_format level.
  nlohmann::json request_body(const LlmRequest& request) const;

  const LlmCounters& counters() const { return counters_; }
  const std::string& endpoint() const { return endpoint_; }  // .../v1/chat/completions
  // What response_format is sent with a schema: "json_schema", "json_object" or "none".
  std::string response_format_mode() const;

 private:
  struct Job;
  struct Worker;
  struct Batch;
  struct JobQueue;
  std::vector<Job> plan_jobs(const std::vector<LlmRequest>& requests, Batch& batch);
  void run_jobs(std::vector<Job>& jobs, Batch& batch);
  void work_through(JobQueue& queue);  // a worker thread's loop
  void record(const std::vector<Job*>& finished, Batch& batch);
  void settle(Batch& batch, size_t index);  // counters and progress for a settled result
  void run_job(Job& job, Worker& worker);
  // After an HTTP answer: true to send the request again (a retry or a lower response_format
  // `level`), false when the job is settled.
  bool settle_or_retry(Job& job, Worker& worker, const HttpResponse& response, int& level);
  // What went wrong with a request, for the reason a user reads: the server answered with an
  // error status, it could not be reached, or its 2xx reply could not be used.
  enum class Failure { kStatus, kUnreachable, kReply };
  // True when another attempt is allowed (after waiting); false when retries are used up.
  bool retry(Job& job, Worker& worker, Failure kind, const std::string& problem,
             std::optional<std::chrono::milliseconds> wait);
  bool lower_format_level(int level, const std::string& body);
  void fail(Job& job, Failure kind, const std::string& why) const;
  void say(const std::function<void(const std::string&)>& sink, const std::string& line);
  std::string scrub(std::string text) const;
  std::optional<LlmResult> cache_lookup(const std::string& hash);
  void cache_store(const std::vector<const LlmResult*>& answers);
  nlohmann::json body_at_level(const LlmRequest& request, int level) const;

  LlmClientOptions options_;
  Store* store_;
  std::string endpoint_;
  LlmCounters counters_;
  std::atomic<int> format_level_{0};  // 0 json_schema, 1 json_object, 2 none
  std::mutex say_mutex_;              // log and notice are called one at a time
};

// FIRSTMILE_LLM_API_KEY, or "".
std::string llm_api_key_from_env();

// `base_url` + "/v1/chat/completions", with or without a trailing "/" or "/v1" in base_url.
std::string chat_completions_url(std::string base_url);

}  // namespace firstmile
