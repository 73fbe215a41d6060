// mine/gh_cli_json.cpp — gh's camelCase issues and nested comments, field by field.
#include "mine/gh_cli_json.h"

#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"

namespace firstmile {

using nlohmann::json;

namespace {

// gh's reaction contents, in the order of Reactions::kKinds.
constexpr const char* kContents[8] = {"THUMBS_UP", "THUMBS_DOWN", "LAUGH",  "HOORAY",
                                      "CONFUSED",  "HEART",       "ROCKET", "EYES"};

// "reactionGroups": [{"content": "THUMBS_UP", "users": {"totalCount": 3}}, ...]. A content gh
// may add later counts in the total only.
std::optional<Reactions> reaction_groups(const json& o, const std::string& where) {
  auto it = o.find("reactionGroups");
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) throw Error(where + ": field 'reactionGroups' must be an array, got " + json_type_name(*it));
  Reactions r;
  for (size_t g = 0; g < it->size(); ++g) {
    const json& group = (*it)[g];
    std::string at = where + ": reactionGroups[" + std::to_string(g) + "]";
    if (!group.is_object()) throw Error(at + ": expected an object, got " + json_type_name(group));
    std::optional<std::string> content = optional_string(group, "content", at);
    if (!content) throw Error(at + ": missing field 'content'");
    auto users = group.find("users");
    const json* count =
        users != group.end() && users->is_object() && users->contains("totalCount") ? &(*users)["totalCount"] : nullptr;
    if (!count || !count->is_number_integer() || count->get<int64_t>() < 0) {
      throw Error(at + ": field 'users.totalCount' must be a non-negative integer, got " +
                  (!count               ? std::string("nothing")
                   : count->is_number() ? count->dump()
                                        : json_type_name(*count)));
    }
    int64_t n = count->get<int64_t>();
    for (int k = 0; k < 8; ++k) {
      if (*content == kContents[k]) r.counts[k] += n;
    }
    r.total += n;
  }
  return r;
}

std::optional<std::string> author_of(const json& o, const std::string& where) {
  auto it = o.find("author");
  if (it == o.end() || it->is_null()) return std::nullopt;  // a deleted account
  if (!it->is_object()) throw Error(where + ": field 'author' must be an object, got " + json_type_name(*it));
  return optional_string(*it, "login", where + ": author");
}

// "NOT_PLANNED" -> "not_planned", as the REST API spells it; "" (no reason) -> nothing.
std::optional<std::string> lower_or_none(std::optional<std::string> value) {
  if (!value || value->empty()) return std::nullopt;
  return to_lower_ascii(*value);
}

GithubComment gh_comment(const json& o, const IssueLink& issue, const std::string& where) {
  if (!o.is_object()) throw Error(where + ": expected a comment object, got " + json_type_name(o));
  GithubComment c;
  c.issue = issue;
  c.data.url = optional_string(o, "url", where);
  // gh's "id" is a node id ("IC_kwDO..."); the REST id is the url's fragment.
  constexpr std::string_view kFragment = "#issuecomment-";
  size_t at = c.data.url ? c.data.url->find(kFragment) : std::string::npos;
  std::string digits = at == std::string::npos ? "" : c.data.url->substr(at + kFragment.size());
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) {
    throw Error(where + ": field 'url' must end in #issuecomment-ID (gh's comment url), got " +
                (c.data.url ? "'" + *c.data.url + "'" : std::string("nothing")));
  }
  c.data.github_id = std::stoll(digits);
  c.data.author = author_of(o, where);
  c.data.author_association = optional_string(o, "authorAssociation", where);
  c.data.body = optional_string(o, "body", where);
  c.data.created_at = optional_time(o, "createdAt", where);
  c.data.updated_at = optional_time(o, "updatedAt", where);
  c.data.reactions = reaction_groups(o, where);
  return c;
}

}  // namespace

bool is_gh_cli_issue_json(const json& o) {
  if (!o.is_object() || o.contains("html_url") || o.contains("repository_url") || o.contains("user")) return false;
  for (const char* key : {"createdAt", "updatedAt", "closedAt", "author", "reactionGroups", "stateReason"}) {
    if (o.contains(key)) return true;
  }
  auto url = o.find("url");
  return url != o.end() && url->is_string() && url->get_ref<const std::string&>().find("/repos/") == std::string::npos;
}

GithubIssue gh_cli_issue_from_json(const json& o, const std::string& where) {
  if (!o.is_object()) throw Error(where + ": expected an issue object, got " + json_type_name(o));
  GithubIssue issue;
  std::optional<int64_t> number = optional_integer(o, "number", where);
  if (!number) throw Error(where + ": missing field 'number'");
  if (*number <= 0) throw Error(where + ": field 'number' must be a positive integer, got " + std::to_string(*number));
  std::optional<std::string> url = optional_string(o, "url", where);
  if (!url) {
    throw Error(where + ": issue " + std::to_string(*number) +
                ": no field 'url' to tell its repository (add url to gh's --json fields)");
  }
  std::optional<IssueLink> link = parse_issue_link(*url);
  if (!link || link->number != *number) {
    throw Error(where + ": field 'url' must be the issue's https://github.com/OWNER/REPO/issues/" +
                std::to_string(*number) + ", got '" + *url + "'");
  }
  issue.link = *link;
  IssueData& d = issue.data;
  d.number = *number;
  d.url = *url;
  d.is_pull_request = url->find("/pull/") != std::string::npos;
  d.title = optional_string(o, "title", where);
  d.body = optional_string(o, "body", where);
  d.state = optional_string(o, "state", where);
  if (d.state) {
    *d.state = to_lower_ascii(*d.state);  // OPEN, CLOSED (MERGED for a pull request: closed)
    if (*d.state == "merged") *d.state = "closed";
    if (*d.state != "open" && *d.state != "closed")
      throw Error(where + ": field 'state' must be 'OPEN' or 'CLOSED', got '" + *d.state + "'");
  }
  d.state_reason = lower_or_none(optional_string(o, "stateReason", where));
  d.author = author_of(o, where);
  d.author_association = optional_string(o, "authorAssociation", where);
  d.created_at = optional_time(o, "createdAt", where);
  d.updated_at = optional_time(o, "updatedAt", where);
  d.closed_at = optional_time(o, "closedAt", where);
  d.reactions = reaction_groups(o, where);
  if (auto labels = o.find("labels"); labels != o.end() && !labels->is_null()) {
    if (!labels->is_array()) throw Error(where + ": field 'labels' must be an array, got " + json_type_name(*labels));
    for (const json& l : *labels) {
      if (!l.is_object() || !l.contains("name") || !l["name"].is_string())
        throw Error(where + ": field 'labels' must hold label objects with a 'name'");
      d.labels.push_back(l["name"].get<std::string>());
    }
  }
  if (auto comments = o.find("comments"); comments != o.end() && !comments->is_null()) {
    if (!comments->is_array())
      throw Error(where + ": field 'comments' must be an array of comments, got " + json_type_name(*comments));
    for (size_t i = 0; i < comments->size(); ++i) {
      issue.comments.push_back(gh_comment((*comments)[i], issue.link, where + ": comment " + std::to_string(i + 1)));
    }
    d.comments_count = static_cast<int64_t>(comments->size());
  }
  return issue;
}

}  // namespace firstmile
