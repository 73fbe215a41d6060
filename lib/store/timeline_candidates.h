// store/timeline_candidates.h — which issues' timelines the miner should fetch next: those whose
// stored timeline is missing or belongs to an older version of the issue.
//
//   for_each_issue_needing_timeline(store, repo, [&](const TimelineCandidateRow& c) {
//     if (looks_like_a_failure(c.title, c.body, c.labels_json)) todo.push_back(...c.issue_id...);
//   });
//
// Pull requests and placeholder issues (no text yet) are left out; issues come by number. The
// rows are streamed, so the miner's filter sees each issue's text without all of it held at
// once. Next to store/mining_state.h, which keeps the timelines themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace firstmile {

class Store;

struct TimelineCandidateRow {
  int64_t issue_id = 0, number = 0;
  std::optional<std::string> updated_at;
  std::string title, body;  // body "" when null
  std::string labels_json;  // the issue's labels, a JSON array of names
  bool known = false;       // a timeline was fetched before (for an older updated_at)
};

void for_each_issue_needing_timeline(Store& store, int64_t repository_id,
                                     const std::function<void(const TimelineCandidateRow&)>& visit);

}  // namespace firstmile
