// mine/github_json.h — GitHub's issue and comment JSON (REST shape) as store records.
//
//   GithubIssue i = issue_from_json(object, "issues.json: value 3");
//   i.repository.owner == "QwenLM"; i.data.number == 306; i.comments (embedded, if any)
//
// Shared by the REST miner, the offline importer and GH Archive events, which all carry the
// REST shape. Fields GitHub may send as null (body, closed_at, user) are optional; a field of
// the wrong type throws Error naming `where` and the field.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/issue_link.h"
#include "store/mining_state.h"
#include "store/store.h"

namespace firstmile {

struct GithubComment {
  IssueLink issue;  // owner, name and number of the issue it belongs to
  CommentData data;
};

struct GithubIssue {
  IssueLink link;                       // owner, name, number
  IssueData data;                       // repository_id left 0: the caller resolves it
  std::vector<GithubComment> comments;  // when the export embeds them ("comments": [...])
};

// Field readers the shapes share: absent or null gives nullopt; another type, or a time that is
// not ISO 8601, throws Error naming `where` and the field.
std::optional<std::string> optional_string(const nlohmann::json& object, const char* key, const std::string& where);
std::optional<int64_t> optional_integer(const nlohmann::json& object, const char* key, const std::string& where);
std::optional<std::string> optional_time(const nlohmann::json& object, const char* key, const std::string& where);

// A comment object has an "issue_url" and no "title"; an issue has "number" and "title".
bool is_comment_json(const nlohmann::json& object);

GithubIssue issue_from_json(const nlohmann::json& object, const std::string& where);
GithubComment comment_from_json(const nlohmann::json& object, const std::string& where);

// One entry of GET /repos/{o}/{r}/issues/{n}/timeline. Bulky parts (comment bodies, which the
// comments table already holds; user objects; the whole referring issue) are cut from `detail`.
TimelineEvent timeline_event_from_json(const nlohmann::json& object, const std::string& where);

// One entry of GET /repos/{o}/{r}/issues/events: the event (its "id" required) and the issue it
// happened to (the embedded "issue" object, cut from `detail`).
struct GithubIssueEvent {
  int64_t number = 0;    // the issue's
  std::string html_url;  // the issue's, "" if absent
  TimelineEvent event{};
};
GithubIssueEvent issue_event_from_json(const nlohmann::json& object, const std::string& where);

}  // namespace firstmile
