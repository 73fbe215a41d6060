// base/issue_link.cpp — parsing GitHub issue URLs.
#include "base/issue_link.h"

#include <charconv>
#include <vector>

namespace firstmile {

namespace {
bool valid_name(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

std::optional<IssueLink> parse_issue_link(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.substr(0, scheme.size()) == scheme) {
      url.remove_prefix(scheme.size());
      break;
    }
  }
  if (url.substr(0, 4) == "www.") url.remove_prefix(4);
  if (url.substr(0, 11) != "github.com/") return std::nullopt;
  url.remove_prefix(11);
  if (auto cut = url.find_first_of("?#"); cut != std::string_view::npos) url = url.substr(0, cut);
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);

  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= url.size(); ++i) {
    if (i == url.size() || url[i] == '/') {
      parts.push_back(url.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 4 || !valid_name(parts[0]) || !valid_name(parts[1])) return std::nullopt;
  if (parts[2] != "issues" && parts[2] != "pull") return std::nullopt;
  IssueLink link{std::string(parts[0]), std::string(parts[1]), 0};
  auto [end, ec] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), link.number);
  if (ec != std::errc() || end != parts[3].data() + parts[3].size() || link.number <= 0) return std::nullopt;
  return link;
}

std::optional<IssueLink> parse_issue_reference(std::string_view text) {
  if (std::optional<IssueLink> link = parse_issue_link(text)) return link;
  const size_t first = text.find('/');
  size_t split = text.find('#');
  if (split == std::string_view::npos) split = text.rfind('/');
  if (first == std::string_view::npos || split == std::string_view::npos || split <= first) return std::nullopt;
  IssueLink link{std::string(text.substr(0, first)), std::string(text.substr(first + 1, split - first - 1)), 0};
  if (!valid_name(link.owner) || !valid_name(link.name)) return std::nullopt;
  std::string_view number = text.substr(split + 1);
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), link.number);
  if (ec != std::errc() || end != number.data() + number.size() || link.number <= 0) return std::nullopt;
  return link;
}

}  // namespace firstmile
