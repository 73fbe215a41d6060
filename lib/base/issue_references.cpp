// base/issue_references.cpp — one RE2 pattern over the message, matches folded per issue; "Duplicate of".
#include "base/issue_references.h"

#include <charconv>

#include <re2/re2.h>

#include "base/text.h"

namespace firstmile {

namespace {

// RE2 has no look-behind, so the pattern consumes the character before a reference and
// requires it to be one that cannot continue a word, a path or a URL (`/#&?=.@-`); a
// trailing \b keeps `#12abc` and `#1e1e1e` out.
const RE2& reference_pattern() {
  static const RE2 pattern(R"((?i)(?:^|[^\w/#&?=.@-]))"
                           R"((?:(close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+)?)"
                           R"((?:https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)/(?:issues|pull)/(\d+))"
                           R"(|([\w.-]+)/([\w.-]+)#(\d+))"
                           R"(|#(\d+))\b)");
  return pattern;
}

bool parse_number(std::string_view digits, int64_t& out) {
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && end == digits.data() + digits.size() && out > 0;
}

}  // namespace

std::vector<CommitIssueLink> issue_links_in_message(std::string_view message, const std::string& default_owner,
                                                    const std::string& default_name) {
  const RE2& pattern = reference_pattern();
  constexpr int kGroups = 9;  // whole match, keyword, url owner/name/number, cross owner/name/number, bare number
  re2::StringPiece text(message.data(), message.size());
  re2::StringPiece m[kGroups];
  std::vector<CommitIssueLink> links;
  size_t at = 0;
  while (at <= text.size() && pattern.Match(text, at, text.size(), RE2::UNANCHORED, m, kGroups)) {
    at = static_cast<size_t>(m[0].data() - text.data()) + m[0].size();
    CommitIssueLink link;
    std::string_view number;
    if (m[4].data()) {
      link.owner = std::string(m[2].data(), m[2].size());
      link.name = std::string(m[3].data(), m[3].size());
      number = std::string_view(m[4].data(), m[4].size());
    } else if (m[7].data()) {
      link.owner = std::string(m[5].data(), m[5].size());
      link.name = std::string(m[6].data(), m[6].size());
      number = std::string_view(m[7].data(), m[7].size());
    } else {
      link.owner = default_owner;
      link.name = default_name;
      number = std::string_view(m[8].data(), m[8].size());
    }
    if (!parse_number(number, link.number)) continue;
    link.kind = m[1].data() ? "closes" : "mentions";
    bool seen = false;
    for (CommitIssueLink& earlier : links) {
      // The table's owner and name compare without case, so deduplicate the same way.
      if (earlier.number == link.number && to_lower_ascii(earlier.owner) == to_lower_ascii(link.owner) &&
          to_lower_ascii(earlier.name) == to_lower_ascii(link.name)) {
        if (link.kind == "closes") earlier.kind = "closes";
        seen = true;
        break;
      }
    }
    if (!seen) links.push_back(std::move(link));
  }
  return links;
}

std::optional<IssueLink> duplicate_of(std::string_view text, const std::string& default_owner,
                                      const std::string& default_name) {
  static const RE2 pattern(R"((?i)\bduplicate\s+of\s+(\S+))");
  re2::StringPiece input(text.data(), text.size());
  std::string target;
  while (RE2::FindAndConsume(&input, pattern, &target)) {
    std::vector<CommitIssueLink> links = issue_links_in_message(target, default_owner, default_name);
    if (!links.empty()) return IssueLink{links.front().owner, links.front().name, links.front().number};
  }
  return std::nullopt;
}

}  // namespace firstmile
