// llm/server_reply.cpp — endpoints, error messages, Retry-After and key redaction for an
// OpenAI-style server.
#include "llm/server_reply.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "base/json_file.h"
#include "base/redact.h"
#include "base/text.h"
#include "net/http_client.h"

namespace firstmile {

using nlohmann::json;
using std::chrono::milliseconds;

std::string openai_endpoint(std::string base_url, const std::string& path) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (base_url.size() >= 3 && base_url.compare(base_url.size() - 3, 3, "/v1") == 0)
    base_url.resize(base_url.size() - 3);
  return base_url + "/v1/" + path;
}

std::string without_key(std::string text, const std::string& key) {
  if (!key.empty()) {
    for (size_t p = text.find(key); p != std::string::npos; p = text.find(key, p))
      text.replace(p, key.size(), "<redacted>");
  }
  return redact_secrets(text);
}

std::string server_error_message(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  std::string m = body;
  if (j.is_object()) {
    if (j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
        j["error"]["message"].is_string()) {
      m = j["error"]["message"].get<std::string>();
    } else if (j.contains("error") && j["error"].is_string()) {
      m = j["error"].get<std::string>();
    } else if (j.contains("message") && j["message"].is_string()) {
      m = j["message"].get<std::string>();
    } else if (j.contains("detail")) {
      m = j["detail"].is_string() ? j["detail"].get<std::string>() : json_text(j["detail"]);
    }
  }
  m = normalize_space(m);
  if (m.size() > 300) m = m.substr(0, 300) + "...";
  return m;
}

std::optional<milliseconds> retry_after(const HttpResponse& r) {
  std::string v = r.header("retry-after");
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  double seconds = std::strtod(v.c_str(), &end);
  if (end != v.c_str() && std::isfinite(seconds)) {
    return milliseconds(static_cast<int64_t>(std::clamp(seconds, 0.0, 86400.0) * 1000));
  }
  time_t when = curl_getdate(v.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  return milliseconds(std::max<int64_t>(0, (static_cast<int64_t>(when) - std::time(nullptr)) * 1000));
}

std::string duration_text(milliseconds d) {
  if (d.count() < 1000) return std::to_string(d.count()) + " ms";
  return std::to_string(d.count() / 1000) + " s";
}

}  // namespace firstmile
