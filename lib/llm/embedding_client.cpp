// llm/embedding_client.cpp — cache first, then batches to /v1/embeddings, each checked, normalised and kept.
#include "llm/embedding_client.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "base/content_hash.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "base/text.h"
#include "llm/server_reply.h"
#include "net/json_poster.h"
#include "store/embedding_cache.h"
#include "store/store.h"

namespace firstmile {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

bool is_http_url(const std::string& url) {
  std::string lower = to_lower_ascii(url);
  return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

std::string field(size_t k, const std::string& rest = "") { return "data[" + std::to_string(k) + "]" + rest; }

// The vector of data[k], or why it cannot be read (`why` set, result empty).
std::vector<float> read_vector(const json& entry, size_t k, std::string& why) {
  const json* e = entry.contains("embedding") ? &entry["embedding"] : nullptr;
  if (!e || !e->is_array() || e->empty()) {
    why = field(k, ".embedding") + (!e                ? " is missing"
                                    : e->is_string() ? " is a string (base64?), not an array of numbers"
                                    : !e->is_array() ? " is not an array"
                                                     : " is empty");
    return {};
  }
  std::vector<float> v;
  v.reserve(e->size());
  for (size_t j = 0; j < e->size(); ++j) {
    if (!(*e)[j].is_number()) {
      why = field(k, ".embedding[" + std::to_string(j) + "]") + " is not a number";
      return {};
    }
    double x = (*e)[j].get<double>();
    if (!std::isfinite(static_cast<float>(x))) {
      why = field(k, ".embedding[" + std::to_string(j) + "]") + " is not a finite float";
      return {};
    }
    v.push_back(static_cast<float>(x));
  }
  return v;
}

}  // namespace

std::string embeddings_url(std::string base_url) { return openai_endpoint(std::move(base_url), "embeddings"); }

std::string embedding_api_key_from_env() {
  const char* v = std::getenv("FIRSTMILE_EMBED_API_KEY");
  if (!v || !*v) v = std::getenv("FIRSTMILE_LLM_API_KEY");
  if (v) register_secret(v);  // never on screen or in the database, whoever echoes it
  return v ? v : "";
}

void check_embedding_flags(const std::string& url, const std::string& model) {
  if (url.empty()) return;
  if (!is_http_url(url)) {
    throw Error("--embed-url must be an http:// or https:// URL (got '" + redact_secrets(url) + "')");
  }
  if (model.empty()) throw Error("--embed-url needs --embed-model");
}

EmbeddingClientOptions embedding_client_options(const std::string& url, const std::string& model) {
  check_embedding_flags(url, model);
  EmbeddingClientOptions o;
  o.base_url = url;
  o.model = model;
  o.api_key = embedding_api_key_from_env();
  return o;
}

void l2_normalise(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  double scale = 1 / std::sqrt(sum);
  for (float& x : v) x = static_cast<float>(x * scale);
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || b.empty()) return 0;
  if (a.size() != b.size()) {
    throw Error("cosine of vectors of different dimensions (" + std::to_string(a.size()) + " and " +
                std::to_string(b.size()) + ")");
  }
  double dot = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += static_cast<double>(a[i]) * b[i];
  return std::clamp(dot, -1.0, 1.0);  // float rounding may step just outside
}

EmbeddingClient::EmbeddingClient(EmbeddingClientOptions options, Store* store)
    : options_(std::move(options)), store_(store), jitter_(std::random_device{}()) {
  register_secret(options_.api_key);  // whoever echoes it, it is not shown or stored
  if (options_.base_url.empty()) throw Error("no embeddings URL given (--embed-url)");
  if (options_.model.empty()) throw Error("no embedding model given (--embed-model)");
  check_embedding_flags(options_.base_url, options_.model);
  endpoint_ = embeddings_url(options_.base_url);
  options_.batch_texts = std::max<size_t>(1, options_.batch_texts);
  options_.batch_bytes = std::max<size_t>(1, options_.batch_bytes);
  options_.max_retries = std::max(0, options_.max_retries);
  if (!options_.sleep) options_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

EmbeddingClient::~EmbeddingClient() = default;

std::string EmbeddingClient::scrub(std::string text) const { return without_key(std::move(text), options_.api_key); }

void EmbeddingClient::say(const std::function<void(const std::string&)>& sink, const std::string& line) const {
  if (sink) sink(scrub(line));
}

void EmbeddingClient::fail(const std::string& why) const { throw Error(scrub("POST " + endpoint_ + ": " + why)); }

std::vector<std::vector<size_t>> EmbeddingClient::plan_batches(const std::vector<const std::string*>& texts) const {
  std::vector<std::vector<size_t>> batches;
  size_t bytes = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    size_t size = texts[i]->size();
    bool full = !batches.empty() &&
                (batches.back().size() >= options_.batch_texts || bytes + size > options_.batch_bytes);
    if (batches.empty() || full) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(i);
    bytes += size;
  }
  return batches;
}

std::string EmbeddingClient::post_with_retries(const std::string& body) {
  if (!poster_) poster_ = std::make_unique<JsonPoster>(options_.timeout_seconds);
  std::vector<std::string> headers;
  if (!options_.api_key.empty()) headers.push_back("Authorization: Bearer " + options_.api_key);
  for (int retries = 0;; ++retries) {
    ++counters_.http_requests;
    std::string problem;
    std::optional<milliseconds> wait;
    auto start = std::chrono::steady_clock::now();
    try {
      HttpResponse r = poster_->post(endpoint_, headers, body);
      auto ms = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
      say(options_.log, "POST " + endpoint_ + " -> " + std::to_string(r.status) + " (" + std::to_string(ms) + " ms)");
      long status = r.status;
      if (status >= 200 && status < 300) return std::move(r.body);
      if (status == 408 || status == 429 || status >= 500) {
        problem = "HTTP " + std::to_string(status) +
                  (status == 429   ? " (rate limited)"
                   : status == 408 ? " (request timeout)"
                                   : " " + server_error_message(r.body));
        wait = retry_after(r);
      } else {
        std::string why = "HTTP " + std::to_string(status) + " " + server_error_message(r.body);
        if (status == 401 || status == 403) why += " (check FIRSTMILE_EMBED_API_KEY or FIRSTMILE_LLM_API_KEY; the key is not shown)";
        if (status == 404) why += " (check --embed-url and --embed-model)";
        fail(why);
      }
    } catch (const NetworkError& e) {
      say(options_.log, e.what());
      // "POST URL: detail": the endpoint is named once, by fail().
      std::string what = e.what();
      size_t colon = what.rfind("POST ", 0) == 0 ? what.find(": ") : std::string::npos;
      problem = colon == std::string::npos ? what : what.substr(colon + 2);
    }
    if (retries >= options_.max_retries) fail(problem + " (gave up after " + std::to_string(retries) + " retries)");
    if (!wait) {
      // Jittered in [ceiling/2, ceiling] of an exponential ceiling, as LlmClient does.
      auto ceiling = std::min(options_.max_retry_wait, options_.retry_wait * (int64_t{1} << std::min(retries, 20)));
      std::uniform_int_distribution<int64_t> pick(ceiling.count() / 2, std::max<int64_t>(ceiling.count(), 1));
      wait = milliseconds(pick(jitter_));
    }
    ++counters_.retries;
    say(options_.notice, "embedding request: " + problem + "; retry " + std::to_string(retries + 1) + " of " +
                             std::to_string(options_.max_retries) + " in " + duration_text(*wait));
    options_.sleep(*wait);
  }
}

std::vector<std::vector<float>> EmbeddingClient::read_reply(const std::string& body, size_t expected) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) fail("the reply is not a JSON object");
  if (!j.contains("data") || !j["data"].is_array()) fail("the reply has no data array");
  const json& data = j["data"];
  if (data.size() != expected) {
    fail("data has " + std::to_string(data.size()) + " entries for " + std::to_string(expected) + " texts");
  }
  // By data[k].index when the server gives indexes (OpenAI does), else by position.
  bool indexed = std::any_of(data.begin(), data.end(), [](const json& e) { return e.is_object() && e.contains("index"); });
  std::vector<std::vector<float>> out(expected);
  std::vector<bool> filled(expected, false);
  size_t dimension = dimension_;
  for (size_t k = 0; k < data.size(); ++k) {
    const json& entry = data[k];
    if (!entry.is_object()) fail(field(k) + " is not an object");
    size_t slot = k;
    if (indexed) {
      if (!entry.contains("index") || !entry["index"].is_number_integer()) fail(field(k, ".index") + " is missing or not an integer");
      int64_t index = entry["index"].get<int64_t>();
      if (index < 0 || static_cast<size_t>(index) >= expected) {
        fail(field(k, ".index") + " is " + std::to_string(index) + ", outside 0.." + std::to_string(expected - 1));
      }
      slot = static_cast<size_t>(index);
      if (filled[slot]) fail(field(k, ".index") + " " + std::to_string(index) + " repeats an earlier entry's");
    }
    std::string why;
    std::vector<float> v = read_vector(entry, k, why);
    if (!why.empty()) fail(why);
    if (dimension == 0) dimension = v.size();
    if (v.size() != dimension) {
      fail(field(k, ".embedding") + " has " + std::to_string(v.size()) + " values where " +
           (dimension_ ? "earlier vectors (embedding_cache included) have " : "data[0].embedding has ") +
           std::to_string(dimension) + " (dimension mismatch; one model name for two models?)");
    }
    l2_normalise(v);
    out[slot] = std::move(v);
    filled[slot] = true;
  }
  dimension_ = dimension;
  if (j.contains("usage") && j["usage"].is_object()) {
    const json& usage = j["usage"];
    if (usage.contains("prompt_tokens") && usage["prompt_tokens"].is_number_integer()) {
      counters_.tokens += usage["prompt_tokens"].get<int64_t>();
    } else if (usage.contains("total_tokens") && usage["total_tokens"].is_number_integer()) {
      counters_.tokens += usage["total_tokens"].get<int64_t>();
    }
  }
  return out;
}

std::vector<std::vector<float>> EmbeddingClient::send_batch(const std::vector<const std::string*>& texts) {
  json input = json::array();
  for (const std::string* t : texts) input.push_back(*t);
  json body = {{"model", options_.model}, {"input", std::move(input)}};
  ++counters_.calls;
  std::string reply = post_with_retries(json_text(body));
  std::vector<std::vector<float>> vectors = read_reply(reply, texts.size());
  counters_.embedded += static_cast<int64_t>(texts.size());
  return vectors;
}

std::vector<std::vector<float>> EmbeddingClient::embed(const std::vector<std::string>& texts,
                                                       const EmbeddingProgress& progress) {
  counters_.texts += static_cast<int64_t>(texts.size());
  // Distinct non-empty texts, each with the input positions that ask for it.
  std::unordered_map<std::string_view, size_t> slot_of;
  std::vector<const std::string*> distinct;
  std::vector<size_t> slot(texts.size(), SIZE_MAX);
  std::vector<size_t> uses;
  size_t done = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].empty()) {
      ++done;
      continue;
    }
    auto [it, fresh] = slot_of.emplace(texts[i], distinct.size());
    if (fresh) {
      distinct.push_back(&texts[i]);
      uses.push_back(0);
    }
    slot[i] = it->second;
    ++uses[it->second];
  }
  auto report = [&] {
    if (progress) progress(done, texts.size());
  };

  std::vector<std::vector<float>> vectors(distinct.size());
  std::vector<std::string> hashes;
  hashes.reserve(distinct.size());
  for (const std::string* t : distinct) hashes.push_back(sha256_hex(*t));
  bool cache = store_ && options_.use_cache;
  std::vector<size_t> missing;  // slots the server must embed
  std::vector<std::optional<std::vector<float>>> cached;
  if (cache) cached = find_cached_embeddings(*store_, options_.model, hashes);
  for (size_t s = 0; s < distinct.size(); ++s) {
    // A cached vector of another dimension is stale (the name now serves another model): asked again.
    if (cache && cached[s] && (dimension_ == 0 || cached[s]->size() == dimension_)) {
      if (dimension_ == 0) dimension_ = cached[s]->size();
      vectors[s] = std::move(*cached[s]);
      ++counters_.cache_hits;
      done += uses[s];
    } else {
      missing.push_back(s);
    }
  }
  report();

  std::vector<const std::string*> to_send;
  for (size_t s : missing) to_send.push_back(distinct[s]);
  for (const std::vector<size_t>& batch : plan_batches(to_send)) {
    std::vector<const std::string*> batch_texts;
    for (size_t b : batch) batch_texts.push_back(to_send[b]);
    std::vector<std::vector<float>> got = send_batch(batch_texts);
    std::vector<CachedEmbedding> rows;
    for (size_t b = 0; b < batch.size(); ++b) {
      size_t s = missing[batch[b]];
      if (cache) rows.push_back({.model = options_.model, .text_hash = hashes[s], .vector = got[b]});
      vectors[s] = std::move(got[b]);
      done += uses[s];
    }
    if (cache) {
      // One transaction a batch: what was paid for is kept even if a later batch fails.
      Transaction tx(store_->db());
      save_cached_embeddings(*store_, rows);
      tx.commit();
    }
    report();
  }

  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    out.push_back(slot[i] == SIZE_MAX ? std::vector<float>(dimension_, 0.0f) : vectors[slot[i]]);
  }
  return out;
}

}  // namespace firstmile
