// fake_embeddings.h — a loopback server that speaks OpenAI-style /v1/embeddings, as FakeLlm does chat.
//
//   FakeEmbeddings server;                               // 127.0.0.1, a free port; 8 dimensions
//   server.script({embedding_status(429, "0")});         // next replies, in order; then real ones
//   server.edit_replies([](nlohmann::json& reply) { reply["data"][0].erase("embedding"); });
//   EmbeddingClient client({.base_url = server.url(), .model = "m"});
//   server.stats().requests.size(), server.stats().requests[0].body["input"]
//
// POST /v1/embeddings answers {"object": "list", "data": [{"object": "embedding", "index": i,
// "embedding": [...]}], "model", "usage": {"prompt_tokens", "total_tokens"}} with a vector per
// input text that depends on the text only (fake_embedding: not normalised, so that a client
// must normalise), in reverse order of index when reverse_order(true) (a client must place them
// by index). A scripted reply (an error status, or a raw body) is taken first; an editor, when
// set, may change every real reply before it is sent. Every request is recorded.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile::testing {

struct FakeEmbeddingReply {
  int status = 200;
  std::string body;         // sent as is
  std::string retry_after;  // the Retry-After header, when non-empty
};

// An OpenAI-style error reply.
FakeEmbeddingReply embedding_status(int status, std::string retry_after = "");
// A 200 with this raw body.
FakeEmbeddingReply embedding_body(std::string body);

// The server's vector for `text`: `dimension` values from a hash of the text, in [-2, 2].
std::vector<float> fake_embedding(const std::string& text, int dimension);

struct FakeEmbeddingRequest {
  nlohmann::json body;  // as parsed (null if it was not JSON)
  std::string raw_body;
  std::string authorization;
  std::string path;
};

struct FakeEmbeddingStats {
  std::vector<FakeEmbeddingRequest> requests;
  int texts = 0;  // input texts over all requests
};

class FakeEmbeddings {
 public:
  explicit FakeEmbeddings(int dimension = 8);
  ~FakeEmbeddings();
  FakeEmbeddings(const FakeEmbeddings&) = delete;
  FakeEmbeddings& operator=(const FakeEmbeddings&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT (no /v1)
  void script(std::vector<FakeEmbeddingReply> replies);  // appended to what is left
  void edit_replies(std::function<void(nlohmann::json& reply)> editor);
  void reverse_order(bool reverse);
  void set_dimension(int dimension);
  FakeEmbeddingStats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace firstmile::testing
