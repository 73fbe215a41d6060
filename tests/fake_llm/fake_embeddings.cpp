// fake_embeddings.cpp — cpp-httplib server answering /v1/embeddings with vectors made from the texts.
#include "fake_embeddings.h"

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace firstmile::testing {

using nlohmann::json;

FakeEmbeddingReply embedding_status(int status, std::string retry_after) {
  FakeEmbeddingReply r;
  r.status = status;
  r.retry_after = std::move(retry_after);
  r.body = json{{"error", {{"message", "fake error " + std::to_string(status)}, {"type", "fake"}}}}.dump();
  return r;
}

FakeEmbeddingReply embedding_body(std::string body) {
  FakeEmbeddingReply r;
  r.body = std::move(body);
  return r;
}

std::vector<float> fake_embedding(const std::string& text, int dimension) {
  // FNV-1a of the text, then a 64-bit LCG: the same text, the same vector, on every machine.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  std::vector<float> v;
  for (int i = 0; i < dimension; ++i) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    v.push_back(static_cast<float>(static_cast<double>(h >> 11) / static_cast<double>(1ull << 53) * 4.0 - 2.0));
  }
  return v;
}

struct FakeEmbeddings::State {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  int dimension = 8;
  mutable std::mutex mutex;
  std::deque<FakeEmbeddingReply> script;
  std::function<void(json&)> editor;
  bool reverse = false;
  FakeEmbeddingStats stats;

  void handle(const httplib::Request& req, httplib::Response& res);
};

void FakeEmbeddings::State::handle(const httplib::Request& req, httplib::Response& res) {
  FakeEmbeddingRequest seen;
  seen.raw_body = req.body;
  seen.body = json::parse(req.body, nullptr, false);
  if (seen.body.is_discarded()) seen.body = nullptr;
  seen.authorization = req.get_header_value("Authorization");
  seen.path = req.path;

  std::lock_guard<std::mutex> lock(mutex);
  stats.requests.push_back(seen);
  const json input = seen.body.is_object() ? seen.body.value("input", json()) : json();
  if (input.is_array()) stats.texts += static_cast<int>(input.size());
  if (!script.empty()) {
    FakeEmbeddingReply r = script.front();
    script.pop_front();
    res.status = r.status;
    if (!r.retry_after.empty()) res.set_header("Retry-After", r.retry_after);
    res.set_content(r.body, "application/json");
    return;
  }
  if (!input.is_array()) {
    res.status = 400;
    res.set_content(R"({"error": {"message": "input must be an array of strings"}})", "application/json");
    return;
  }
  json data = json::array();
  int tokens = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    std::string text = input[i].is_string() ? input[i].get<std::string>() : input[i].dump();
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", fake_embedding(text, dimension)}});
    tokens += 1 + static_cast<int>(text.size() / 4);
  }
  if (reverse) data = json(std::vector<json>(data.rbegin(), data.rend()));
  json reply = {{"object", "list"},
                {"data", std::move(data)},
                {"model", seen.body.value("model", "")},
                {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
  if (editor) editor(reply);
  res.set_content(reply.dump(), "application/json");
}

FakeEmbeddings::FakeEmbeddings(int dimension) : state_(std::make_unique<State>()) {
  State* s = state_.get();
  s->dimension = dimension;
  s->server.Post("/v1/embeddings", [s](const httplib::Request& req, httplib::Response& res) { s->handle(req, res); });
  s->port = s->server.bind_to_any_port("127.0.0.1");
  if (s->port < 0) throw std::runtime_error("cannot listen on 127.0.0.1");
  s->thread = std::thread([s] { s->server.listen_after_bind(); });
  while (!s->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeEmbeddings::~FakeEmbeddings() {
  state_->server.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

std::string FakeEmbeddings::url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

void FakeEmbeddings::script(std::vector<FakeEmbeddingReply> replies) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (FakeEmbeddingReply& r : replies) state_->script.push_back(std::move(r));
}

void FakeEmbeddings::edit_replies(std::function<void(json&)> editor) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->editor = std::move(editor);
}

void FakeEmbeddings::reverse_order(bool reverse) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->reverse = reverse;
}

void FakeEmbeddings::set_dimension(int dimension) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->dimension = dimension;
}

FakeEmbeddingStats FakeEmbeddings::stats() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->stats;
}

}  // namespace firstmile::testing
