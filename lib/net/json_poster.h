// net/json_poster.h — one JSON POST over a reused libcurl handle, for LlmClient's workers.
//
//   JsonPoster poster(30.0);   // one per thread: a libcurl easy handle is not shared
//   HttpResponse r = poster.post(url, {"Authorization: Bearer ..."}, body_json_text);
//
// Like HttpClient::get: a transport failure (refused, reset, timed out) throws NetworkError
// naming the URL, never a header; an HTTP error status is a normal response.
#pragma once

#include <string>
#include <vector>

#include "net/http_client.h"

namespace firstmile {

class JsonPoster {
 public:
  explicit JsonPoster(double timeout_seconds);
  JsonPoster(const JsonPoster&) = delete;
  JsonPoster& operator=(const JsonPoster&) = delete;

  // `headers` are "Name: value" lines, sent with Content-Type: application/json.
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers, const std::string& body);

 private:
  HttpClient http_;  // reused, so the connection is kept alive
};

}  // namespace firstmile
