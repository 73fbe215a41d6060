// net/http_client.h — plain HTTP GET and POST over libcurl, for the GitHub and LLM clients.
//
//   HttpClient http({.timeout_seconds = 60, .user_agent = "firstmile/0.1"});
//   HttpResponse r = http.get("https://api.github.com/repos/QwenLM/Qwen", {"Accept: application/json"});
//   HttpResponse p = http.post(url, {"Content-Type: application/json"}, body);
//   r.status == 200; r.header("etag"); r.body
//
// Redirects are not followed (the caller decides what a 301 means); bodies are decompressed
// (gzip, deflate). A transport failure — refused, reset, timed out, a broken gzip stream —
// throws NetworkError, which callers may retry; an HTTP error status is a normal response.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"

namespace firstmile {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case; a repeated header keeps its last value
  std::string body;

  // The header's value, or "" when absent. `name` in lower case.
  std::string header(const std::string& name) const;
};

struct HttpOptions {
  long connect_timeout_seconds = 20;
  long timeout_seconds = 120;  // whole request, body included
  long timeout_ms = 0;         // when > 0, used instead of timeout_seconds
  std::string user_agent = "firstmile";
};

class NetworkError : public Error {
 public:
  using Error::Error;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `headers` are "Name: value" lines. Messages of thrown errors name the URL, never a header.
  HttpResponse get(const std::string& url, const std::vector<std::string>& headers);
  // POSTs `body` (sent without an Expect: 100-continue round trip).
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers, const std::string& body);

 private:
  HttpResponse perform(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                       const std::string* body);
  HttpOptions options_;
  void* curl_;  // CURL*, reused so connections are kept alive
};

// An RFC 1123 HTTP date ("Wed, 25 Nov 2026 06:33:05 GMT") as "2026-11-25T06:33:05Z"; "" if unreadable.
std::string http_date_to_iso8601(const std::string& http_date);

}  // namespace firstmile
