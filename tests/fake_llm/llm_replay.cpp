// llm_replay.cpp — reading the answers file, keying requests, and recording the unanswered ones.
#include "llm_replay.h"

#include <string_view>

#include "base/content_hash.h"
#include "base/error.h"

namespace firstmile::testing {

namespace {

using nlohmann::json;

bool is_key(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The error bodies say what happened without the words response_format or json_schema: a
// client that reads those in a 400 takes it for a server without structured output.
FakeReply error_reply(int status, const std::string& type, const std::string& message) {
  FakeReply r;
  r.status = status;
  r.body = json{{"error", {{"message", message}, {"type", type}}}}.dump();
  return r;
}

}  // namespace

std::string replay_key(const json& messages) { return sha256_hex(messages.dump()); }

std::map<std::string, ReplayAnswer> read_replay_answers(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read the answers file");
  std::map<std::string, ReplayAnswer> answers;
  std::map<std::string, int> line_of;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string at = path.string() + ": line " + std::to_string(number) + ": ";
    json j = json::parse(line, nullptr, false);
    if (!j.is_object()) throw Error(at + "not a JSON object (one answer a line: {\"key\", \"model\", \"content\"})");
    for (const char* field : {"key", "model", "content"}) {
      if (!j.contains(field) || !j[field].is_string()) throw Error(at + "\"" + field + "\" must be a string");
    }
    ReplayAnswer a{j["model"].get<std::string>(), j["content"].get<std::string>()};
    std::string key = j["key"].get<std::string>();
    if (!is_key(key)) throw Error(at + "\"key\" must be 64 lower-case hex digits (the SHA-256 of the messages)");
    if (a.model.empty()) throw Error(at + "\"model\" is empty: name the model that answered");
    auto [it, fresh] = answers.emplace(key, a);
    if (!fresh && (it->second.model != a.model || it->second.content != a.content)) {
      throw Error(at + "key " + key + " was answered differently on line " + std::to_string(line_of[key]));
    }
    line_of.emplace(key, number);
  }
  return answers;
}

LlmReplay::LlmReplay(std::map<std::string, ReplayAnswer> answers, std::filesystem::path record)
    : answers_(std::move(answers)), record_path_(std::move(record)) {
  {
    std::ifstream in(record_path_, std::ios::binary);
    int number = 0;
    for (std::string line; in && std::getline(in, line);) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json j = json::parse(line, nullptr, false);
      if (!j.is_object() || !j.contains("key") || !j["key"].is_string()) {
        throw Error(record_path_.string() + ": line " + std::to_string(number) +
                    ": not a recorded request (a JSON object with a \"key\")");
      }
      recorded_keys_.insert(j["key"].get<std::string>());
    }
  }
  record_.open(record_path_, std::ios::binary | std::ios::app);
  if (!record_) throw Error(record_path_.string() + ": cannot write the record of requests");
}

void LlmReplay::record(const std::string& key, const json& request) {
  if (!recorded_keys_.insert(key).second) return;
  json line = {{"key", key},
               {"model", request.value("model", "")},
               {"messages", request["messages"]},
               {"response_format", request.contains("response_format") ? request["response_format"] : json(nullptr)}};
  record_ << line.dump() << '\n';
  record_.flush();  // a line at a time: the record is whole even if the server is killed
  if (!record_) throw Error(record_path_.string() + ": cannot append a request");
  ++counts_.recorded;
}

FakeReply LlmReplay::respond(const json& request) {
  if (!request.is_object() || !request.contains("messages") || !request["messages"].is_array()) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_.refused;
    return error_reply(400, "invalid_request_error", "the request has no messages array");
  }
  std::string key = replay_key(request["messages"]);
  std::string asked = request.value("model", "");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = answers_.find(key);
  if (it == answers_.end()) {
    record(key, request);
    ++counts_.unanswered;
    FakeReply r = error_reply(503, "replay_unanswered",
                              "no answer is recorded for this request yet (llm_replay_server wrote it to its "
                              "record of requests)");
    r.retry_after = "0";
    return r;
  }
  const ReplayAnswer& answer = it->second;
  if (asked != answer.model) {
    ++counts_.refused;
    return error_reply(404, "model_not_found",
                       "the recorded answer to this request is by model '" + answer.model + "', not '" + asked +
                           "': ask with --llm-model '" + answer.model + "' so that the labels name it");
  }
  ++counts_.answered;
  FakeReply r = reply_text(answer.content);
  r.model = answer.model;
  r.prompt_tokens = 0;  // not counted: no model ran here
  r.completion_tokens = 0;
  return r;
}

ReplayCounts LlmReplay::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

}  // namespace firstmile::testing
