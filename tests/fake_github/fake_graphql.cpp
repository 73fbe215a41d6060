// fake_graphql.cpp — GitHub's GraphQL answers (data, errors, pageInfo) for the queries the miner sends.
#include "fake_graphql.h"

#include <algorithm>
#include <regex>
#include <set>

namespace firstmile::testing {

using nlohmann::json;

namespace {

json error(const std::string& type, const std::string& message, json path = nullptr) {
  json e = {{"message", message}, {"locations", json::array({{{"line", 1}, {"column", 1}}})}};
  if (!type.empty()) e["type"] = type;
  if (!path.is_null()) e["path"] = std::move(path);
  return e;
}

// "cross-referenced" -> "CROSS_REFERENCED_EVENT", as GraphQL's IssueTimelineItemsItemType names it.
std::string item_type(std::string event) {
  for (char& c : event) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return event + "_EVENT";
}

// "marked_as_duplicate" -> "MarkedAsDuplicateEvent".
std::string type_name(const std::string& event) {
  std::string out;
  bool upper = true;
  for (char c : event) {
    if (c == '_' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out + "Event";
}

// An Issue or PullRequest as the query's fragments select it, from a REST issue object.
json subject(const json& issue) {
  const std::string url = issue.value("html_url", "");
  const auto repo_start = url.find("github.com/") + 11;
  const auto repo_end = url.find('/', url.find('/', repo_start) + 1);
  return {{"__typename", issue.contains("pull_request") ? "PullRequest" : "Issue"},
          {"number", issue["number"]},
          {"title", issue.value("title", "")},
          {"url", url},
          {"repository", {{"nameWithOwner", url.substr(repo_start, repo_end - repo_start)}}}};
}

const json* issue_of(const FakeRepository& r, int64_t number) {
  for (const json& issue : r.issues) {
    if (issue["number"].get<int64_t>() == number) return &issue;
  }
  return nullptr;
}

// A REST timeline event of issue `number` as a GraphQL timeline item.
json item(const FakeRepository& r, int64_t number, const json& e) {
  const std::string event = e["event"].get<std::string>();
  json node = {{"__typename", type_name(event)}, {"createdAt", e.value("created_at", "")}};
  if (e.contains("actor") && e["actor"].is_object()) node["actor"] = {{"login", e["actor"]["login"]}};
  if (event == "cross-referenced") {
    node["isCrossRepository"] = false;
    node["willCloseTarget"] = false;
    node["source"] = subject(e["source"]["issue"]);
  } else if (event == "marked_as_duplicate" || event == "unmarked_as_duplicate") {
    node["isCrossRepository"] = false;
    auto canonical = r.duplicate_of.find(number);
    const json* original = canonical == r.duplicate_of.end() ? nullptr : issue_of(r, canonical->second);
    node["canonical"] = original ? subject(*original) : json(nullptr);
    node["duplicate"] = subject(*issue_of(r, number));
  }
  return node;
}

std::string cursor(size_t offset) { return "Y3Vyc29yOnYyOpHO" + std::to_string(offset); }

// The timelineItems connection of an issue: `first` items after `after`, of the given types.
json connection(const FakeRepository& r, int64_t number, const std::set<std::string>& types, size_t first,
                const std::string& after) {
  std::vector<json> all;
  auto timeline = r.timelines.find(number);
  if (timeline != r.timelines.end()) {
    for (const json& e : timeline->second) {
      if (types.empty() || types.count(item_type(e["event"].get<std::string>()))) all.push_back(item(r, number, e));
    }
  }
  size_t start = after.empty() ? 0 : std::stoul(after.substr(cursor(0).size() - 1));
  json nodes = json::array();
  for (size_t i = start; i < all.size() && nodes.size() < first; ++i) nodes.push_back(all[i]);
  const size_t end = start + nodes.size();
  return {{"nodes", nodes},
          {"pageInfo",
           {{"hasNextPage", end < all.size()}, {"endCursor", nodes.empty() ? json(nullptr) : json(cursor(end))}}}};
}

}  // namespace

GraphqlReply answer_graphql(const std::vector<FakeRepository>& repositories, const std::string& request_body,
                            int64_t& points_left, const std::string& reset_at) {
  GraphqlReply reply;
  json request = json::parse(request_body, nullptr, false);
  if (!request.is_object() || !request.contains("query") || !request["query"].is_string()) {
    reply.status = 400;
    reply.body = {{"message", "Problems parsing JSON"}};
    return reply;
  }
  const std::string query = request["query"];
  const json variables = request.value("variables", json::object());
  const std::string owner = variables.value("owner", ""), name = variables.value("name", "");

  std::smatch m;
  std::set<std::string> types;
  if (std::regex_search(query, m, std::regex(R"(itemTypes:\s*\[([^\]]*)\])"))) {
    std::string list = m[1];
    std::regex word(R"([A-Z_]+)");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), word); it != std::sregex_iterator(); ++it)
      types.insert(it->str());
  }
  size_t first = 0;
  if (std::regex_search(query, m, std::regex(R"(timelineItems\(first:\s*(\d+))"))) first = std::stoul(m[1]);
  if (first == 0 || first > 100) {
    reply.body = {{"errors", json::array({error("", "Requesting " + std::to_string(first) +
                                                        " records on the `timelineItems` connection exceeds the "
                                                        "`first` limit of 100 records.")})}};
    return reply;
  }

  json data = json::object();
  json errors = json::array();
  if (query.find("rateLimit") != std::string::npos) {
    --points_left;
    data["rateLimit"] = {{"cost", 1}, {"remaining", std::max<int64_t>(points_left, 0)}, {"resetAt", reset_at}};
  }
  const FakeRepository* repo = nullptr;
  for (const FakeRepository& r : repositories) {
    if (r.owner + "/" + r.name == owner + "/" + name) repo = &r;
  }
  if (!repo) {
    data["repository"] = nullptr;
    errors.push_back(error("NOT_FOUND", "Could not resolve to a Repository with the name '" + owner + "/" + name + "'.",
                           json::array({"repository"})));
    reply.body = {{"data", data}, {"errors", errors}};
    return reply;
  }
  // Aliased issues (`i12: issue(number: 12)`), or one `issue(number: $number)` after `$after`.
  std::vector<std::pair<std::string, int64_t>> asked;
  std::string after;
  std::regex aliased(R"((\w+):\s*issue\(number:\s*(\d+)\))");
  for (auto it = std::sregex_iterator(query.begin(), query.end(), aliased); it != std::sregex_iterator(); ++it)
    asked.emplace_back((*it)[1], std::stoll((*it)[2]));
  if (asked.empty() && query.find("issue(number: $number)") != std::string::npos) {
    asked.emplace_back("issue", variables.value("number", int64_t{0}));
    if (query.find("after: $after") != std::string::npos) after = variables.value("after", "");
  }
  json repository = json::object();
  for (const auto& [alias, number] : asked) {
    const json* issue = issue_of(*repo, number);
    if (!issue || issue->contains("pull_request")) {
      repository[alias] = nullptr;
      errors.push_back(error("NOT_FOUND",
                             "Could not resolve to an Issue with the number of " + std::to_string(number) + ".",
                             json::array({"repository", alias})));
      continue;
    }
    repository[alias] = {{"number", number}, {"timelineItems", connection(*repo, number, types, first, after)}};
  }
  reply.issues = static_cast<int64_t>(asked.size());
  data["repository"] = repository;
  reply.body = {{"data", data}};
  if (!errors.empty()) reply.body["errors"] = errors;
  return reply;
}

}  // namespace firstmile::testing
