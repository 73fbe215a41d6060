// net/json_poster.cpp — JSON POSTs through HttpClient, with the headers a JSON API wants.
#include "net/json_poster.h"

#include <algorithm>

#include "base/version.h"

namespace firstmile {

namespace {
HttpOptions options_for(double timeout_seconds) {
  HttpOptions o;
  o.timeout_ms = std::max(1L, static_cast<long>(timeout_seconds * 1000));
  o.user_agent = std::string("firstmile/") + kToolVersion;
  return o;
}
}  // namespace

JsonPoster::JsonPoster(double timeout_seconds) : http_(options_for(timeout_seconds)) {}

HttpResponse JsonPoster::post(const std::string& url, const std::vector<std::string>& headers,
                              const std::string& body) {
  std::vector<std::string> all = {"Content-Type: application/json", "Accept: application/json"};
  all.insert(all.end(), headers.begin(), headers.end());
  return http_.post(url, all, body);
}

}  // namespace firstmile
