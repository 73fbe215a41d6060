// mine/github_client.h — GitHub's REST API as a miner needs it: polite, patient, conditional.
//
//   GithubClient gh({.api_url = "https://api.github.com", .token = github_token_from_env()});
//   GithubPage p = gh.get("/repos/QwenLM/Qwen/issues?state=all&per_page=100", stored_etag);
//   if (p.not_modified) ...;                 // 304: nothing changed, no quota spent
//   for (const auto& issue : p.body) ...;    p.next_url: the Link header's rel="next"
//
// What it takes care of:
// - headers: Accept application/vnd.github+json, X-GitHub-Api-Version, the token (sent only to
//   the API's own host; never logged, never put in an error message);
// - conditional requests: the caller's ETag goes out as If-None-Match;
// - the primary rate limit: when x-ratelimit-remaining reaches 0 it waits until
//   x-ratelimit-reset, saying so through `notice`;
// - secondary limits (403/429 with retry-after, or a "secondary rate limit" message): waits
//   retry-after seconds, else backs off;
// - 5xx and network errors: retried with exponential backoff and full jitter;
// - redirects (301/302/307/308, e.g. a renamed repository): followed, and reported in
//   GithubPage::redirected so the caller can record the new name.
// Errors it cannot get past throw Error naming the URL: 401, 404, 410, a malformed body (with
// the line and column), retries exhausted. GraphQL queries (graphql()) go through the same.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "net/http_client.h"

namespace firstmile {

struct GithubClientOptions {
  std::string api_url = "https://api.github.com";
  std::string token;                           // empty: unauthenticated (60 requests an hour)
  int max_retries = 6;                         // per request, for 5xx, network errors, secondary limits
  std::chrono::milliseconds retry_wait{1000};  // first backoff; doubles each retry, full jitter
  std::chrono::milliseconds max_retry_wait{60000};
  long timeout_seconds = 60;
  std::function<void(const std::string&)> log;           // one line per request (--verbose)
  std::function<void(const std::string&)> notice;        // waits for rate limits, retries
  std::function<void(std::chrono::milliseconds)> sleep;  // default: std::this_thread::sleep_for
};

struct GithubPage {
  std::string url;        // the URL asked for
  std::string final_url;  // after redirects
  bool redirected = false;
  bool not_modified = false;  // 304: `body` is null
  bool gone = false;          // 404 or 410 where the caller allowed it: `body` is null
  nlohmann::json body;
  std::string etag;
  std::string server_time;           // the response's Date header, ISO 8601 ("" if none)
  std::string next_url;              // Link rel="next", "" on the last page
  std::optional<int64_t> last_page;  // Link rel="last" page number, when given
};

struct GithubCounters {
  int64_t requests = 0;      // HTTP requests sent, retries included
  int64_t not_modified = 0;  // answered 304
  int64_t retries = 0;
  int64_t rate_limit_waits = 0;
  std::optional<int64_t> remaining;  // x-ratelimit-remaining of the last response
  std::optional<int64_t> reset;      // x-ratelimit-reset (epoch seconds)
};

class GithubClient {
 public:
  explicit GithubClient(GithubClientOptions options);

  // `path_or_url`: an absolute URL (e.g. a Link header's) or a path under the API URL.
  GithubPage get(const std::string& path_or_url, const std::string& etag = "");
  // The same, but a 404 or 410 answers with page.gone instead of an Error: for one issue that
  // may have been deleted, transferred away or be a discussion.
  GithubPage get_if_there(const std::string& path_or_url);
  // POSTs a GraphQL query to graphql_url() with the same waits and retries. GraphQL needs a
  // token (an Error says so before any request). The answer's `data.rateLimit` ({cost,
  // remaining, resetAt}), when the query asks for it, counts like the rate-limit headers: the
  // next request waits for the reset when the last one left less than it cost; an answer whose
  // `errors` say RATE_LIMITED waits for the reset and asks again. Any other `errors` come back
  // in page.body for the caller to read (a missing issue is an error there, not a failure).
  GithubPage graphql(const std::string& query, const nlohmann::json& variables);
  // {api}/graphql; for GitHub Enterprise's https://HOST/api/v3, https://HOST/api/graphql.
  std::string graphql_url() const;
  bool has_token() const { return !options_.token.empty(); }

  const GithubCounters& counters() const { return counters_; }
  const std::string& api_url() const { return options_.api_url; }

 private:
  GithubPage fetch(const std::string& path_or_url, const std::string& etag, bool gone_ok,
                   const std::string* post_body = nullptr);
  HttpResponse send(const std::string& url, const std::string& etag, const std::string* post_body);
  void wait(std::chrono::milliseconds how_long, const std::string& why);
  std::chrono::milliseconds backoff(int attempt);
  void note_rate_limit(const HttpResponse& r);

  GithubClientOptions options_;
  HttpClient http_;
  GithubCounters counters_;
  std::mt19937_64 jitter_;
};

// GITHUB_TOKEN, else GH_TOKEN, else "".
std::string github_token_from_env();

// The integer value of a query parameter ("page" in "...?per_page=100&page=3"), if present.
std::optional<int64_t> query_int(const std::string& url, const std::string& name);

// The URL of rel="next" (or another rel) in a Link header; "" if absent.
std::string link_url(const std::string& link_header, const std::string& rel);

}  // namespace firstmile
