// mine/graphql_cross_references.cpp — the queries, and the reading of their answers field by field.
#include "mine/graphql_cross_references.h"

#include <algorithm>

#include "base/error.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "mine/github_json.h"

namespace firstmile {

namespace {

using nlohmann::json;

// What one issue's timelineItems connection selects, in both queries. Issue and PullRequest
// have the same fields here; the union (ReferencedSubject, IssueOrPullRequest) needs both.
constexpr const char* kItems =
    "timelineItems(first: 100%AFTER%, itemTypes: [CROSS_REFERENCED_EVENT, MARKED_AS_DUPLICATE_EVENT, "
    "UNMARKED_AS_DUPLICATE_EVENT]) {\n"
    "      pageInfo { hasNextPage endCursor }\n"
    "      nodes {\n"
    "        __typename\n"
    "        ... on CrossReferencedEvent { createdAt actor { login } isCrossRepository willCloseTarget "
    "source { ...issue ...pull } }\n"
    "        ... on MarkedAsDuplicateEvent { createdAt actor { login } isCrossRepository "
    "canonical { ...issue ...pull } duplicate { ...issue ...pull } }\n"
    "        ... on UnmarkedAsDuplicateEvent { createdAt actor { login } isCrossRepository "
    "canonical { ...issue ...pull } duplicate { ...issue ...pull } }\n"
    "      }\n"
    "    }";

constexpr const char* kSubjects =
    "fragment issue on Issue { __typename number title url repository { nameWithOwner } }\n"
    "fragment pull on PullRequest { __typename number title url repository { nameWithOwner } }\n";

std::string items(const std::string& after) {
  std::string out = kItems;
  out.replace(out.find("%AFTER%"), 7, after);
  return out;
}

std::string alias(int64_t number) { return "i" + std::to_string(number); }

// The query that follows up one issue's items after `cursor`.
constexpr const char* kFollowUpHead =
    "query($owner: String!, $name: String!, $number: Int!, $after: String!) {\n"
    "  rateLimit { cost remaining resetAt }\n"
    "  repository(owner: $owner, name: $name) {\n"
    "    issue(number: $number) {\n"
    "      number\n      ";

const json& member(const json& object, const char* key, const std::string& where) {
  static const json null;
  if (!object.is_object()) throw Error(where + ": expected an object, got " + json_type_name(object));
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

const json& object_member(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_object()) throw Error(where + "." + key + ": expected an object, got " + json_type_name(value));
  return value;
}

// "owner/name" of a subject's repository.nameWithOwner.
std::optional<std::string> name_with_owner(const json& subject, const std::string& where) {
  const json& repository = member(subject, "repository", where);
  if (repository.is_null()) return std::nullopt;
  return optional_string(object_member(subject, "repository", where), "nameWithOwner", where + ".repository");
}

// The Issue or PullRequest an event points at, into detail[prefix_*]; its url.
std::optional<std::string> subject_into(const json& node, const char* key, const std::string& prefix, json& detail,
                                        const std::string& where) {
  const json& subject = member(node, key, where);
  if (subject.is_null()) return std::nullopt;  // GitHub hides what the token cannot see
  const std::string at = where + "." + key;
  if (!subject.is_object())
    throw Error(at + ": expected an issue or pull request object, got " + json_type_name(subject));
  std::optional<int64_t> number = optional_integer(subject, "number", at);
  if (!number) return std::nullopt;  // an empty object: a kind of subject the query did not ask about
  detail[prefix + "_number"] = *number;
  if (auto repository = name_with_owner(subject, at)) detail[prefix + "_repository"] = *repository;
  std::optional<std::string> url = optional_string(subject, "url", at);
  if (url) detail[prefix + "_url"] = *url;
  if (auto title = optional_string(subject, "title", at)) detail[prefix + "_title"] = *title;
  detail[prefix + "_is_pull_request"] = optional_string(subject, "__typename", at).value_or("") == "PullRequest";
  return url;
}

struct ItemsPage {
  std::vector<TimelineEvent> events;
  std::string next_cursor;  // "" when there are no more
};

ItemsPage read_items(const json& issue, int64_t number, const std::string& where) {
  if (!issue.is_object()) throw Error(where + ": expected an issue object, got " + json_type_name(issue));
  if (auto n = optional_integer(issue, "number", where); n && *n != number) {
    throw Error(where + ": expected issue " + std::to_string(number) + ", got " + std::to_string(*n));
  }
  const std::string at = where + ".timelineItems";
  const json& connection = object_member(issue, "timelineItems", where);
  const json& nodes = member(connection, "nodes", at);
  if (!nodes.is_array()) throw Error(at + ".nodes: expected an array, got " + json_type_name(nodes));
  ItemsPage page;
  for (size_t i = 0; i < nodes.size(); ++i) {
    page.events.push_back(graphql_timeline_item(nodes[i], number, at + ".nodes[" + std::to_string(i) + "]"));
  }
  const json& info = object_member(connection, "pageInfo", at);
  const json& more = member(info, "hasNextPage", at + ".pageInfo");
  if (!more.is_boolean())
    throw Error(at + ".pageInfo.hasNextPage: expected true or false, got " + json_type_name(more));
  if (more.get<bool>()) {
    std::optional<std::string> cursor = optional_string(info, "endCursor", at + ".pageInfo");
    if (!cursor || cursor->empty()) throw Error(at + ".pageInfo: hasNextPage without an endCursor");
    page.next_cursor = *cursor;
  }
  return page;
}

// The answer's data.repository, after its errors: issues not found (an error whose path is
// [repository, alias]) are added to `missing`; any other error throws, naming them all.
const json& repository_of(const GithubPage& page, const std::string& url, std::vector<int64_t>* missing) {
  const json& body = page.body;
  if (!body.is_object()) throw Error(url + ": expected a GraphQL answer object, got " + json_type_name(body));
  std::string problems;
  if (auto errors = body.find("errors"); errors != body.end() && !errors->is_null()) {
    if (!errors->is_array()) throw Error(url + ": errors: expected an array, got " + json_type_name(*errors));
    for (const json& e : *errors) {
      const std::string type = e.is_object() && e.value("type", json()).is_string() ? e["type"].get<std::string>() : "";
      const json path = e.is_object() ? e.value("path", json()) : json();
      if (missing && type == "NOT_FOUND" && path.is_array() && path.size() == 2 && path[0] == "repository" &&
          path[1].is_string()) {
        const std::string& at = path[1].get_ref<const std::string&>();
        if (at.size() > 1 && at.size() < 19 && at[0] == 'i' &&
            at.find_first_not_of("0123456789", 1) == std::string::npos) {
          missing->push_back(std::stoll(at.substr(1)));
          continue;
        }
      }
      std::string message =
          e.is_object() && e.value("message", json()).is_string() ? e["message"].get<std::string>() : e.dump();
      if (!problems.empty()) problems += "; ";
      problems += (type.empty() ? "" : type + ": ") + message;
      if (path.is_array() && !path.empty()) {
        std::string where;
        for (const json& p : path)
          where += (where.empty() ? "" : ".") + (p.is_string() ? p.get<std::string>() : p.dump());
        problems += " (at " + where + ")";
      }
    }
  }
  if (!problems.empty()) throw Error(url + ": GraphQL error: " + redact_secrets(problems));
  const json& data = member(body, "data", url);
  if (!data.is_object()) throw Error(url + ": data: expected an object, got " + json_type_name(data));
  const json& repository = member(data, "repository", url + ": data");
  if (!repository.is_object())
    throw Error(url + ": data.repository: expected an object, got " + json_type_name(repository));
  return repository;
}

// Items after the first 100 of one issue, a query per further 100.
void follow_up(GithubClient& github, const std::string& owner, const std::string& name, int64_t number,
               std::string cursor, std::vector<TimelineEvent>& events, int64_t& queries) {
  const std::string query = std::string(kFollowUpHead) + items(", after: $after") + "\n    }\n  }\n}\n" + kSubjects;
  while (!cursor.empty()) {
    GithubPage page = github.graphql(query, {{"owner", owner}, {"name", name}, {"number", number}, {"after", cursor}});
    ++queries;
    const std::string url = github.graphql_url();
    const json& repository = repository_of(page, url, nullptr);
    ItemsPage more =
        read_items(member(repository, "issue", url + ": data.repository"), number, url + ": data.repository.issue");
    for (TimelineEvent& e : more.events) events.push_back(std::move(e));
    if (more.next_cursor == cursor) throw Error(url + ": data.repository.issue: the same endCursor twice");
    cursor = more.next_cursor;
  }
}

}  // namespace

std::string cross_references_query(const std::vector<int64_t>& numbers) {
  std::string q =
      "query($owner: String!, $name: String!) {\n"
      "  rateLimit { cost remaining resetAt }\n"
      "  repository(owner: $owner, name: $name) {\n";
  for (int64_t n : numbers) q += "    " + alias(n) + ": issue(number: " + std::to_string(n) + ") { ...refs }\n";
  q += "  }\n}\nfragment refs on Issue {\n  number\n  " + items("") + "\n}\n" + kSubjects;
  return q;
}

TimelineEvent graphql_timeline_item(const json& node, int64_t number, const std::string& where) {
  if (!node.is_object()) throw Error(where + ": expected a timeline item object, got " + json_type_name(node));
  std::optional<std::string> type = optional_string(node, "__typename", where);
  if (!type) throw Error(where + ": missing field '__typename'");
  TimelineEvent e;
  e.created_at = optional_string(node, "createdAt", where);
  if (const json& actor = member(node, "actor", where); !actor.is_null())
    e.actor = optional_string(object_member(node, "actor", where), "login", where + ".actor");
  json detail = json::object();
  auto flag = [&](const char* key, const char* as) {
    const json& value = member(node, key, where);
    if (value.is_null()) return;
    if (!value.is_boolean()) throw Error(where + "." + key + ": expected true or false, got " + json_type_name(value));
    detail[as] = value.get<bool>();
  };
  flag("isCrossRepository", "is_cross_repository");
  if (*type == "CrossReferencedEvent") {
    e.event = "cross-referenced";
    flag("willCloseTarget", "will_close_target");
    e.source_url = subject_into(node, "source", "source", detail, where);
  } else if (*type == "MarkedAsDuplicateEvent" || *type == "UnmarkedAsDuplicateEvent") {
    subject_into(node, "canonical", "canonical", detail, where);
    subject_into(node, "duplicate", "duplicate", detail, where);
    // The same event shows on both issues' timelines: named from this issue's side, so that
    // 'marked_as_duplicate' (what select drops) is only ever on the duplicate.
    const bool on_canonical = detail.contains("canonical_number") && detail["canonical_number"] == number &&
                              !(detail.contains("duplicate_number") && detail["duplicate_number"] == number);
    const std::string verb = *type == "MarkedAsDuplicateEvent" ? "marked_as_" : "unmarked_as_";
    e.event = verb + (on_canonical ? "canonical" : "duplicate");
  } else {
    throw Error(where + ": unexpected timeline item '" + *type +
                "' (the query asks for cross-references and duplicates)");
  }
  e.detail = json_text(detail);
  return e;
}

CrossReferenceBatch fetch_cross_references(GithubClient& github, const std::string& owner, const std::string& name,
                                           const std::vector<int64_t>& numbers) {
  CrossReferenceBatch batch;
  if (numbers.empty()) return batch;
  if (numbers.size() > kIssuesPerQuery) throw Error("fetch_cross_references: more than 100 issues in one query");
  GithubPage page = github.graphql(cross_references_query(numbers), {{"owner", owner}, {"name", name}});
  ++batch.queries;
  const std::string url = github.graphql_url();
  const json& repository = repository_of(page, url, &batch.missing);
  std::map<int64_t, std::string> more;  // issue -> cursor of its further items
  for (int64_t n : numbers) {
    if (std::find(batch.missing.begin(), batch.missing.end(), n) != batch.missing.end()) continue;
    const std::string where = url + ": data.repository." + alias(n);
    ItemsPage first = read_items(member(repository, alias(n).c_str(), url + ": data.repository"), n, where);
    batch.events[n] = std::move(first.events);
    if (!first.next_cursor.empty()) more[n] = first.next_cursor;
  }
  for (const auto& [n, cursor] : more) follow_up(github, owner, name, n, cursor, batch.events[n], batch.queries);
  return batch;
}

}  // namespace firstmile
