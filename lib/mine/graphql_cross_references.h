// mine/graphql_cross_references.h — the cross-references and duplicate marks of many issues at
// once through GitHub's GraphQL API: one query per 100 issues, where the REST timeline costs a
// request per issue. Needs a token (GitHub's GraphQL API answers no one without).
//
//   CrossReferenceBatch b = fetch_cross_references(github, "acme", "model", {12, 15, 17});
//   b.events[12]   // issue 12's cross-references and duplicate marks, oldest first
//   b.missing      // numbers GitHub has no issue for (deleted, transferred away)
//
// The query names each issue by an alias (`i12: issue(number: 12) {...}`) and asks for its
// CROSS_REFERENCED_EVENT, MARKED_AS_DUPLICATE_EVENT and UNMARKED_AS_DUPLICATE_EVENT timeline
// items, 100 at a time, with the query's rateLimit {cost remaining resetAt}; an issue with more
// items is followed up alone, a query per further 100.
//
// Rows come in the shape of the REST timeline's (store/mining_state.h TimelineEvent):
// - 'cross-referenced': actor, created_at, source_url (the referring issue or pull request),
//   detail {source_number, source_title, source_is_pull_request, source_repository,
//   is_cross_repository, will_close_target};
// - 'marked_as_duplicate' / 'unmarked_as_duplicate' on the issue marked (undone) as a duplicate,
//   'marked_as_canonical' / 'unmarked_as_canonical' on the original it was marked a duplicate of:
//   detail {canonical_repository, canonical_number, canonical_url, duplicate_repository,
//   duplicate_number, duplicate_url, is_cross_repository} — the original the REST events lack.
//
// A GraphQL error other than "issue not found", or an answer of another shape, throws Error
// naming the URL and the place in the answer (data.repository.i12.timelineItems.nodes[3]);
// nothing is returned to write then.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mine/github_client.h"
#include "store/mining_state.h"

namespace firstmile {

inline constexpr size_t kIssuesPerQuery = 100;

struct CrossReferenceBatch {
  std::map<int64_t, std::vector<TimelineEvent>> events{};  // by issue number, every one found
  std::vector<int64_t> missing{};                          // asked for, no such issue
  int64_t queries = 0;                                     // GraphQL requests it took
};

// The cross-references of up to kIssuesPerQuery issues of OWNER/NAME.
CrossReferenceBatch fetch_cross_references(GithubClient& github, const std::string& owner, const std::string& name,
                                           const std::vector<int64_t>& numbers);

// The query for these issues' first 100 items (variables: owner, name).
std::string cross_references_query(const std::vector<int64_t>& numbers);

// One timeline item of issue `number` (a node of timelineItems) as a row; `where` names it.
TimelineEvent graphql_timeline_item(const nlohmann::json& node, int64_t number, const std::string& where);

}  // namespace firstmile
