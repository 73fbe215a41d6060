// mine/gh_cli_json.h — the GitHub CLI's own issue shape (`gh issue list|view --json ...`) as
// store records.
//
//   if (is_gh_cli_issue_json(object)) {
//     GithubIssue i = gh_cli_issue_from_json(object, "list.json: element 3");
//     i.link.repository() == "QwenLM/Qwen2.5"; i.comments (nested "comments": [...])
//   }
//
// gh writes camelCase fields (`author.login`, `createdAt`, `state: "OPEN"`, `stateReason:
// "NOT_PLANNED"`, `reactionGroups: [{content: "THUMBS_UP", users: {totalCount: 3}}]`), node ids
// instead of database ids, and names the repository only in `url`, so `url` must be among the
// fields asked for. A nested comment's database id is read from its url's "#issuecomment-N",
// the id the REST API gives it, so both shapes of one comment are the same row.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "mine/github_json.h"

namespace firstmile {

// An object with a camelCase field gh writes (createdAt, author, reactionGroups, ...), or only a
// github.com issue `url` and no REST field (html_url, repository_url, user).
bool is_gh_cli_issue_json(const nlohmann::json& object);

GithubIssue gh_cli_issue_from_json(const nlohmann::json& object, const std::string& where);

}  // namespace firstmile
