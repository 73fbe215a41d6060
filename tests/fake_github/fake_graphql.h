// fake_graphql.h — the loopback server's POST /graphql, answered from a FakeRepository's
// timelines (fake_github.cpp routes to it; not for tests to call).
//
// It reads the queries firstmile sends, the way GitHub would answer them: aliased
// `iN: issue(number: N)` fields, or one `issue(number: $number)` with `$after`; the
// `timelineItems(first: K, after: ..., itemTypes: [...])` connection (K over 100 is GitHub's
// error), filtered to the item types asked for, with pageInfo cursors; `rateLimit`. An issue it
// does not have (or a pull request) is null with a NOT_FOUND error whose path names the alias.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_github.h"

namespace firstmile::testing {

struct GraphqlReply {
  int status = 200;
  nlohmann::json body;
  int64_t issues = 0;  // issue fields the query asked for
};

// `points_left` is the GraphQL rate limit's remaining points (each query costs 1), `reset_at`
// when it resets (ISO 8601).
GraphqlReply answer_graphql(const std::vector<FakeRepository>& repositories, const std::string& request_body,
                            int64_t& points_left, const std::string& reset_at);

}  // namespace firstmile::testing
