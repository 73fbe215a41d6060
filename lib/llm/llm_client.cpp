// llm/llm_client.cpp — the batch: cache and budget first, then workers for HTTP, SQL on the caller's thread.
#include "llm/llm_client.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include "base/content_hash.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "base/text.h"
#include "llm/server_reply.h"
#include "net/json_poster.h"
#include "store/llm_cache.h"
#include "store/store.h"

namespace firstmile {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* kFormatModes[] = {"json_schema", "json_object", "none"};

bool rejects_response_format(const std::string& body) {
  std::string lower = to_lower_ascii(body);
  return lower.find("response_format") != std::string::npos || lower.find("json_schema") != std::string::npos;
}

// Fills `result` from a chat.completion body; returns why it cannot, or "".
std::string read_completion(const std::string& body, LlmResult& result) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() || j["choices"].empty() ||
      !j["choices"][0].is_object() || !j["choices"][0].contains("message")) {
    return "malformed response: no choices[0].message";
  }
  const json& choice = j["choices"][0];
  const json& message = choice["message"];
  if (!message.is_object() || !message.contains("content") || !message["content"].is_string()) {
    bool refused = message.is_object() && message.contains("refusal") && message["refusal"].is_string();
    return "the answer has no text content" + (refused ? ": refused: " + message["refusal"].get<std::string>() : "");
  }
  result.status = LlmStatus::kOk;
  result.content = message["content"].get<std::string>();
  if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
    result.finish_reason = choice["finish_reason"].get<std::string>();
  }
  const json usage = j.value("usage", json::object());
  if (usage.is_object()) {
    if (usage.contains("prompt_tokens") && usage["prompt_tokens"].is_number_integer())
      result.prompt_tokens = usage["prompt_tokens"].get<int64_t>();
    if (usage.contains("completion_tokens") && usage["completion_tokens"].is_number_integer())
      result.completion_tokens = usage["completion_tokens"].get<int64_t>();
  }
  return "";
}

}  // namespace

struct LlmClient::Job {
  size_t index = 0;
  const LlmRequest* request = nullptr;
  LlmResult result;
  int retries = 0;
};

struct LlmClient::Worker {
  JsonPoster poster;
  std::mt19937_64 jitter;
  explicit Worker(double timeout_seconds) : poster(timeout_seconds), jitter(std::random_device{}()) {}
};

std::string llm_api_key_from_env() {
  const char* v = std::getenv("FIRSTMILE_LLM_API_KEY");
  if (v) register_secret(v);  // never on screen or in the database, whoever echoes it
  return v ? v : "";
}

std::string chat_completions_url(std::string base_url) {
  return openai_endpoint(std::move(base_url), "chat/completions");
}

LlmClient::LlmClient(LlmClientOptions options, Store* store) : options_(std::move(options)), store_(store) {
  if (options_.base_url.empty()) throw Error("no LLM server URL given (--llm-url)");
  if (options_.model.empty()) throw Error("no LLM model given (--llm-model)");
  endpoint_ = chat_completions_url(options_.base_url);
  register_secret(options_.api_key);  // whoever echoes it, it is not shown or stored
  options_.in_flight = std::max(1, options_.in_flight);
  options_.max_retries = std::max(0, options_.max_retries);
  if (!options_.sleep) options_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

std::string LlmClient::response_format_mode() const { return kFormatModes[format_level_.load()]; }

std::string LlmClient::scrub(std::string text) const { return without_key(std::move(text), options_.api_key); }

void LlmClient::say(const std::function<void(const std::string&)>& sink, const std::string& line) {
  if (!sink) return;
  std::lock_guard<std::mutex> lock(say_mutex_);
  sink(scrub(line));
}

std::string LlmClient::request_hash(const LlmRequest& request) const {
  // Everything that changes the answer, in canonical form (nlohmann's objects sort their keys).
  json key = {{"system", request.system},
              {"user", request.user},
              {"schema_name", request.schema_name},
              {"schema", request.schema},
              {"temperature", options_.temperature},
              {"max_tokens", options_.max_tokens},
              {"seed", options_.seed ? json(*options_.seed) : json(nullptr)}};
  return git_blob_hash(json_text(key));
}

json LlmClient::body_at_level(const LlmRequest& request, int level) const {
  json messages = json::array();
  if (!request.system.empty()) messages.push_back({{"role", "system"}, {"content", request.system}});
  messages.push_back({{"role", "user"}, {"content", request.user}});
  json body = {{"model", options_.model},
               {"messages", std::move(messages)},
               {"temperature", options_.temperature},
               {"max_tokens", options_.max_tokens},
               {"stream", false}};
  if (options_.seed) body["seed"] = *options_.seed;
  if (!request.schema.is_null() && level == 0) {
    body["response_format"] = {{"type", "json_schema"},
                               {"json_schema",
                                {{"name", request.schema_name.empty() ? "answer" : request.schema_name},
                                 {"strict", true},
                                 {"schema", request.schema}}}};
  } else if (!request.schema.is_null() && level == 1) {
    body["response_format"] = {{"type", "json_object"}};
  }
  return body;
}

json LlmClient::request_body(const LlmRequest& request) const { return body_at_level(request, format_level_.load()); }

void LlmClient::fail(Job& job, Failure kind, const std::string& why) const {
  job.result.status = LlmStatus::kFailed;
  job.result.error = scrub("POST " + endpoint_ + ": " + why);
  std::string reason;
  switch (kind) {
    case Failure::kStatus: reason = "the LLM server answered " + why; break;
    case Failure::kUnreachable: {
      // A network error reads "POST URL: detail"; the endpoint is left out of the reason, so
      // that failures of many requests group by what went wrong.
      size_t colon = why.rfind("POST ", 0) == 0 ? why.find(": ") : std::string::npos;
      reason = "the LLM server could not be reached: " + (colon == std::string::npos ? why : why.substr(colon + 2));
      break;
    }
    case Failure::kReply: reason = "the LLM server's reply could not be used: " + why; break;
  }
  job.result.reason = scrub(reason);
}

bool LlmClient::retry(Job& job, Worker& worker, Failure kind, const std::string& problem,
                      std::optional<milliseconds> wait) {
  if (job.retries >= options_.max_retries) {
    fail(job, kind, problem + " (gave up after " + std::to_string(job.retries) + " retries)");
    return false;
  }
  if (!wait) {
    // Jittered in [ceiling/2, ceiling] of an exponential ceiling, as GithubClient does, so
    // workers (and clients) that failed together do not come back together.
    auto ceiling = std::min(options_.max_retry_wait, options_.retry_wait * (int64_t{1} << std::min(job.retries, 20)));
    std::uniform_int_distribution<int64_t> pick(ceiling.count() / 2, std::max<int64_t>(ceiling.count(), 1));
    wait = milliseconds(pick(worker.jitter));
  }
  ++job.retries;
  say(options_.notice, "LLM request: " + problem + "; retry " + std::to_string(job.retries) + " of " +
                           std::to_string(options_.max_retries) + " in " + duration_text(*wait));
  options_.sleep(*wait);
  return true;
}

bool LlmClient::lower_format_level(int level, const std::string& body) {
  int next = level + 1;
  int current = format_level_.load();
  bool lowered = false;
  while (current < next && !(lowered = format_level_.compare_exchange_weak(current, next))) {}
  if (lowered) {
    say(options_.notice, "the LLM server rejected response_format " + std::string(kFormatModes[level]) + " (" +
                             server_error_message(body) + "); asking with " + kFormatModes[next] + " from now on");
  }
  return lowered;
}

bool LlmClient::settle_or_retry(Job& job, Worker& worker, const HttpResponse& r, int& level) {
  long status = r.status;
  if (status >= 200 && status < 300) {
    std::string why = read_completion(r.body, job.result);
    if (!why.empty()) fail(job, Failure::kReply, why);
    return false;
  }
  if ((status == 400 || status == 422) && !job.request->schema.is_null() && level < 2 &&
      rejects_response_format(r.body)) {
    // Not a retry: the same question asked in a form this server accepts.
    lower_format_level(level, r.body);
    ++level;
    return true;
  }
  if (status == 429 || status == 408) {
    return retry(job, worker, Failure::kStatus,
                 "HTTP " + std::to_string(status) + (status == 429 ? " (rate limited)" : " (request timeout)"),
                 retry_after(r));
  }
  if (status >= 500) {
    // A 503 may say when the server will be back (a model still loading, a queue full).
    return retry(job, worker, Failure::kStatus, "HTTP " + std::to_string(status) + " " + server_error_message(r.body),
                 retry_after(r));
  }
  std::string why = "HTTP " + std::to_string(status) + " " + server_error_message(r.body);
  if (status == 401 || status == 403) why += " (check FIRSTMILE_LLM_API_KEY; the key is not shown)";
  if (status == 404) why += " (check --llm-url and --llm-model)";
  fail(job, Failure::kStatus, why);
  return false;
}

void LlmClient::run_job(Job& job, Worker& worker) {
  std::vector<std::string> headers;
  if (!options_.api_key.empty()) headers.push_back("Authorization: Bearer " + options_.api_key);
  int level = format_level_.load();
  for (bool again = true; again;) {
    level = std::max(level, format_level_.load());
    std::string body = json_text(body_at_level(*job.request, level));
    ++job.result.attempts;
    auto start = std::chrono::steady_clock::now();
    HttpResponse r;
    try {
      r = worker.poster.post(endpoint_, headers, body);
    } catch (const NetworkError& e) {
      say(options_.log, std::string(e.what()));
      again = retry(job, worker, Failure::kUnreachable, e.what(), std::nullopt);
      continue;
    }
    auto ms = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
    say(options_.log, "POST " + endpoint_ + " -> " + std::to_string(r.status) + " (" + std::to_string(ms) + " ms)");
    again = settle_or_retry(job, worker, r, level);
  }
}

std::optional<LlmResult> LlmClient::cache_lookup(const std::string& hash) {
  std::optional<CachedAnswer> cached = find_cached_answer(*store_, options_.model, hash);
  if (!cached) return std::nullopt;
  LlmResult hit;
  hit.status = LlmStatus::kOk;
  hit.content = std::move(cached->response);
  hit.prompt_tokens = cached->prompt_tokens;
  hit.completion_tokens = cached->completion_tokens;
  hit.cached = true;
  hit.request_hash = hash;
  return hit;
}

void LlmClient::cache_store(const std::vector<const LlmResult*>& answers) {
  if (answers.empty()) return;
  std::vector<CachedAnswer> rows;
  for (const LlmResult* a : answers) {
    rows.push_back({.model = options_.model,
                    .request_hash = a->request_hash,
                    .response = a->content,
                    .prompt_tokens = a->prompt_tokens,
                    .completion_tokens = a->completion_tokens});
  }
  Transaction tx(store_->db());
  save_cached_answers(*store_, rows);
  tx.commit();
}

// One complete_all: its results, and who is told when each is settled.
struct LlmClient::Batch {
  std::vector<LlmResult> results;
  std::vector<std::pair<size_t, size_t>> duplicates;  // (index, index of the same request)
  bool cache = false;
  size_t done = 0;
  const LlmProgress* progress = nullptr;
};

// Jobs handed to the workers in order, and handed back finished.
struct LlmClient::JobQueue {
  explicit JobQueue(std::vector<Job>& all) : jobs(all) {}
  std::vector<Job>& jobs;
  std::mutex mutex;
  std::condition_variable finished_cv;
  std::vector<Job*> finished;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
};

void LlmClient::settle(Batch& batch, size_t index) {
  const LlmResult& r = batch.results[index];
  if (r.status == LlmStatus::kFailed) ++counters_.failures;
  if (r.status == LlmStatus::kRefused) ++counters_.refused;
  if (r.cached) ++counters_.cache_hits;
  ++batch.done;
  if (*batch.progress) (*batch.progress)(batch.done, batch.results.size());
}

std::vector<LlmClient::Job> LlmClient::plan_jobs(const std::vector<LlmRequest>& requests, Batch& batch) {
  std::map<std::string, size_t> first_of;
  std::vector<Job> jobs;
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string hash = request_hash(requests[i]);
    auto [it, fresh] = first_of.emplace(hash, i);
    if (!fresh) {
      batch.duplicates.emplace_back(i, it->second);
      continue;
    }
    if (batch.cache) {
      if (std::optional<LlmResult> hit = cache_lookup(hash)) {
        batch.results[i] = std::move(*hit);
        settle(batch, i);
        continue;
      }
    }
    batch.results[i].request_hash = hash;
    if (options_.budget >= 0 && counters_.calls >= options_.budget) {
      batch.results[i].status = LlmStatus::kRefused;
      batch.results[i].error = "not sent: the budget of " + std::to_string(options_.budget) + " LLM calls is used up";
      batch.results[i].reason = batch.results[i].error;
      settle(batch, i);
      continue;
    }
    ++counters_.calls;
    Job job;
    job.index = i;
    job.request = &requests[i];
    job.result.request_hash = hash;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

void LlmClient::work_through(JobQueue& queue) {
  // Whatever goes wrong in a worker becomes that request's failure: the caller's loop must
  // hear back about every job it handed out.
  std::unique_ptr<Worker> worker;
  std::string broken;
  try {
    worker = std::make_unique<Worker>(options_.timeout_seconds);
  } catch (const std::exception& e) {
    broken = e.what();
  }
  while (!queue.stop) {
    size_t j = queue.next.fetch_add(1);
    if (j >= queue.jobs.size()) break;
    Job& job = queue.jobs[j];
    try {
      if (!worker) throw Error(broken);
      run_job(job, *worker);
    } catch (const std::exception& e) {
      job.result.status = LlmStatus::kFailed;
      job.result.error = scrub(e.what());
    }
    std::lock_guard<std::mutex> lock(queue.mutex);
    queue.finished.push_back(&job);
    queue.finished_cv.notify_one();
  }
}

void LlmClient::record(const std::vector<Job*>& finished, Batch& batch) {
  // One small transaction per wake-up: answers are kept even if the run is stopped later.
  std::vector<const LlmResult*> answers;
  for (Job* job : finished) {
    if (job->result.ok()) answers.push_back(&job->result);
  }
  if (batch.cache) cache_store(answers);
  for (Job* job : finished) {
    counters_.http_requests += job->result.attempts;
    counters_.retries += job->retries;
    if (job->result.ok()) {
      counters_.prompt_tokens += job->result.prompt_tokens;
      counters_.completion_tokens += job->result.completion_tokens;
    }
    batch.results[job->index] = job->result;
    settle(batch, job->index);
  }
}

void LlmClient::run_jobs(std::vector<Job>& jobs, Batch& batch) {
  JobQueue queue(jobs);
  std::vector<std::thread> threads;
  size_t workers = std::min(jobs.size(), static_cast<size_t>(options_.in_flight));
  for (size_t w = 0; w < workers; ++w) threads.emplace_back([this, &queue] { work_through(queue); });
  try {
    for (size_t recorded = 0; recorded < jobs.size();) {
      std::vector<Job*> finished;
      {
        std::unique_lock<std::mutex> lock(queue.mutex);
        queue.finished_cv.wait(lock, [&] { return !queue.finished.empty(); });
        finished.swap(queue.finished);
      }
      record(finished, batch);
      recorded += finished.size();
    }
  } catch (...) {
    queue.stop = true;
    for (std::thread& t : threads) t.join();
    throw;
  }
  for (std::thread& t : threads) t.join();
}

std::vector<LlmResult> LlmClient::complete_all(const std::vector<LlmRequest>& requests, const LlmProgress& progress) {
  // On this thread: the cache, duplicates and the budget decide what is sent, in input order;
  // workers send it; this thread records the answers as they come.
  Batch batch;
  batch.results.resize(requests.size());
  batch.cache = store_ && options_.use_cache;
  batch.progress = &progress;
  std::vector<Job> jobs = plan_jobs(requests, batch);
  run_jobs(jobs, batch);
  for (auto [i, same] : batch.duplicates) {
    batch.results[i] = batch.results[same];
    batch.results[i].attempts = 0;
    if (batch.results[i].ok()) batch.results[i].cached = true;
    settle(batch, i);
  }
  return std::move(batch.results);
}

LlmResult LlmClient::complete(const LlmRequest& request) { return complete_all({request}).front(); }

}  // namespace firstmile
