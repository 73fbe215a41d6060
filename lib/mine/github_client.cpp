// mine/github_client.cpp — retries, waits and redirects around one GET.
#include "mine/github_client.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "base/clock.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "base/version.h"

namespace firstmile {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::optional<int64_t> header_int(const HttpResponse& r, const std::string& name) {
  std::string v = r.header(name);
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (end == v.c_str()) return std::nullopt;
  return n;
}

// GitHub's error bodies are {"message": "...", "documentation_url": "..."}.
std::string message_of(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  std::string m;
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    m = j["message"].get<std::string>();
  } else {
    m = body;
  }
  if (m.size() > 200) m = m.substr(0, 200) + "...";
  return m;
}

// "https://host:port" of an absolute URL.
std::string origin_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

std::string clock_text(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &tm);
  return text;
}

std::string duration_text(milliseconds d) {
  auto s = std::chrono::duration_cast<seconds>(d).count();
  if (s < 120) return std::to_string(std::max<long long>(s, 0)) + " s";
  return std::to_string(s / 60) + " min";
}

// The page of a 200 or a 304 (not_modified, no body).
void answered(const HttpResponse& r, const std::string& url, GithubPage& page) {
  page.final_url = url;
  page.etag = r.header("etag");
  page.server_time = http_date_to_iso8601(r.header("date"));
  if (r.status == 304) {
    page.not_modified = true;
    return;
  }
  page.body = parse_json(r.body, url);
  std::string link = r.header("link");
  page.next_url = link_url(link, "next");
  std::string last = link_url(link, "last");
  page.last_page = query_int(last, "page");
}

// An answer no retry or wait will change: an Error with the URL, GitHub's message and a hint.
[[noreturn]] void refused(const HttpResponse& r, const std::string& url) {
  // A server may echo the Authorization header it refused.
  std::string why = redact_secrets(message_of(r.body));
  if (r.status == 401) {
    throw Error(url + ": HTTP 401 " + why + " (check GITHUB_TOKEN or GH_TOKEN; the token is not shown)");
  }
  if (r.status == 404) throw Error(url + ": HTTP 404 " + why + " (no such repository, or the token cannot see it)");
  if (r.status == 410) throw Error(url + ": HTTP 410 " + why + " (issues are disabled for this repository?)");
  throw Error(url + ": HTTP " + std::to_string(r.status) + " " + why);
}

// Whether a GraphQL answer's errors say the rate limit is used up.
bool graphql_rate_limited(const nlohmann::json& body) {
  auto errors = body.find("errors");
  if (errors == body.end() || !errors->is_array()) return false;
  for (const nlohmann::json& e : *errors) {
    if (e.is_object() && e.value("type", nlohmann::json()) == "RATE_LIMITED") return true;
  }
  return false;
}

// data.rateLimit.resetAt as epoch seconds, when the answer has it.
std::optional<int64_t> graphql_reset(const nlohmann::json& body) {
  auto data = body.find("data");
  if (data == body.end() || !data->is_object()) return std::nullopt;
  auto limit = data->find("rateLimit");
  if (limit == data->end() || !limit->is_object()) return std::nullopt;
  auto reset = limit->find("resetAt");
  if (reset == limit->end() || !reset->is_string()) return std::nullopt;
  return parse_iso8601_utc(reset->get<std::string>());
}

}  // namespace

std::optional<int64_t> query_int(const std::string& url, const std::string& name) {
  auto query = url.find('?');
  if (query == std::string::npos) return std::nullopt;
  std::string key = name + "=";
  for (size_t p = url.find(key, query); p != std::string::npos; p = url.find(key, p + 1)) {
    // "per_page=" also ends in "page=": take only a parameter that starts there.
    if (url[p - 1] == '?' || url[p - 1] == '&') return std::strtoll(url.c_str() + p + key.size(), nullptr, 10);
  }
  return std::nullopt;
}

std::string github_token_from_env() {
  for (const char* name : {"GITHUB_TOKEN", "GH_TOKEN"}) {
    const char* v = std::getenv(name);
    if (v && *v) {
      register_secret(v);  // never on screen or in the database, whoever echoes it
      return v;
    }
  }
  return "";
}

std::string link_url(const std::string& link_header, const std::string& rel) {
  // <https://api.github.com/...&page=2>; rel="next", <...&page=9>; rel="last"
  std::string wanted = "rel=\"" + rel + "\"";
  size_t pos = 0;
  while (pos < link_header.size()) {
    size_t open = link_header.find('<', pos);
    if (open == std::string::npos) break;
    size_t close = link_header.find('>', open);
    if (close == std::string::npos) break;
    size_t end = link_header.find(',', close);
    std::string params = link_header.substr(close + 1, end == std::string::npos ? std::string::npos : end - close - 1);
    if (params.find(wanted) != std::string::npos) return link_header.substr(open + 1, close - open - 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

GithubClient::GithubClient(GithubClientOptions options)
    : options_(std::move(options)),
      http_(HttpOptions{.connect_timeout_seconds = std::min<long>(20, options_.timeout_seconds),
                        .timeout_seconds = options_.timeout_seconds,
                        .user_agent = std::string("firstmile/") + kToolVersion}),
      jitter_(std::random_device{}()) {
  while (!options_.api_url.empty() && options_.api_url.back() == '/') options_.api_url.pop_back();
  register_secret(options_.token);  // whoever echoes it, it is not shown or stored
  if (!options_.sleep) options_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

void GithubClient::wait(milliseconds how_long, const std::string& why) {
  if (options_.notice) options_.notice(redact_secrets(why));
  options_.sleep(how_long);
}

milliseconds GithubClient::backoff(int attempt) {
  // Full jitter: uniform in [0, min(cap, base * 2^attempt)], so clients that failed together
  // do not come back together.
  auto ceiling = std::min(options_.max_retry_wait, options_.retry_wait * (int64_t{1} << std::min(attempt, 20)));
  std::uniform_int_distribution<int64_t> pick(ceiling.count() / 2, std::max<int64_t>(ceiling.count(), 1));
  return milliseconds(pick(jitter_));
}

void GithubClient::note_rate_limit(const HttpResponse& r) {
  if (auto v = header_int(r, "x-ratelimit-remaining")) counters_.remaining = *v;
  if (auto v = header_int(r, "x-ratelimit-reset")) counters_.reset = *v;
}

HttpResponse GithubClient::send(const std::string& url, const std::string& etag, const std::string* post_body) {
  // Out of quota after the last response: wait for the window to reset before asking again.
  if (counters_.remaining && *counters_.remaining <= 0 && counters_.reset) {
    int64_t now = std::time(nullptr);
    if (*counters_.reset >= now) {
      ++counters_.rate_limit_waits;
      wait(seconds(*counters_.reset - now + 1), "rate limit used up; waiting until " + clock_text(*counters_.reset) +
                                                    " UTC (" + duration_text(seconds(*counters_.reset - now + 1)) +
                                                    ")");
    }
    counters_.remaining.reset();
  }
  std::vector<std::string> headers = {"Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28"};
  // The token goes only to the API's own host, not to wherever a redirect points.
  if (!options_.token.empty() && origin_of(url) == origin_of(options_.api_url)) {
    headers.push_back("Authorization: Bearer " + options_.token);
  }
  if (!etag.empty()) headers.push_back("If-None-Match: " + etag);
  if (post_body) headers.push_back("Content-Type: application/json");
  ++counters_.requests;
  auto start = std::chrono::steady_clock::now();
  HttpResponse r = post_body ? http_.post(url, headers, *post_body) : http_.get(url, headers);
  if (options_.log) {
    auto ms = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
    std::string line = std::string(post_body ? "POST " : "GET ") + url + " -> " + std::to_string(r.status) + " (" +
                       std::to_string(ms) + " ms";
    if (!r.header("x-ratelimit-remaining").empty()) line += ", " + r.header("x-ratelimit-remaining") + " left";
    options_.log(redact_secrets(line + ")"));
  }
  return r;
}

GithubPage GithubClient::get(const std::string& path_or_url, const std::string& etag) {
  return fetch(path_or_url, etag, false);
}

GithubPage GithubClient::get_if_there(const std::string& path_or_url) { return fetch(path_or_url, "", true); }

GithubPage GithubClient::fetch(const std::string& path_or_url, const std::string& etag, bool gone_ok,
                               const std::string* post_body) {
  std::string url = path_or_url.find("://") != std::string::npos ? path_or_url : options_.api_url + path_or_url;
  GithubPage page;
  page.url = url;
  int attempt = 0;
  int redirects = 0;
  int limit_waits = 0;
  auto retry_or_throw = [&](const std::string& problem, std::optional<milliseconds> how_long) {
    if (attempt >= options_.max_retries) {
      throw Error(url + ": " + problem + " (gave up after " + std::to_string(attempt) + " retries)");
    }
    milliseconds d = how_long ? *how_long : backoff(attempt);
    ++attempt;
    ++counters_.retries;
    wait(d, problem + "; retry " + std::to_string(attempt) + " of " + std::to_string(options_.max_retries) + " in " +
                duration_text(d));
  };
  for (;;) {
    HttpResponse r;
    try {
      r = send(url, page.redirected ? "" : etag, post_body);
    } catch (const NetworkError& e) {
      retry_or_throw(e.what(), std::nullopt);
      continue;
    }
    note_rate_limit(r);
    long status = r.status;
    if (status == 304 || (status >= 200 && status < 300)) {
      answered(r, url, page);
      if (page.not_modified) ++counters_.not_modified;
      return page;
    }
    if (status == 301 || status == 302 || status == 307 || status == 308) {
      std::string location = r.header("location");
      if (location.empty()) throw Error(url + ": HTTP " + std::to_string(status) + " without a Location header");
      if (++redirects > 5) throw Error(url + ": too many redirects");
      url = location.find("://") != std::string::npos ? location : origin_of(url) + location;
      page.redirected = true;
      continue;
    }
    if ((status == 403 || status == 429) && r.header("x-ratelimit-remaining") == "0" && counters_.reset) {
      // Primary limit: waiting for the reset is not a failure, so it does not use up retries.
      if (++limit_waits > 10) throw Error(url + ": still rate limited after 10 waits for the reset");
      continue;  // send() waits for the reset first
    }
    std::string retry_after = r.header("retry-after");
    if (status == 429 || (status == 403 && (!retry_after.empty() ||
                                            message_of(r.body).find("secondary rate limit") != std::string::npos))) {
      std::optional<milliseconds> d;
      if (auto s = header_int(r, "retry-after"))
        d = seconds(std::max<int64_t>(*s, 1));
      else
        d = std::max(backoff(attempt), options_.retry_wait * 60);  // GitHub: wait at least a minute
      ++counters_.rate_limit_waits;
      retry_or_throw("secondary rate limit (HTTP " + std::to_string(status) + ")", d);
      continue;
    }
    if (status >= 500) {
      retry_or_throw("HTTP " + std::to_string(status), std::nullopt);
      continue;
    }
    if (gone_ok && (status == 404 || status == 410)) {
      page.gone = true;
      page.final_url = url;
      return page;
    }
    refused(r, url);
  }
}

std::string GithubClient::graphql_url() const {
  const std::string& api = options_.api_url;
  const std::string v3 = "/api/v3";
  if (api.size() >= v3.size() && api.compare(api.size() - v3.size(), v3.size(), v3) == 0) {
    return api.substr(0, api.size() - v3.size()) + "/api/graphql";
  }
  return api + "/graphql";
}

GithubPage GithubClient::graphql(const std::string& query, const nlohmann::json& variables) {
  const std::string url = graphql_url();
  if (options_.token.empty()) {
    throw Error(url + ": GitHub's GraphQL API needs a token (set GITHUB_TOKEN or GH_TOKEN)");
  }
  const std::string body = nlohmann::json{{"query", query}, {"variables", variables}}.dump();
  for (int limit_waits = 0;; ++limit_waits) {
    GithubPage page = fetch(url, "", false, &body);
    if (!page.body.is_object()) return page;  // the caller names what is wrong with it
    if (graphql_rate_limited(page.body)) {
      // GraphQL answers a used-up limit with 200 and an error; the headers (or, failing them,
      // a minute) say when it resets, and send() waits for that before asking again.
      if (limit_waits >= 10) throw Error(url + ": still rate limited after 10 waits for the reset");
      counters_.remaining = 0;
      if (!counters_.reset || *counters_.reset < std::time(nullptr)) counters_.reset = std::time(nullptr) + 60;
      if (auto reset = graphql_reset(page.body)) counters_.reset = *reset;
      continue;
    }
    auto data = page.body.find("data");
    if (data != page.body.end() && data->is_object()) {
      auto limit = data->find("rateLimit");
      if (limit != data->end() && limit->is_object()) {
        const nlohmann::json& remaining = limit->value("remaining", nlohmann::json());
        const nlohmann::json& cost = limit->value("cost", nlohmann::json());
        if (remaining.is_number_integer()) {
          int64_t left = remaining.get<int64_t>();
          // The next query costs about what this one did: too little left means waiting now.
          if (cost.is_number_integer() && left < cost.get<int64_t>()) left = 0;
          counters_.remaining = left;
        }
        if (auto reset = graphql_reset(page.body)) counters_.reset = *reset;
      }
    }
    return page;
  }
}

}  // namespace firstmile
