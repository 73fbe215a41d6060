// fake_github.h — a loopback server that speaks the parts of GitHub's REST API firstmile uses.
//
//   FakeGithub gh;                                  // listens on 127.0.0.1, a free port
//   gh.add(make_repository("QwenLM", "Qwen", 250, 420, 7));
//   run_firstmile({"mine", "QwenLM/Qwen", "--api-url", gh.url(), ...});
//   gh.stats().requests, gh.stats().not_modified
//
// It serves GET /repos/O/N, /repos/O/N/issues (state, sort=updated, direction, since,
// per_page, page), /repos/O/N/issues/comments, /repos/O/N/issues/events (newest first, no
// since), /repos/O/N/issues/K (one issue), /repos/O/N/issues/K/timeline, and the same
// under /repositories/ID/...; with Link pagination, ETags and 304s, rate-limit headers,
// gzip when asked for, and 301 redirects from a repository's old name; and POST /graphql, the
// cross-references and duplicate marks of the timelines as GitHub's GraphQL API gives them
// (fake_graphql.h). Faults (5xx bursts, primary and secondary rate limits, slow answers,
// malformed bodies, GraphQL errors and limits) are switched on by tests.
// Used by the tests and by bench/ (mine_requests).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile::testing {

struct FakeRepository {
  std::string owner, name;
  int64_t id = 0;
  std::vector<nlohmann::json> issues;                        // REST issue objects (pull requests included)
  std::vector<nlohmann::json> comments;                      // REST issue comment objects
  std::map<int64_t, std::vector<nlohmann::json>> timelines;  // by issue number
  // The repository-wide issue events listing, newest (largest id) first: the timelines' events
  // but cross-references, each with its "issue".
  std::vector<nlohmann::json> events;
  std::string renamed_from;                 // an old "owner/name" that answers 301 to this one
  std::map<int64_t, int64_t> duplicate_of;  // GraphQL's canonical of a marked duplicate
};

// A repository with `issues` issues (every 7th a pull request; some with null bodies, some in
// Chinese, one with a body over 1 MB; about half look like failure reports) and `comments`
// comments spread over them, each issue with a short timeline. Deterministic for a seed.
FakeRepository make_repository(const std::string& owner, const std::string& name, int issues, int comments,
                               uint32_t seed);

// Issue `duplicate` marked as a duplicate of `canonical`: an event in its timeline and in the
// events listing (which, as on GitHub, do not name the original; GraphQL does).
void mark_duplicate(FakeRepository& repository, int64_t duplicate, int64_t canonical);
// `count` more cross-references from pull requests in issue `number`'s timeline.
void add_cross_references(FakeRepository& repository, int64_t number, int count);

struct FakeFaults {
  int fail_next = 0;  // the next N requests answer `fail_status`
  int fail_status = 502;
  int secondary_next = 0;           // the next N requests answer 403 + retry-after: 1
  int quota = -1;                   // >= 0: 200s left before the primary limit (403, reset in 1 s)
  int delay_ms = 0;                 // every answer waits this long
  std::string malformed_when;       // a request whose path+query contains this gets broken JSON
  std::string required_token;       // non-empty: other Authorization headers get 401
  bool echo_authorization = false;  // that 401's message quotes the Authorization header it got
  std::string graphql_answer;       // non-empty: every GraphQL request gets this body (200)
  int graphql_rate_limited = 0;     // the next N GraphQL requests: 200 with a RATE_LIMITED error, reset in 1 s
  int graphql_points = -1;          // >= 0: GraphQL points left in this window (rateLimit), reset in 1 s
  bool events_oldest_first = false;  // the events listing oldest (smallest id) first, unlike GitHub
};

struct FakeStats {
  int64_t requests = 0;
  int64_t not_modified = 0;
  int64_t timeline_requests = 0;
  int64_t event_requests = 0;  // of the repository-wide issue events listing
  int64_t graphql_requests = 0;
  int64_t graphql_issues = 0;  // issue fields the GraphQL queries asked for
  int64_t gzip_responses = 0;
  std::vector<std::string> authorizations;  // Authorization headers seen
  std::vector<std::string> targets;         // path?query of every request, in order
};

class FakeGithub {
 public:
  FakeGithub();
  ~FakeGithub();
  FakeGithub(const FakeGithub&) = delete;
  FakeGithub& operator=(const FakeGithub&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT
  void add(FakeRepository repository);
  // Changes an issue's title and sets its updated_at to now, as an edit on GitHub would.
  void edit_issue(const std::string& full_name, int64_t number, const std::string& title);
  // A new issue, or a comment on issue `number`, created and updated now (the next number or
  // id), as GitHub gains them after a study's date. Returns the new issue's number.
  int64_t add_issue(const std::string& full_name, const std::string& title);
  void add_comment(const std::string& full_name, int64_t number, const std::string& body);
  // An event (e.g. "marked_as_duplicate") on issue `number`, happening now, with the next id:
  // first in the events listing. Returns its id.
  int64_t add_event(const std::string& full_name, int64_t number, const std::string& event);
  void set_faults(const FakeFaults& faults);
  FakeStats stats() const;
  void reset_stats();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace firstmile::testing
