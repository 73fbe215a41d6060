// mine/gharchive_event.cpp — the pre-filter on raw lines, the reference parser, and the fast
// parser over JsonScanner.
#include "mine/gharchive_event.h"

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/issue_link.h"
#include "base/json_file.h"
#include "base/text.h"
#include "mine/github_json.h"
#include "mine/json_scanner.h"

namespace firstmile {

using nlohmann::json;

namespace {

bool is_issue_event_type(std::string_view type) { return type == "IssuesEvent" || type == "IssueCommentEvent"; }

bool wanted_repository(const WantedRepositories& wanted, std::string_view repo) {
  return wanted.empty() || wanted.count(to_lower_ascii(repo)) > 0;
}

// "OWNER/NAME" with neither part empty.
bool split_owner_name(const std::string& repo, IssueEvent& out) {
  size_t slash = repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size()) return false;
  out.owner = repo.substr(0, slash);
  out.name = repo.substr(slash + 1);
  return true;
}

}  // namespace

// --- The pre-filter.

namespace {

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// The string value of `"key": "value"` whose key starts at `at`, or nullopt if the value is
// not a string without escapes.
std::optional<std::string_view> string_value_at(std::string_view line, size_t at, size_t key_size) {
  size_t i = skip_space(line, at + key_size);
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  i = skip_space(line, i + 1);
  if (i >= line.size() || line[i] != '"') return std::nullopt;
  size_t end = line.find('"', i + 1);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view value = line.substr(i + 1, end - i - 1);
  if (value.find('\\') != std::string_view::npos) return std::nullopt;
  return value;
}

}  // namespace

// A quoted key or value can appear raw only as a JSON string token: inside another string its
// quotes would be escaped.
bool is_issue_event_line(std::string_view line) {
  constexpr std::string_view kKey = "\"type\"";
  for (size_t at = line.find(kKey); at != std::string_view::npos; at = line.find(kKey, at + kKey.size())) {
    std::optional<std::string_view> type = string_value_at(line, at, kKey.size());
    if (!type || !type->ends_with("Event")) continue;
    return is_issue_event_type(*type);
  }
  // A key or a type written with \u escapes ("\u0074ype", "Issue\u0073Event") is legal JSON
  // the byte search cannot read: such a line goes to the parser, which reads it and skips it
  // when it is not an issue event.
  return line.find("\\u") != std::string_view::npos;
}

bool may_be_wanted_repository(std::string_view line, const WantedRepositories& wanted) {
  constexpr std::string_view kRepo = "\"repo\"", kName = "\"name\"";
  bool found = false;
  for (size_t at = line.find(kRepo); at != std::string_view::npos; at = line.find(kRepo, at + kRepo.size())) {
    size_t object = skip_space(line, at + kRepo.size());
    if (object < line.size() && line[object] == ':') object = skip_space(line, object + 1);
    if (object >= line.size() || line[object] != '{') continue;
    size_t close = line.find('}', object);
    size_t name = line.find(kName, object);
    if (name == std::string_view::npos || name > close) continue;
    std::optional<std::string_view> value = string_value_at(line, name, kName.size());
    if (!value) return true;
    found = true;
    if (wanted.count(to_lower_ascii(*value))) return true;
  }
  return !found;
}

// --- The reference parser: nlohmann::json, with precise errors.

namespace {

// object[key], which must exist and have `type` (an object or a string).
json& member(json& object, const char* key, const std::string& where, json::value_t type) {
  auto it = object.find(key);
  if (it == object.end() || it->type() != type) {
    throw Error(where + ": field '" + key + "' must be " + (type == json::value_t::object ? "an object" : "a string") +
                (it == object.end() ? ", but is missing" : ", got " + json_type_name(*it)));
  }
  return *it;
}

// Whether a member is one the import never reads: avatars, API links, node ids, the actor...
// Leaving them out of the parsed tree saves most of its allocations.
bool unused_member(const std::string& key) {
  static const std::unordered_set<std::string> kUnused = {
      "url",       "node_id",   "actor", "org",         "performed_via_github_app", "assignee",
      "assignees", "milestone", "label", "gravatar_id", "site_admin",               "active_lock_reason",
      "locked",    "draft",     "sub_issues_summary"};
  if (key.ends_with("_url")) return key != "html_url" && key != "repository_url" && key != "issue_url";
  return kUnused.count(key) > 0;
}

json parse_event(std::string_view line, const std::string& path, int64_t number) {
  json::parser_callback_t keep = [](int, json::parse_event_t event, json& parsed) {
    return event != json::parse_event_t::key || !unused_member(parsed.get_ref<const std::string&>());
  };
  json event = json::parse(line, keep, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  // A parse error: parse again the usual way for the message naming line and column.
  if (event.is_discarded()) return parse_json(line, path, static_cast<size_t>(number));
  return event;
}

// The payload's issue and, for a comment event, its comment and action.
void read_payload(json& event, const std::string& where, IssueEvent& out) {
  auto payload_it = event.find("payload");
  if (payload_it != event.end() && payload_it->is_string()) {
    // BigQuery's GH Archive tables hold the payload as a string of JSON.
    *payload_it = parse_json(payload_it->get_ref<const std::string&>(), where + ": payload");
  }
  json& payload = member(event, "payload", where, json::value_t::object);
  json& issue_json = member(payload, "issue", where + ": payload", json::value_t::object);
  // Trimmed payloads may leave out html_url; the event names the repository.
  auto html_url = issue_json.find("html_url");
  if (html_url == issue_json.end() || html_url->is_null()) {
    auto n = issue_json.find("number");
    if (n != issue_json.end() && n->is_number_integer()) {
      issue_json["html_url"] = IssueLink{out.owner, out.name, n->get<int64_t>()}.url();
    }
  }
  out.issue = issue_from_json(issue_json, where + ": payload.issue").data;
  if (!out.comment_event) return;
  out.comment = comment_from_json(member(payload, "comment", where + ": payload", json::value_t::object),
                                  where + ": payload.comment")
                    .data;
  auto action = payload.find("action");
  out.deleted = action != payload.end() && action->is_string() && action->get_ref<const std::string&>() == "deleted";
}

}  // namespace

bool parse_issue_event_reference(std::string_view line, const std::string& path, int64_t number,
                                 const WantedRepositories& wanted, IssueEvent& out) {
  std::string where = path + ": line " + std::to_string(number);
  json event = parse_event(line, path, number);
  if (!event.is_object()) throw Error(where + ": expected an event object, got " + json_type_name(event));
  const std::string& type = member(event, "type", where, json::value_t::string).get_ref<const std::string&>();
  if (!is_issue_event_type(type)) return false;
  const std::string& repo =
      member(member(event, "repo", where, json::value_t::object), "name", where + ": repo", json::value_t::string)
          .get_ref<const std::string&>();
  if (!wanted_repository(wanted, repo)) return false;
  if (!split_owner_name(repo, out)) throw Error(where + ": repo.name '" + repo + "' is not OWNER/NAME");
  out.comment_event = type == "IssueCommentEvent";
  read_payload(event, where, out);
  return true;
}

// --- The fast parser: JsonScanner over the fields the store needs. Any doubt declines.

namespace {

using Decline = JsonScanner::Decline;

void decline_unless_time(const std::optional<std::string>& time) {
  if (time && !valid_iso8601(*time)) throw Decline{};
}

// Marks a wanted member seen; a repeated one is left to the reference parser.
inline void once(bool& seen) {
  if (seen) throw Decline{};
  seen = true;
}

void scan_login(JsonScanner& s, std::optional<std::string>& author) {
  if (s.null()) return;
  if (s.peek() != '{') throw Decline{};
  bool login = false;
  s.object([&](std::string_view key) {
    if (key == "login") {
      once(login);
      s.optional_string(author);
    } else {
      s.skip();
    }
  });
}

// {"url": ..., "total_count": 4, "+1": 3, ...}: the counts, each an unsigned integer; a sign,
// a fraction or a repeated count declines (the reference names a bad one).
void scan_reactions(JsonScanner& s, std::optional<Reactions>& out) {
  if (s.null()) return;
  if (s.peek() != '{') throw Decline{};
  Reactions& r = out.emplace();
  bool seen[9] = {};
  std::optional<int64_t> total;
  s.object([&](std::string_view key) {
    for (int k = 0; k < 8; ++k) {
      if (key == Reactions::kKinds[k]) {
        once(seen[k]);
        r.counts[k] = s.integer();
        return;
      }
    }
    if (key == "total_count") {
      once(seen[8]);
      total = s.integer();
    } else {
      s.skip();
    }
  });
  int64_t sum = 0;
  for (int64_t c : r.counts) sum += c;
  r.total = total.value_or(sum);
}

// Labels as names, or as objects with a name.
void scan_labels(JsonScanner& s, std::vector<std::string>& labels) {
  if (s.null()) return;
  s.array([&] {
    if (s.peek() == '"') {
      s.string(labels.emplace_back());
      return;
    }
    if (s.peek() != '{') throw Decline{};
    bool name = false;
    s.object([&](std::string_view key) {
      if (key == "name") {
        once(name);
        if (s.peek() != '"') throw Decline{};
        s.string(labels.emplace_back());
      } else {
        s.skip();
      }
    });
    if (!name) throw Decline{};
  });
}

// One piece: a flat dispatch over the issue's members, a branch per field the store keeps,
// each member seen at most once.
void scan_issue(JsonScanner& s, const IssueEvent& event, IssueData& d) {
  if (s.peek() != '{') throw Decline{};
  bool number = false, html_url = false, repository_url = false, id = false, title = false, body = false, state = false,
       state_reason = false, user = false, association = false, created = false, updated = false, closed = false,
       pull_request = false, labels = false, comments = false, reactions = false;
  std::optional<std::string> url, ignored;
  int64_t n = 0;  // 0: null or absent (a plain integer: GCC 12 takes an optional for maybe uninitialised)
  s.object([&](std::string_view key) {
    if (key == "number") {
      once(number);
      if (!s.null()) n = s.integer();
    } else if (key == "html_url") {
      once(html_url);
      s.optional_string(url);
    } else if (key == "repository_url") {
      once(repository_url);
      s.optional_string(ignored);  // read only when html_url names no issue: declined below
    } else if (key == "id") {
      once(id);
      s.optional_integer(d.github_id);
    } else if (key == "title") {
      once(title);
      s.optional_string(d.title);
    } else if (key == "body") {
      once(body);
      s.optional_string(d.body);
    } else if (key == "state") {
      once(state);
      s.optional_string(d.state);
    } else if (key == "state_reason") {
      once(state_reason);
      s.optional_string(d.state_reason);
    } else if (key == "user") {
      once(user);
      scan_login(s, d.author);
    } else if (key == "author_association") {
      once(association);
      s.optional_string(d.author_association);
    } else if (key == "created_at") {
      once(created);
      s.optional_string(d.created_at);
    } else if (key == "updated_at") {
      once(updated);
      s.optional_string(d.updated_at);
    } else if (key == "closed_at") {
      once(closed);
      s.optional_string(d.closed_at);
    } else if (key == "pull_request") {
      once(pull_request);
      d.is_pull_request = !s.null();
      if (d.is_pull_request) s.skip();
    } else if (key == "labels") {
      once(labels);
      scan_labels(s, d.labels);
    } else if (key == "comments") {
      once(comments);
      s.optional_integer(d.comments_count);  // an array of embedded comments declines
    } else if (key == "reactions") {
      once(reactions);
      scan_reactions(s, d.reactions);
    } else {
      s.skip();
    }
  });
  if (n <= 0) throw Decline{};
  d.number = n;
  // Trimmed payloads may leave out html_url; the event names the repository.
  d.url = url ? *url : IssueLink{event.owner, event.name, d.number}.url();
  if (!parse_issue_link(d.url)) throw Decline{};
  // A state or time the store would refuse is the reference parser's to name, with its field.
  if (d.state && *d.state != "open" && *d.state != "closed") throw Decline{};
  decline_unless_time(d.created_at);
  decline_unless_time(d.updated_at);
  decline_unless_time(d.closed_at);
}

void scan_comment(JsonScanner& s, CommentData& c) {
  if (s.peek() != '{') throw Decline{};
  bool id = false, user = false, association = false, body = false, created = false, updated = false, html_url = false,
       issue_url = false, reactions = false;
  int64_t github_id = -1;  // -1: null or absent (not an optional, as for the issue's number)
  std::optional<std::string> ignored;
  s.object([&](std::string_view key) {
    if (key == "id") {
      once(id);
      if (!s.null()) github_id = s.integer();
    } else if (key == "user") {
      once(user);
      scan_login(s, c.author);
    } else if (key == "author_association") {
      once(association);
      s.optional_string(c.author_association);
    } else if (key == "body") {
      once(body);
      s.optional_string(c.body);
    } else if (key == "created_at") {
      once(created);
      s.optional_string(c.created_at);
    } else if (key == "updated_at") {
      once(updated);
      s.optional_string(c.updated_at);
    } else if (key == "html_url") {
      once(html_url);
      s.optional_string(c.url);
    } else if (key == "issue_url") {
      once(issue_url);
      s.optional_string(ignored);  // must be a string or null when read
    } else if (key == "reactions") {
      once(reactions);
      scan_reactions(s, c.reactions);
    } else {
      s.skip();
    }
  });
  if (github_id < 0) throw Decline{};
  c.github_id = github_id;
  decline_unless_time(c.created_at);
  decline_unless_time(c.updated_at);
}

void scan_payload(JsonScanner& s, IssueEvent& event) {
  if (s.peek() != '{') throw Decline{};
  bool action = false, issue = false, comment = false;
  s.object([&](std::string_view key) {
    if (key == "action") {
      once(action);
      if (s.peek() == '"') {
        std::string value;
        s.string(value);
        event.deleted = value == "deleted";
      } else {
        s.skip();
      }
    } else if (key == "issue") {
      once(issue);
      scan_issue(s, event, event.issue);
    } else if (key == "comment" && event.comment_event) {
      once(comment);
      scan_comment(s, event.comment);
    } else {
      s.skip();
    }
  });
  if (!issue || (event.comment_event && !comment)) throw Decline{};
  if (!event.comment_event) event.deleted = false;
}

// One event line's top-level members, in any order. In GH Archive's order (type and repo
// before the payload) the payload is read in place; otherwise its extent is noted and it is
// read once the type and repository say it is wanted.
class QuickEventParser {
 public:
  QuickEventParser(std::string_view line, const WantedRepositories& wanted, IssueEvent& out)
      : s_(line), wanted_(wanted), out_(out) {}

  QuickParse run() {
    if (s_.peek() != '{') throw Decline{};
    s_.object([&](std::string_view key) { member(key); });
    if (!s_.at_end() || !have_type_) throw Decline{};
    if (!is_issue_event_type(type_)) return QuickParse::kSkip;
    if (!have_repo_) throw Decline{};
    if (decide() == 0) return QuickParse::kSkip;
    if (!have_payload_) throw Decline{};
    if (!payload_done_) {
      JsonScanner p(std::string_view(payload_start_, static_cast<size_t>(payload_end_ - payload_start_)));
      payload(p);
    }
    return QuickParse::kEvent;
  }

 private:
  void member(std::string_view key) {
    if (key == "type") {
      once(have_type_);
      bool escaped = false;
      if (s_.peek() != '"') throw Decline{};
      type_ = s_.raw_string(escaped);
      if (escaped) throw Decline{};
    } else if (key == "repo") {
      once(have_repo_);
      repository();
    } else if (key == "payload") {
      once(have_payload_);
      if (decide() == 1) {  // the usual order: type and repo first, so the payload is read in place
        payload(s_);
        payload_done_ = true;
      } else {
        s_.peek();
        payload_start_ = s_.position();
        s_.skip();
        payload_end_ = s_.position();
      }
    } else {
      s_.skip();
    }
  }

  void repository() {
    if (s_.peek() != '{') throw Decline{};
    bool name = false;
    s_.object([&](std::string_view key) {
      if (key == "name") {
        once(name);
        if (s_.peek() != '"') throw Decline{};
        s_.string(repo_);
      } else {
        s_.skip();
      }
    });
    if (!name) throw Decline{};
  }

  // -1: not decided yet (type or repo not seen); 0: not imported; 1: imported.
  int decide() {
    if (!have_type_ || !have_repo_) return -1;
    if (!is_issue_event_type(type_)) return 0;
    if (!wanted_repository(wanted_, repo_)) return 0;
    if (!split_owner_name(repo_, out_)) throw Decline{};
    out_.comment_event = type_ == "IssueCommentEvent";
    return 1;
  }

  void payload(JsonScanner& p) {
    if (p.peek() == '"') {  // BigQuery: a string holding the payload's JSON
      // Unescaped in one pass into a buffer each parser thread keeps, then scanned.
      thread_local std::vector<char> buffer;
      JsonScanner inner(p.unescaped_string(buffer));
      scan_payload(inner, out_);
      if (!inner.at_end()) throw Decline{};
    } else {
      scan_payload(p, out_);
    }
  }

  JsonScanner s_;
  const WantedRepositories& wanted_;
  IssueEvent& out_;
  bool have_type_ = false, have_repo_ = false, have_payload_ = false, payload_done_ = false;
  std::string_view type_;
  std::string repo_;
  const char* payload_start_ = nullptr;
  const char* payload_end_ = nullptr;
};

}  // namespace

QuickParse parse_issue_event_quickly(std::string_view line, const WantedRepositories& wanted, IssueEvent& out) {
  try {
    return QuickEventParser(line, wanted, out).run();
  } catch (const Decline&) {
    out = IssueEvent();
    return QuickParse::kDeclined;
  }
}

bool parse_issue_event(std::string_view line, const std::string& path, int64_t line_number,
                       const WantedRepositories& wanted, IssueEvent& out) {
  switch (parse_issue_event_quickly(line, wanted, out)) {
    case QuickParse::kEvent: return true;
    case QuickParse::kSkip: return false;
    case QuickParse::kDeclined: break;
  }
  return parse_issue_event_reference(line, path, line_number, wanted, out);
}

}  // namespace firstmile
