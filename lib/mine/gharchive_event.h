// mine/gharchive_event.h — one line of a GH Archive dump: may it be an issue event we import,
// and what does it say.
//
//   if (is_issue_event_line(line) && (wanted.empty() || may_be_wanted_repository(line, wanted))) {
//     IssueEvent e;
//     if (parse_issue_event(line, "2024-05-01-12.json.gz", line_number, wanted, e)) ...e.issue, e.comment...
//   }
//
// Only IssuesEvent and IssueCommentEvent lines are imported. The pre-filter decides on the raw
// line, with a substring search, so the other events (most of a dump) are never parsed and
// their malformation is none of our business. It may let through a line that is not wanted
// (the parsed event is checked again), never the reverse.
//
// Two parsers read a line that passed: a fast one (mine/json_scanner.h) that builds no tree
// and copies out only the fields the store needs, and the reference parser, nlohmann::json
// with precise errors. The fast parser takes a strict subset of what the reference accepts
// (no comments, no escaped keys, no repeated wanted keys, no exponents, no embedded comment
// arrays...) and on that subset extracts exactly what the reference does; every line it
// declines goes to the reference, which defines what is accepted and what each error says.
// Rows exported from GH Archive's BigQuery tables, where `payload` is a string holding JSON,
// are read by both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "store/store.h"

namespace firstmile {

// Repositories to import, as lower-case OWNER/NAME; empty: every repository.
using WantedRepositories = std::unordered_set<std::string>;

// What one issue event asks of the store: an issue snapshot, and for a comment event a comment
// to upsert or delete. Parsing (on the parser threads) ends here; writing starts from it.
struct IssueEvent {
  std::string owner, name;  // of the event's repository (its repo.name)
  IssueData issue;          // repository_id left 0
  bool comment_event = false;
  bool deleted = false;  // a comment event whose action is "deleted"
  CommentData comment;
  // Set by the import's look-ahead: a later snapshot makes this one's write pointless.
  bool issue_superseded = false, comment_superseded = false;
};

// --- The pre-filter, on the raw line.

// Whether the event's type is IssuesEvent or IssueCommentEvent: the first "type" whose value
// ends in "Event" (nested objects carry types such as "User", never "...Event").
bool is_issue_event_line(std::string_view line);
// Whether some "repo": {... "name": "OWNER/NAME" ...} of the line is wanted. Unsure lines pass.
bool may_be_wanted_repository(std::string_view line, const WantedRepositories& wanted);

// --- The parsers, for a line that passed the pre-filter.

// The event of the line; false if it is not one we import (another type, or a repository not
// wanted). Tries the fast parser, then the reference. Throws Error("PATH: line N: ...") for a
// malformed issue event.
bool parse_issue_event(std::string_view line, const std::string& path, int64_t line_number,
                       const WantedRepositories& wanted, IssueEvent& out);

// The two parsers parse_issue_event combines, on their own (for tests).
enum class QuickParse { kEvent, kSkip, kDeclined };
// kDeclined leaves `out` empty.
QuickParse parse_issue_event_quickly(std::string_view line, const WantedRepositories& wanted, IssueEvent& out);
bool parse_issue_event_reference(std::string_view line, const std::string& path, int64_t line_number,
                                 const WantedRepositories& wanted, IssueEvent& out);

}  // namespace firstmile
