// fake_github.cpp — cpp-httplib server with GitHub's listing, paging and caching rules.
// Debian builds cpp-httplib as a shared library with zlib (gzip answers) switched on.
#include "fake_github.h"
#include "fake_graphql.h"

#include <httplib.h>

#include "base/clock.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

namespace firstmile::testing {

using nlohmann::json;

namespace {

std::string iso(std::time_t t) { return iso8601_utc(static_cast<int64_t>(t)); }

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

// GitHub's "reactions" object of an issue or comment, its counts derived from `k` (no dice drawn).
json reactions(const std::string& api_url, int64_t k) {
  json r = {{"url", api_url + "/reactions"}};
  int64_t total = 0, index = 0;
  for (const char* kind : {"+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"}) {
    int64_t n = (k + index++) % 3 == 0 ? k % 5 : 0;  // a few kinds, some counts zero
    r[kind] = n;
    total += n;
  }
  r["total_count"] = total;
  return r;
}

json user(const std::string& login) { return {{"login", login}, {"id", std::hash<std::string>{}(login) % 100000}}; }

// The issue as an event of the repository-wide listing embeds it (GitHub sends the whole issue;
// its identifying part is enough here).
json event_issue(const json& issue) {
  json out = {{"id", issue["id"]},          {"number", issue["number"]},         {"title", issue["title"]},
              {"state", issue["state"]},    {"html_url", issue["html_url"]},     {"created_at", issue["created_at"]},
              {"updated_at", issue["updated_at"]}};
  if (issue.contains("pull_request")) out["pull_request"] = issue["pull_request"];
  return out;
}

const char* const kFailureTitles[] = {
    "RuntimeError: CUDA out of memory when loading the 72B model",
    "KeyError: 'qwen2' with transformers 4.30",
    "Model outputs garbled text after quantization",
    "推理时显存溢出，报错 CUDA error",
    "Fine-tuning with LoRA crashes: NCCL timeout",
    "Generation hangs forever with vLLM 0.4.1",
};
const char* const kOtherTitles[] = {
    "How to cite the paper?",
    "Feature request: add a Docker image",
    "请问支持多轮对话吗",
    "Thanks for the great work",
};

}  // namespace

FakeRepository make_repository(const std::string& owner, const std::string& name, int issues, int comments,
                               uint32_t seed) {
  FakeRepository r;
  r.owner = owner;
  r.name = name;
  r.id = 1000 + static_cast<int64_t>(seed);
  std::mt19937 rng(seed);
  const std::string full = owner + "/" + name;
  const std::time_t base = 1704067200;  // 2024-01-01T00:00:00Z
  for (int i = 1; i <= issues; ++i) {
    std::time_t created = base + static_cast<std::time_t>(i) * 3600;
    std::time_t updated = created + static_cast<std::time_t>(rng() % (86400 * 30));
    bool failure = i % 2 == 1;
    std::string title = failure ? kFailureTitles[rng() % 6] : kOtherTitles[rng() % 4];
    title += " (#" + std::to_string(i) + ")";
    json body;
    if (i % 11 == 0) {
      body = nullptr;
    } else if (i % 5 == 0) {
      body = "我在使用 " + name +
             " 进行推理时遇到问题：\n```\nTraceback (most recent call last):\n  File \"infer.py\", line 3\n"
             "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n```\n请帮忙看看，谢谢！";
    } else if (i == 3) {
      body = std::string(1200000, 'x') + "\nend of a very long log";
    } else {
      body = "Steps to reproduce:\n1. pip install transformers==4.40.0\n2. run the example\n\nIt prints an error.";
    }
    json issue = {{"id", r.id * 100000 + i},
                  {"number", i},
                  {"title", title},
                  {"body", body},
                  {"state", i % 3 == 0 ? "closed" : "open"},
                  {"state_reason", i % 3 == 0 ? json("completed") : json(nullptr)},
                  {"user", user("user" + std::to_string(rng() % 50))},
                  {"author_association", "NONE"},
                  {"labels", i % 4 == 1 ? json::array({json{{"name", "bug"}, {"color", "d73a4a"}}}) : json::array()},
                  {"comments", 0},
                  {"created_at", iso(created)},
                  {"updated_at", iso(updated)},
                  {"closed_at", i % 3 == 0 ? json(iso(updated)) : json(nullptr)},
                  {"html_url", "https://github.com/" + full + "/issues/" + std::to_string(i)},
                  {"repository_url", "https://api.github.com/repos/" + full}};
    issue["reactions"] = reactions("https://api.github.com/repos/" + full + "/issues/" + std::to_string(i), i);
    if (i % 7 == 0) {
      issue["pull_request"] = {{"url", "https://api.github.com/repos/" + full + "/pulls/" + std::to_string(i)}};
      issue["html_url"] = "https://github.com/" + full + "/pull/" + std::to_string(i);
    }
    r.issues.push_back(std::move(issue));
    r.timelines[i] = {{{"id", i * 10 + 1},
                       {"event", "labeled"},
                       {"actor", user("maintainer")},
                       {"created_at", iso(created + 60)},
                       {"label", {{"name", "bug"}, {"color", "d73a4a"}}}},
                      {{"event", "cross-referenced"},
                       {"actor", user("dev")},
                       {"created_at", iso(created + 120)},
                       {"source",
                        {{"type", "issue"},
                         {"issue",
                          {{"number", i + 1000},
                           {"title", "Fix the loader"},
                           {"html_url", "https://github.com/" + full + "/pull/" + std::to_string(i + 1000)},
                           {"pull_request", {{"url", "x"}}}}}}}},
                      {{"id", i * 10 + 2},
                       {"event", "closed"},
                       {"actor", user("maintainer")},
                       {"created_at", iso(updated)},
                       {"commit_id", "0123456789abcdef0123456789abcdef0123" + std::to_string(1000 + i)}}};
  }
  for (const auto& [number, timeline] : r.timelines) {
    for (const json& e : timeline) {
      if (!e.contains("id")) continue;  // cross-references are not in the repository-wide listing
      json event = e;
      event["issue"] = event_issue(r.issues[static_cast<size_t>(number - 1)]);
      r.events.push_back(std::move(event));
    }
  }
  std::sort(r.events.begin(), r.events.end(),
            [](const json& a, const json& b) { return a["id"].get<int64_t>() > b["id"].get<int64_t>(); });
  for (int c = 1; c <= comments && issues > 0; ++c) {
    int number = 1 + static_cast<int>(rng() % static_cast<uint32_t>(issues));
    json& issue = r.issues[static_cast<size_t>(number - 1)];
    issue["comments"] = issue["comments"].get<int64_t>() + 1;
    std::time_t created = base + static_cast<std::time_t>(number) * 3600 + c * 60;
    r.comments.push_back(
        {{"id", r.id * 1000000 + c},
         {"html_url", "https://github.com/" + full + "/issues/" + std::to_string(number) + "#issuecomment-" +
                          std::to_string(r.id * 1000000 + c)},
         {"issue_url", "https://api.github.com/repos/" + full + "/issues/" + std::to_string(number)},
         {"user", user("user" + std::to_string(rng() % 50))},
         {"author_association", c % 4 == 0 ? "CONTRIBUTOR" : "NONE"},
         {"body", c % 9 == 0 ? json(nullptr) : json("Same here, 同样的问题 (comment " + std::to_string(c) + ")")},
         {"created_at", iso(created)},
         {"updated_at", iso(created + (c % 5) * 30)},
         {"reactions", reactions("https://api.github.com/repos/" + full + "/issues/comments/" +
                                     std::to_string(r.id * 1000000 + c),
                                 c)}});
  }
  return r;
}

struct FakeGithub::State {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex mutex;
  std::vector<FakeRepository> repositories;
  FakeFaults faults;
  FakeStats stats;
  std::time_t reset_at = 0;  // primary limit: when the window resets
  int64_t graphql_points = 5000;
  std::time_t graphql_reset = 0;

  void graphql(const httplib::Request& req, httplib::Response& res);
  void handle(const httplib::Request& req, httplib::Response& res);
  void answer_json(const httplib::Request& req, httplib::Response& res, const std::string& body,
                   const std::string& link);
  void listing(const httplib::Request& req, httplib::Response& res, const std::string& self_path,
               const std::vector<json>& all, bool by_updated);
};

namespace {

std::string target_of(const httplib::Request& req) {
  std::string query;
  for (const auto& [k, v] : req.params) query += (query.empty() ? "?" : "&") + k + "=" + v;
  return req.path + query;
}

std::string etag_of(const std::string& body) { return "W/\"" + std::to_string(std::hash<std::string>{}(body)) + "\""; }

int int_param(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  return std::atoi(req.get_param_value(name).c_str());
}

}  // namespace

void FakeGithub::State::answer_json(const httplib::Request& req, httplib::Response& res, const std::string& body,
                                    const std::string& link) {
  const std::string etag = etag_of(body);
  res.set_header("ETag", etag);
  if (!link.empty()) res.set_header("Link", link);
  if (req.get_header_value("If-None-Match") == etag) {
    // GitHub: a 304 does not count against the rate limit.
    ++stats.not_modified;
    res.status = 304;
    return;
  }
  std::string content = body;
  if (!faults.malformed_when.empty() && target_of(req).find(faults.malformed_when) != std::string::npos) {
    content = body.substr(0, body.size() / 2) + "\n{oops";
  }
  if (faults.quota > 0) --faults.quota;
  res.status = 200;
  res.set_content(content, "application/json; charset=utf-8");
  if (req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) ++stats.gzip_responses;
}

void FakeGithub::State::listing(const httplib::Request& req, httplib::Response& res, const std::string& self_path,
                                const std::vector<json>& all, bool by_updated) {
  // Keys and pointers, not copies: a listing of 10,000 issues is sorted for every page asked.
  struct Entry {
    const std::string* updated_at;
    int64_t id;
    const json* item;
  };
  std::vector<Entry> entries;
  entries.reserve(all.size());
  const std::string since = by_updated && req.has_param("since") ? req.get_param_value("since") : "";
  for (const json& j : all) {
    const std::string* updated = by_updated ? &j["updated_at"].get_ref<const std::string&>() : nullptr;
    if (!since.empty() && *updated < since) continue;
    entries.push_back({updated, by_updated ? j["id"].get<int64_t>() : 0, &j});
  }
  if (by_updated) {
    const bool ascending = req.has_param("direction") && req.get_param_value("direction") == "asc";
    std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
      int c = a.updated_at->compare(*b.updated_at);
      if (c != 0) return ascending ? c < 0 : c > 0;
      return ascending ? a.id < b.id : b.id < a.id;
    });
  }
  std::vector<const json*> items;
  items.reserve(entries.size());
  for (const Entry& e : entries) items.push_back(e.item);
  const int per_page = std::clamp(int_param(req, "per_page", 30), 1, 100);
  const int page = std::max(int_param(req, "page", 1), 1);
  const int last = std::max<int>(1, static_cast<int>((items.size() + per_page - 1) / per_page));
  json out = json::array();
  for (size_t i = static_cast<size_t>((page - 1) * per_page);
       i < items.size() && out.size() < static_cast<size_t>(per_page); ++i) {
    out.push_back(*items[i]);
  }
  auto page_url = [&](int p) {
    std::string url = "http://127.0.0.1:" + std::to_string(port) + self_path;
    std::string query;
    for (const auto& [k, v] : req.params) {
      if (k != "page") query += (query.empty() ? "?" : "&") + k + "=" + v;
    }
    return url + query + (query.empty() ? "?" : "&") + "page=" + std::to_string(p);
  };
  std::string link;
  if (page < last) link = "<" + page_url(page + 1) + ">; rel=\"next\", <" + page_url(last) + ">; rel=\"last\"";
  if (page > 1) link += std::string(link.empty() ? "" : ", ") + "<" + page_url(1) + ">; rel=\"first\"";
  answer_json(req, res, out.dump(), link);
}

void FakeGithub::State::handle(const httplib::Request& req, httplib::Response& res) {
  int delay = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    delay = faults.delay_ms;
  }
  if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  std::lock_guard<std::mutex> lock(mutex);
  ++stats.requests;
  stats.targets.push_back(target_of(req));
  std::string auth = req.get_header_value("Authorization");
  if (!auth.empty()) stats.authorizations.push_back(auth);
  const std::time_t now = std::time(nullptr);
  res.set_header("Date", http_date(now));
  res.set_header("X-RateLimit-Limit", "5000");

  auto error = [&](int status, const std::string& message) {
    res.status = status;
    res.set_content(json{{"message", message}, {"documentation_url", "https://docs.github.com/rest"}}.dump(),
                    "application/json; charset=utf-8");
  };
  if (!faults.required_token.empty() && auth != "Bearer " + faults.required_token) {
    return error(401, faults.echo_authorization ? "Bad credentials (Authorization: " + auth + ")" : "Bad credentials");
  }
  if (faults.quota == 0) {
    if (reset_at == 0) reset_at = now + 1;
    if (now < reset_at) {
      res.set_header("X-RateLimit-Remaining", "0");
      res.set_header("X-RateLimit-Reset", std::to_string(reset_at));
      return error(403, "API rate limit exceeded for user ID 1.");
    }
    faults.quota = -1;  // the window reset
    reset_at = 0;
  }
  res.set_header("X-RateLimit-Remaining", std::to_string(faults.quota >= 0 ? faults.quota : 4000));
  res.set_header("X-RateLimit-Reset", std::to_string(now + 3600));
  if (faults.fail_next > 0) {
    --faults.fail_next;
    return error(faults.fail_status, "Server Error");
  }
  if (faults.secondary_next > 0) {
    --faults.secondary_next;
    res.set_header("Retry-After", "1");
    return error(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
  }

  if (req.path == "/_stats") {  // for bench/: what was asked so far
    res.set_content(json{{"requests", stats.requests - 1},
                         {"not_modified", stats.not_modified},
                         {"timeline_requests", stats.timeline_requests},
                         {"event_requests", stats.event_requests},
                         {"graphql_requests", stats.graphql_requests}}
                        .dump(),
                    "application/json");
    stats = {};
    return;
  }

  if (req.method == "POST") {
    if (req.path == "/graphql") return graphql(req, res);
    return error(404, "Not Found");
  }

  // /repos/OWNER/NAME/rest or /repositories/ID/rest
  const std::string& path = req.path;
  FakeRepository* repo = nullptr;
  std::string rest, self_prefix;
  if (path.rfind("/repositories/", 0) == 0) {
    size_t end = path.find('/', 14);
    int64_t id = std::atoll(path.substr(14, end == std::string::npos ? std::string::npos : end - 14).c_str());
    for (auto& r : repositories) {
      if (r.id == id) repo = &r;
    }
    rest = end == std::string::npos ? "" : path.substr(end);
    self_prefix = path.substr(0, end);
  } else if (path.rfind("/repos/", 0) == 0) {
    size_t owner_end = path.find('/', 7);
    size_t name_end = owner_end == std::string::npos ? std::string::npos : path.find('/', owner_end + 1);
    if (owner_end != std::string::npos) {
      std::string full = path.substr(7, name_end == std::string::npos ? std::string::npos : name_end - 7);
      rest = name_end == std::string::npos ? "" : path.substr(name_end);
      self_prefix = "/repos/" + full;
      for (auto& r : repositories) {
        if (r.owner + "/" + r.name == full) repo = &r;
      }
      if (!repo) {
        for (auto& r : repositories) {
          if (r.renamed_from == full) {
            std::string query = target_of(req).substr(path.size());
            res.status = 301;
            res.set_header("Location", "http://127.0.0.1:" + std::to_string(port) + "/repositories/" +
                                           std::to_string(r.id) + rest + query);
            res.set_content(json{{"message", "Moved Permanently"}}.dump(), "application/json");
            return;
          }
        }
      }
    }
  }
  if (!repo) return error(404, "Not Found");
  const std::string full = repo->owner + "/" + repo->name;
  if (rest.empty()) {
    json body = {{"id", repo->id},
                 {"name", repo->name},
                 {"full_name", full},
                 {"owner", user(repo->owner)},
                 {"html_url", "https://github.com/" + full},
                 {"has_issues", true}};
    return answer_json(req, res, body.dump(), "");
  }
  if (rest == "/issues") return listing(req, res, self_prefix + rest, repo->issues, true);
  if (rest == "/issues/comments") return listing(req, res, self_prefix + rest, repo->comments, true);
  if (rest == "/issues/events") {
    ++stats.event_requests;
    if (faults.events_oldest_first) {
      std::vector<json> oldest_first(repo->events.rbegin(), repo->events.rend());
      return listing(req, res, self_prefix + rest, oldest_first, false);
    }
    return listing(req, res, self_prefix + rest, repo->events, false);
  }
  if (rest.rfind("/issues/", 0) == 0 && rest.size() > 17 && rest.substr(rest.size() - 9) == "/comments") {
    // One issue's comments: what miners that ask issue by issue use.
    const std::string issue_url =
        "https://api.github.com/repos/" + full + "/issues/" + rest.substr(8, rest.size() - 17);
    std::vector<json> mine;
    for (const json& c : repo->comments) {
      if (c["issue_url"].get_ref<const std::string&>() == issue_url) mine.push_back(c);
    }
    return listing(req, res, self_prefix + rest, mine, false);
  }
  if (rest.rfind("/issues/", 0) == 0 && rest.size() > 17 && rest.substr(rest.size() - 9) == "/timeline") {
    ++stats.timeline_requests;
    int64_t number = std::atoll(rest.substr(8, rest.size() - 17).c_str());
    auto it = repo->timelines.find(number);
    if (it == repo->timelines.end()) return error(404, "Not Found");
    return listing(req, res, self_prefix + rest, it->second, false);
  }
  if (rest.rfind("/issues/", 0) == 0 && rest.size() > 8 &&
      rest.find_first_not_of("0123456789", 8) == std::string::npos) {
    // One issue (or pull request) by number, as GET /repos/O/N/issues/K answers it.
    const int64_t number = std::atoll(rest.substr(8).c_str());
    for (const json& issue : repo->issues) {
      if (issue["number"].get<int64_t>() == number) return answer_json(req, res, issue.dump(), "");
    }
    return error(404, "Not Found");
  }
  return error(404, "Not Found");
}

void FakeGithub::State::graphql(const httplib::Request& req, httplib::Response& res) {
  ++stats.graphql_requests;
  const std::time_t now = std::time(nullptr);
  auto limit_headers = [&](int64_t remaining, std::time_t reset) {
    res.headers.erase("X-RateLimit-Remaining");
    res.headers.erase("X-RateLimit-Reset");
    res.set_header("X-RateLimit-Remaining", std::to_string(remaining));
    res.set_header("X-RateLimit-Reset", std::to_string(reset));
  };
  if (req.get_header_value("Authorization").empty()) {
    res.status = 401;
    res.set_content(json{{"message", "This endpoint requires you to be authenticated."},
                         {"documentation_url", "https://docs.github.com/graphql/guides/forming-calls-with-graphql"}}
                        .dump(),
                    "application/json; charset=utf-8");
    return;
  }
  if (faults.graphql_rate_limited > 0) {
    --faults.graphql_rate_limited;
    limit_headers(0, now + 1);
    res.status = 200;
    res.set_content(json{{"errors", json::array({{{"type", "RATE_LIMITED"},
                                                  {"code", "graphql_rate_limit"},
                                                  {"message", "API rate limit already exceeded for user ID 1."}}})}}
                        .dump(),
                    "application/json; charset=utf-8");
    return;
  }
  if (!faults.graphql_answer.empty()) {
    res.status = 200;
    res.set_content(faults.graphql_answer, "application/json; charset=utf-8");
    return;
  }
  if (faults.graphql_points >= 0) {
    graphql_points = faults.graphql_points;
    graphql_reset = now + 1;
    faults.graphql_points = -1;
  }
  if (graphql_reset != 0 && now >= graphql_reset) graphql_points = 5000, graphql_reset = 0;
  const std::time_t reset = graphql_reset != 0 ? graphql_reset : now + 3600;
  GraphqlReply reply = answer_graphql(repositories, req.body, graphql_points, iso(reset));
  stats.graphql_issues += reply.issues;
  limit_headers(std::max<int64_t>(graphql_points, 0), reset);
  std::string content = reply.body.dump();
  if (!faults.malformed_when.empty() && target_of(req).find(faults.malformed_when) != std::string::npos) {
    content = content.substr(0, content.size() / 2) + "\n{oops";
  }
  res.status = reply.status;
  res.set_content(content, "application/json; charset=utf-8");
}

void mark_duplicate(FakeRepository& r, int64_t duplicate, int64_t canonical) {
  json& issue = r.issues[static_cast<size_t>(duplicate - 1)];
  const std::time_t at = parse_iso8601_utc(issue["created_at"].get<std::string>()).value_or(0) + 600;
  const int64_t id = duplicate * 10 + 5;
  json event = {{"id", id}, {"event", "marked_as_duplicate"}, {"actor", user("maintainer")}, {"created_at", iso(at)},
                {"commit_id", nullptr}};
  r.timelines[duplicate].push_back(event);
  event["issue"] = event_issue(issue);
  r.events.push_back(event);
  std::sort(r.events.begin(), r.events.end(),
            [](const json& a, const json& b) { return a["id"].get<int64_t>() > b["id"].get<int64_t>(); });
  r.duplicate_of[duplicate] = canonical;
}

void add_cross_references(FakeRepository& r, int64_t number, int count) {
  const std::string full = r.owner + "/" + r.name;
  const json& issue = r.issues[static_cast<size_t>(number - 1)];
  const std::time_t created = parse_iso8601_utc(issue["created_at"].get<std::string>()).value_or(0);
  for (int k = 0; k < count; ++k) {
    const int64_t from = 50000 + number * 1000 + k;
    r.timelines[number].push_back(
        {{"event", "cross-referenced"},
         {"actor", user("dev" + std::to_string(k % 7))},
         {"created_at", iso(created + 300 + k)},
         {"source",
          {{"type", "issue"},
           {"issue",
            {{"number", from},
             {"title", "Reference " + std::to_string(k)},
             {"html_url", "https://github.com/" + full + "/pull/" + std::to_string(from)},
             {"pull_request", {{"url", "x"}}}}}}}});
  }
}

FakeGithub::FakeGithub() : state_(std::make_unique<State>()) {
  State* s = state_.get();
  s->server.Get(".*", [s](const httplib::Request& req, httplib::Response& res) { s->handle(req, res); });
  s->server.Post(".*", [s](const httplib::Request& req, httplib::Response& res) { s->handle(req, res); });
  s->server.set_tcp_nodelay(true);  // small answers without delayed-ACK stalls
  s->port = s->server.bind_to_any_port("127.0.0.1");
  s->thread = std::thread([s] { s->server.listen_after_bind(); });
  while (!s->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeGithub::~FakeGithub() {
  state_->server.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

std::string FakeGithub::url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

void FakeGithub::add(FakeRepository repository) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->repositories.push_back(std::move(repository));
}

void FakeGithub::edit_issue(const std::string& full_name, int64_t number, const std::string& title) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto& r : state_->repositories) {
    if (r.owner + "/" + r.name != full_name) continue;
    for (json& issue : r.issues) {
      if (issue["number"].get<int64_t>() != number) continue;
      issue["title"] = title;
      issue["updated_at"] = iso(std::time(nullptr));
    }
  }
}

int64_t FakeGithub::add_issue(const std::string& full_name, const std::string& title) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto& r : state_->repositories) {
    if (r.owner + "/" + r.name != full_name) continue;
    int64_t number = static_cast<int64_t>(r.issues.size()) + 1;
    std::string now = iso(std::time(nullptr));
    r.issues.push_back({{"id", r.id * 100000 + number},
                        {"number", number},
                        {"title", title},
                        {"body", "It crashes."},
                        {"state", "open"},
                        {"user", user("late")},
                        {"labels", json::array()},
                        {"comments", 0},
                        {"created_at", now},
                        {"updated_at", now},
                        {"closed_at", nullptr},
                        {"html_url", "https://github.com/" + full_name + "/issues/" + std::to_string(number)},
                        {"reactions", reactions("https://api.github.com/repos/" + full_name + "/issues/" +
                                                    std::to_string(number),
                                                number)}});
    return number;
  }
  return 0;
}

void FakeGithub::add_comment(const std::string& full_name, int64_t number, const std::string& body) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto& r : state_->repositories) {
    if (r.owner + "/" + r.name != full_name) continue;
    int64_t id = r.id * 1000000 + static_cast<int64_t>(r.comments.size()) + 1;
    std::string now = iso(std::time(nullptr));
    r.comments.push_back(
        {{"id", id},
         {"html_url", "https://github.com/" + full_name + "/issues/" + std::to_string(number) + "#issuecomment-" +
                          std::to_string(id)},
         {"issue_url", "https://api.github.com/repos/" + full_name + "/issues/" + std::to_string(number)},
         {"user", user("late")},
         {"body", body},
         {"created_at", now},
         {"updated_at", now}});
    // As on GitHub, the issue counts the comment and its updated_at moves.
    json& issue = r.issues[static_cast<size_t>(number - 1)];
    issue["comments"] = issue["comments"].get<int64_t>() + 1;
    issue["updated_at"] = now;
  }
}

int64_t FakeGithub::add_event(const std::string& full_name, int64_t number, const std::string& event) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto& r : state_->repositories) {
    if (r.owner + "/" + r.name != full_name) continue;
    int64_t id = r.events.empty() ? 1 : r.events.front()["id"].get<int64_t>() + 1;
    json& issue = r.issues[static_cast<size_t>(number - 1)];
    issue["updated_at"] = iso(std::time(nullptr));
    r.events.insert(r.events.begin(), json{{"id", id},
                                           {"event", event},
                                           {"actor", user("maintainer")},
                                           {"created_at", iso(std::time(nullptr))},
                                           {"commit_id", nullptr},
                                           {"commit_url", nullptr},
                                           {"issue", event_issue(issue)}});
    return id;
  }
  return 0;
}

void FakeGithub::set_faults(const FakeFaults& faults) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->faults = faults;
  state_->reset_at = 0;
}

FakeStats FakeGithub::stats() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->stats;
}

void FakeGithub::reset_stats() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->stats = {};
}

}  // namespace firstmile::testing
