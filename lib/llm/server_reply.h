// llm/server_reply.h — what the chat and embedding clients read alike from an OpenAI-style server's reply.
//
//   std::string why = server_error_message(r.body);          // "model 'x' not found"
//   std::optional<milliseconds> wait = retry_after(r);       // Retry-After, seconds or an HTTP date
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace firstmile {

struct HttpResponse;  // net/http_client.h

// The message of an error body: OpenAI-style {"error": {"message": ...}}, {"error": "..."},
// {"message": ...} or {"detail": ...}; else the body itself. One line, at most 300 characters.
std::string server_error_message(const std::string& body);

// The Retry-After header as a wait: seconds (possibly fractional) or an HTTP date; nullopt when
// absent or unreadable.
std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response);

// "250 ms" or "3 s", for notices about waits.
std::string duration_text(std::chrono::milliseconds d);

}  // namespace firstmile
