// fake_llm.cpp — cpp-httplib server with scripted chat-completion answers and a concurrency gauge.
#include "fake_llm.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace firstmile::testing {

using nlohmann::json;

FakeReply reply_text(std::string content) {
  FakeReply r;
  r.content = std::move(content);
  return r;
}

FakeReply reply_json(const json& content) { return reply_text(content.dump()); }

FakeReply reply_status(int status, std::string retry_after) {
  FakeReply r;
  r.status = status;
  r.retry_after = std::move(retry_after);
  r.body = json{{"error", {{"message", "fake error " + std::to_string(status)}, {"type", "fake"}}}}.dump();
  return r;
}

FakeReply reply_delay(int delay_ms, FakeReply then) {
  then.delay_ms = delay_ms;
  return then;
}

std::string user_message(const json& request) {
  if (!request.is_object() || !request.contains("messages")) return "";
  for (const json& m : request["messages"]) {
    if (m.value("role", "") == "user") return m.value("content", "");
  }
  return "";
}

struct FakeLlm::State {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex mutex;
  std::condition_variable stopping_cv;
  bool stopping = false;
  std::deque<FakeReply> script;
  std::function<FakeReply(const json&)> responder;
  std::set<std::string> rejected_formats;
  bool keep_requests = true;
  FakeLlmStats stats;
  int concurrent = 0;

  void handle(const httplib::Request& req, httplib::Response& res);
};

void FakeLlm::State::handle(const httplib::Request& req, httplib::Response& res) {
  FakeLlmRequest seen;
  seen.raw_body = req.body;
  seen.body = json::parse(req.body, nullptr, false);
  if (seen.body.is_discarded()) seen.body = nullptr;
  seen.authorization = req.get_header_value("Authorization");
  seen.path = req.path;
  for (const auto& [name, value] : req.headers) seen.all_headers += name + ": " + value + "\n";

  FakeReply reply;
  {
    std::unique_lock<std::mutex> lock(mutex);
    stats.max_concurrent = std::max(stats.max_concurrent, ++concurrent);
    if (keep_requests) stats.requests.push_back(seen);
    std::string format;
    if (seen.body.is_object() && seen.body.contains("response_format")) {
      format = seen.body["response_format"].value("type", "");
    }
    if (!format.empty() && rejected_formats.count(format)) {
      reply = reply_status(400);
      reply.body = json{{"error",
                         {{"message", "response_format type '" + format + "' is not supported"},
                          {"type", "invalid_request_error"},
                          {"param", "response_format"}}}}
                       .dump();
    } else if (!script.empty()) {
      reply = script.front();
      script.pop_front();
    } else if (responder) {
      auto respond = responder;
      lock.unlock();
      reply = respond(seen.body);
      lock.lock();
    } else {
      reply = reply_text("{}");
    }
    if (reply.delay_ms > 0) {
      // Interruptible, so that the server stops at once when the test is over.
      stopping_cv.wait_for(lock, std::chrono::milliseconds(reply.delay_ms), [&] { return stopping; });
    }
    --concurrent;
  }

  res.status = reply.status;
  if (!reply.retry_after.empty()) res.set_header("Retry-After", reply.retry_after);
  if (!reply.body.empty()) {
    res.set_content(reply.body, "application/json");
    return;
  }
  json completion = {{"id", "chatcmpl-fake"},
                     {"object", "chat.completion"},
                     {"model", !reply.model.empty()    ? reply.model
                               : seen.body.is_object() ? seen.body.value("model", "")
                                                       : ""},
                     {"choices", json::array({{{"index", 0},
                                               {"message", {{"role", "assistant"}, {"content", reply.content}}},
                                               {"finish_reason", "stop"}}})},
                     {"usage",
                      {{"prompt_tokens", reply.prompt_tokens},
                       {"completion_tokens", reply.completion_tokens},
                       {"total_tokens", reply.prompt_tokens + reply.completion_tokens}}}};
  res.set_content(completion.dump(), "application/json");
}

FakeLlm::FakeLlm(int port) : state_(std::make_unique<State>()) {
  State* s = state_.get();
  s->server.Post("/v1/chat/completions",
                 [s](const httplib::Request& req, httplib::Response& res) { s->handle(req, res); });
  s->server.set_tcp_nodelay(true);
  if (port == 0) {
    s->port = s->server.bind_to_any_port("127.0.0.1");
  } else if (s->server.bind_to_port("127.0.0.1", port)) {
    s->port = port;
  } else {
    s->port = -1;
  }
  if (s->port < 0) throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
  s->thread = std::thread([s] { s->server.listen_after_bind(); });
  while (!s->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeLlm::~FakeLlm() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->stopping_cv.notify_all();
  state_->server.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

std::string FakeLlm::url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

void FakeLlm::script(std::vector<FakeReply> replies) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (FakeReply& r : replies) state_->script.push_back(std::move(r));
}

void FakeLlm::set_responder(std::function<FakeReply(const json&)> responder) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->responder = std::move(responder);
}

void FakeLlm::reject_response_formats(std::set<std::string> types) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->rejected_formats = std::move(types);
}

void FakeLlm::keep_requests(bool keep) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->keep_requests = keep;
}

FakeLlmStats FakeLlm::stats() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->stats;
}

}  // namespace firstmile::testing
