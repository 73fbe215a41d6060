// fake_llm.h — a loopback server that speaks OpenAI-style chat completions, answering as told.
//
//   FakeLlm llm;                                        // listens on 127.0.0.1, a free port
//   FakeLlm fixed(8089);                                // ... or that port (throws if taken)
//   llm.script({reply_status(429, "2"), reply_json({{"is_failure", true}, ...})});  // next answers, in order
//   llm.set_responder([](const nlohmann::json& request) { return reply_text("..."); });  // then this
//   LlmClient client({.base_url = llm.url(), .model = "m"});
//   llm.stats().requests[0].authorization, llm.stats().max_concurrent
//
// POST /v1/chat/completions takes the next scripted reply, else asks the responder, else
// answers "{}". A reply can be content (a chat.completion with usage), an HTTP status with an
// OpenAI-style error body (and retry-after), a raw body, or a delay longer than a client's
// timeout. `reject_response_formats({"json_schema"})` makes the server answer 400 to requests
// whose response_format has that type, as servers without structured output do. Every request
// is recorded, with its headers (unless keep_requests(false)), and the largest number of
// requests handled at once.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile::testing {

struct FakeReply {
  int status = 200;
  std::string content;      // 200: the assistant message's content
  std::string model;        // 200: the completion's model; empty: the one asked for
  std::string body;         // non-empty: sent as is instead
  std::string retry_after;  // the Retry-After header, when non-empty
  int delay_ms = 0;         // wait before answering
  int prompt_tokens = 100;
  int completion_tokens = 20;
};

FakeReply reply_text(std::string content);
FakeReply reply_json(const nlohmann::json& content);
FakeReply reply_status(int status, std::string retry_after = "");
FakeReply reply_delay(int delay_ms, FakeReply then);

struct FakeLlmRequest {
  nlohmann::json body;  // as parsed (null if it was not JSON)
  std::string raw_body;
  std::string authorization;
  std::string all_headers;  // "Name: value" lines, to look for what must not be there
  std::string path;
};

struct FakeLlmStats {
  std::vector<FakeLlmRequest> requests;
  int max_concurrent = 0;
};

class FakeLlm {
 public:
  explicit FakeLlm(int port = 0);  // 0: any free port
  ~FakeLlm();
  FakeLlm(const FakeLlm&) = delete;
  FakeLlm& operator=(const FakeLlm&) = delete;

  std::string url() const;                      // http://127.0.0.1:PORT (no /v1)
  void script(std::vector<FakeReply> replies);  // appended to what is left
  void set_responder(std::function<FakeReply(const nlohmann::json& request)> responder);
  void reject_response_formats(std::set<std::string> types);
  void keep_requests(bool keep);  // false: stats() keeps no requests (a long-running server)
  FakeLlmStats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The user message of a recorded request body ("" if none).
std::string user_message(const nlohmann::json& request);

}  // namespace firstmile::testing
