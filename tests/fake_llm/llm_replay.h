// llm_replay.h — answers to chat-completion requests recorded beforehand, keyed by a hash of
// the messages, and a record of the requests that have none yet: the logic of
// llm_replay_server (replay_server_main.cpp), so that the LLM route can be measured end to end
// with answers given by a model outside the program.
//
//   LlmReplay replay(read_replay_answers("answers.jsonl"), "requests.jsonl");
//   FakeLlm llm;
//   llm.set_responder([&](const nlohmann::json& request) { return replay.respond(request); });
//   // firstmile classify --route llm --llm-url <llm.url()> --llm-model <the answering model>
//   replay.counts().answered, .recorded, .unanswered
//
// The key of a request is replay_key(request["messages"]): the SHA-256 of the messages array
// dumped as compact JSON with object keys sorted (nlohmann's dump(); Python's
// json.dumps(m, sort_keys=True, separators=(",", ":"), ensure_ascii=False)). Model,
// temperature and response_format are not part of it.
//
// respond():
// - a key with an answer, asked with the model that answered: 200, a chat.completion whose
//   content is the answer and whose `model` is the answering model (usage counts 0 tokens);
// - a key with an answer asked with another model: 404 naming the model to ask for, so that
//   the labels firstmile stores (source llm:MODEL) name the model that really answered;
// - a key without an answer: appended to the record file as one JSON line {"key", "model" (as
//   asked), "messages", "response_format"} — once per key, also across runs, since the keys
//   already in the file are read at start — and answered 503 with an OpenAI-style error body
//   and `Retry-After: 0`, so that a client that retries 5xx (firstmile does, 4 times) retries
//   at once instead of backing off and a recording pass over many issues stays fast.
//
// Answers file: one JSON object a line, {"key": "<64 hex digits>", "model": "who answered",
// "content": "the answer as the model gave it"}; blank lines are skipped. A line that is not
// such an object, or a key answered twice differently, is an Error naming file and line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "fake_llm.h"

namespace firstmile::testing {

struct ReplayAnswer {
  std::string model;    // the model that gave the answer
  std::string content;  // the assistant message's content
};

// By key. Throws firstmile::Error("answers.jsonl: line 3: ...") for a bad line or file.
std::map<std::string, ReplayAnswer> read_replay_answers(const std::filesystem::path& path);

// SHA-256 hex of messages.dump().
std::string replay_key(const nlohmann::json& messages);

struct ReplayCounts {
  int64_t answered = 0;    // requests answered from the file
  int64_t recorded = 0;    // keys appended to the record file by this replay
  int64_t unanswered = 0;  // requests answered 503 (a key recorded before, or now)
  int64_t refused = 0;     // requests answered 4xx (no messages, or asked with another model)
};

class LlmReplay {
 public:
  // Opens `record` for appending (creating it) and reads the keys already in it; throws
  // firstmile::Error when it cannot be read or written.
  LlmReplay(std::map<std::string, ReplayAnswer> answers, std::filesystem::path record);

  // The reply to one request body (as FakeLlm's responder). Safe to call from several threads.
  FakeReply respond(const nlohmann::json& request);

  ReplayCounts counts() const;

 private:
  void record(const std::string& key, const nlohmann::json& request);

  std::map<std::string, ReplayAnswer> answers_;
  std::filesystem::path record_path_;
  mutable std::mutex mutex_;
  std::ofstream record_;
  std::set<std::string> recorded_keys_;
  ReplayCounts counts_;
};

}  // namespace firstmile::testing
