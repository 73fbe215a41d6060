// mine/github_json.cpp — field-by-field conversion with precise error messages.
#include "mine/github_json.h"

#include "base/clock.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"

namespace firstmile {

using nlohmann::json;

std::optional<std::string> optional_string(const json& o, const char* key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw Error(where + ": field '" + key + "' must be a string, got " + json_type_name(*it));
  return it->get<std::string>();
}

std::optional<int64_t> optional_integer(const json& o, const char* key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    throw Error(where + ": field '" + key + "' must be an integer, got " + json_type_name(*it));
  }
  return it->get<int64_t>();
}

namespace {

std::optional<std::string> login_of(const json& o, const std::string& where) {
  auto it = o.find("user");
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw Error(where + ": field 'user' must be an object, got " + json_type_name(*it));
  return optional_string(*it, "login", where + ": user");
}

// "https://api.github.com/repos/OWNER/NAME" (or a GitHub Enterprise ".../api/v3/repos/...").
std::optional<std::pair<std::string, std::string>> repository_from_api_url(const std::string& url) {
  auto at = url.rfind("/repos/");
  if (at == std::string::npos) return std::nullopt;
  std::string rest = url.substr(at + 7);
  auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) return std::nullopt;
  std::string name = rest.substr(slash + 1);
  if (auto more = name.find('/'); more != std::string::npos) name = name.substr(0, more);
  return std::make_pair(rest.substr(0, slash), name);
}

// "reactions": {"url": ..., "total_count": 4, "+1": 3, ..., "eyes": 1}, absent or null when the
// source left it out. Every count must be a non-negative integer; keys GitHub may add are ignored.
std::optional<Reactions> reactions_of(const json& o, const std::string& where) {
  auto it = o.find("reactions");
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw Error(where + ": field 'reactions' must be an object, got " + json_type_name(*it));
  auto count = [&](const char* kind) -> std::optional<int64_t> {
    auto c = it->find(kind);
    if (c == it->end()) return std::nullopt;
    if (!c->is_number_integer() || c->get<int64_t>() < 0) {
      throw Error(where + ": field 'reactions." + kind + "' must be a non-negative integer, got " +
                  (c->is_number() ? c->dump() : json_type_name(*c)));
    }
    return c->get<int64_t>();
  };
  Reactions r;
  int64_t sum = 0;
  for (int k = 0; k < 8; ++k) sum += r.counts[k] = count(Reactions::kKinds[k]).value_or(0);
  r.total = count("total_count").value_or(sum);
  return r;
}

}  // namespace

bool is_comment_json(const json& object) {
  return object.is_object() && object.contains("issue_url") && !object.contains("title");
}

// An optional time field: absent or null, or an ISO 8601 time; anything else names the field.
std::optional<std::string> optional_time(const json& o, const char* key, const std::string& where) {
  std::optional<std::string> t = optional_string(o, key, where);
  if (t && !valid_iso8601(*t))
    throw Error(where + ": field '" + key + "' must be an ISO 8601 time such as 2024-05-01T10:00:00Z, got '" + *t + "'");
  return t;
}

GithubIssue issue_from_json(const json& o, const std::string& where) {
  if (!o.is_object()) throw Error(where + ": expected an issue object, got " + json_type_name(o));
  GithubIssue issue;
  std::optional<int64_t> number = optional_integer(o, "number", where);
  if (!number) throw Error(where + ": missing field 'number'");
  if (*number <= 0) throw Error(where + ": field 'number' must be a positive integer, got " + std::to_string(*number));
  std::optional<std::string> html_url = optional_string(o, "html_url", where);
  std::optional<IssueLink> link = html_url ? parse_issue_link(*html_url) : std::nullopt;
  if (!link) {
    // An export without html_url still names its repository in repository_url.
    std::optional<std::string> repo_url = optional_string(o, "repository_url", where);
    auto repo = repo_url ? repository_from_api_url(*repo_url) : std::nullopt;
    if (!repo)
      throw Error(where + ": issue " + std::to_string(*number) +
                  ": neither 'html_url' nor 'repository_url' names its repository");
    link = IssueLink{repo->first, repo->second, *number};
  }
  issue.link = *link;
  IssueData& d = issue.data;
  d.number = *number;
  d.github_id = optional_integer(o, "id", where);
  d.title = optional_string(o, "title", where);
  d.body = optional_string(o, "body", where);
  d.state = optional_string(o, "state", where);
  if (d.state) {
    *d.state = to_lower_ascii(*d.state);  // gh writes OPEN and CLOSED
    if (*d.state != "open" && *d.state != "closed")
      throw Error(where + ": field 'state' must be 'open' or 'closed', got '" + *d.state + "'");
  }
  d.state_reason = optional_string(o, "state_reason", where);
  d.author = login_of(o, where);
  d.author_association = optional_string(o, "author_association", where);
  d.created_at = optional_time(o, "created_at", where);
  d.updated_at = optional_time(o, "updated_at", where);
  d.closed_at = optional_time(o, "closed_at", where);
  d.is_pull_request = o.contains("pull_request") && !o["pull_request"].is_null();
  d.url = html_url.value_or(link->url());
  d.reactions = reactions_of(o, where);
  if (auto labels = o.find("labels"); labels != o.end() && !labels->is_null()) {
    if (!labels->is_array()) throw Error(where + ": field 'labels' must be an array, got " + json_type_name(*labels));
    for (const json& l : *labels) {
      if (l.is_string()) {
        d.labels.push_back(l.get<std::string>());
      } else if (l.is_object() && l.contains("name") && l["name"].is_string()) {
        d.labels.push_back(l["name"].get<std::string>());
      } else {
        throw Error(where + ": field 'labels' must hold label objects with a 'name' or strings");
      }
    }
  }
  if (auto comments = o.find("comments"); comments != o.end() && !comments->is_null()) {
    if (comments->is_number_integer()) {
      d.comments_count = comments->get<int64_t>();
    } else if (comments->is_array()) {
      for (size_t i = 0; i < comments->size(); ++i) {
        GithubComment c = comment_from_json((*comments)[i], where + ": comment " + std::to_string(i + 1));
        c.issue = issue.link;
        issue.comments.push_back(std::move(c));
      }
      d.comments_count = static_cast<int64_t>(comments->size());
    } else {
      throw Error(where + ": field 'comments' must be a count or an array of comments, got " +
                  json_type_name(*comments));
    }
  }
  return issue;
}

GithubComment comment_from_json(const json& o, const std::string& where) {
  if (!o.is_object()) throw Error(where + ": expected a comment object, got " + json_type_name(o));
  GithubComment c;
  std::optional<int64_t> id = optional_integer(o, "id", where);
  if (!id) throw Error(where + ": missing field 'id'");
  c.data.github_id = *id;
  c.data.author = login_of(o, where);
  c.data.author_association = optional_string(o, "author_association", where);
  c.data.body = optional_string(o, "body", where);
  c.data.created_at = optional_time(o, "created_at", where);
  c.data.updated_at = optional_time(o, "updated_at", where);
  c.data.url = optional_string(o, "html_url", where);
  c.data.reactions = reactions_of(o, where);
  // The issue it belongs to: html_url "https://github.com/o/r/issues/N#issuecomment-X", or
  // issue_url "https://api.github.com/repos/o/r/issues/N".
  std::optional<IssueLink> link;
  if (c.data.url) link = parse_issue_link(*c.data.url);
  if (!link) {
    if (std::optional<std::string> issue_url = optional_string(o, "issue_url", where)) {
      auto repo = repository_from_api_url(*issue_url);
      auto slash = issue_url->rfind('/');
      if (repo && slash != std::string::npos) {
        link = parse_issue_link("https://github.com/" + repo->first + "/" + repo->second + "/issues/" +
                                issue_url->substr(slash + 1));
      }
    }
  }
  if (link) c.issue = *link;
  return c;
}

TimelineEvent timeline_event_from_json(const json& o, const std::string& where) {
  if (!o.is_object()) throw Error(where + ": expected a timeline event object, got " + json_type_name(o));
  TimelineEvent e;
  std::optional<std::string> event = optional_string(o, "event", where);
  if (!event) throw Error(where + ": missing field 'event'");
  e.event = *event;
  e.github_id = optional_integer(o, "id", where);
  for (const char* who : {"actor", "user", "author"}) {
    auto it = o.find(who);
    if (it == o.end() || !it->is_object()) continue;
    if (auto login = optional_string(*it, "login", where + ": " + who))
      e.actor = login;
    else if (auto name = optional_string(*it, "name", where + ": " + who))
      e.actor = name;  // 'committed' events
    if (e.actor) break;
  }
  e.created_at = optional_string(o, "created_at", where);
  if (!e.created_at) e.created_at = optional_string(o, "submitted_at", where);
  e.commit_id = optional_string(o, "commit_id", where);
  if (!e.commit_id) e.commit_id = optional_string(o, "sha", where);
  json detail = json::object();
  for (auto it = o.begin(); it != o.end(); ++it) {
    static const char* const kDropped[] = {
        "body",         "body_html", "body_text",  "node_id",   "actor",
        "user",         "author",    "committer",  "reactions", "performed_via_github_app",
        "url",          "html_url",  "commit_url", "tree",      "parents",
        "verification", "source",    "id",         "event",     "created_at",
        "commit_id",    "sha",       "issue"};
    bool dropped = false;
    for (const char* d : kDropped) dropped = dropped || it.key() == d;
    if (!dropped) detail[it.key()] = it.value();
  }
  if (auto source = o.find("source"); source != o.end() && source->is_object()) {
    if (auto issue = source->find("issue"); issue != source->end() && issue->is_object()) {
      e.source_url = optional_string(*issue, "html_url", where + ": source.issue");
      if (auto n = optional_integer(*issue, "number", where + ": source.issue")) detail["source_number"] = *n;
      detail["source_is_pull_request"] = issue->contains("pull_request") && !(*issue)["pull_request"].is_null();
      if (auto title = optional_string(*issue, "title", where + ": source.issue")) detail["source_title"] = *title;
    }
  }
  if (e.event == "committed" || e.event == "commented") {
    // Keep a commit's first message line; a comment's body is in the comments table.
    if (auto message = optional_string(o, "message", where))
      detail["message"] = message->substr(0, message->find('\n'));
  }
  e.detail = json_text(detail);
  return e;
}

GithubIssueEvent issue_event_from_json(const json& o, const std::string& where) {
  if (!o.is_object()) throw Error(where + ": expected an issue event object, got " + json_type_name(o));
  GithubIssueEvent out;
  out.event = timeline_event_from_json(o, where);
  if (!out.event.github_id) throw Error(where + ": missing field 'id'");
  auto issue = o.find("issue");
  if (issue == o.end() || !issue->is_object()) throw Error(where + ": missing field 'issue'");
  std::optional<int64_t> number = optional_integer(*issue, "number", where + ": issue");
  if (!number) throw Error(where + ": issue: missing field 'number'");
  out.number = *number;
  out.html_url = optional_string(*issue, "html_url", where + ": issue").value_or("");
  return out;
}

}  // namespace firstmile
