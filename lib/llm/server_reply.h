// llm/server_reply.h — what the chat and embedding clients do alike with an OpenAI-style server:
// its endpoints, its replies, and their key kept out of what they say.
//
//   openai_endpoint("http://h:8000/v1/", "embeddings") == "http://h:8000/v1/embeddings"
//   std::string why = server_error_message(r.body);          // "model 'x' not found"
//   std::optional<milliseconds> wait = retry_after(r);       // Retry-After, seconds or an HTTP date
//   std::string line = without_key(message, api_key);        // the key and every secret redacted
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace firstmile {

struct HttpResponse;  // net/http_client.h

// `base_url` + "/v1/" + `path`, with or without a trailing "/" or "/v1" in base_url.
std::string openai_endpoint(std::string base_url, const std::string& path);

// `text` with every occurrence of `key` (if any) and every registered secret redacted.
std::string without_key(std::string text, const std::string& key);

// The message of an error body: OpenAI-style {"error": {"message": ...}}, {"error": "..."},
// {"message": ...} or {"detail": ...}; else the body itself. One line, at most 300 characters.
std::string server_error_message(const std::string& body);

// The Retry-After header as a wait: seconds (possibly fractional) or an HTTP date; nullopt when
// absent or unreadable.
std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response);

// "250 ms" or "3 s", for notices about waits.
std::string duration_text(std::chrono::milliseconds d);

}  // namespace firstmile
