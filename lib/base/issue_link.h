// base/issue_link.h — GitHub issue links as the dataset spells them.
//
//   std::optional<IssueLink> l = parse_issue_link("https://github.com/QwenLM/Qwen2.5/issues/306");
//   l->owner == "QwenLM"; l->name == "Qwen2.5"; l->number == 306;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace firstmile {

struct IssueLink {
  std::string owner;
  std::string name;
  int64_t number = 0;

  std::string repository() const { return owner + "/" + name; }
  std::string url() const { return "https://github.com/" + owner + "/" + name + "/issues/" + std::to_string(number); }
};

// Accepts http(s), an optional "www.", /issues/N or /pull/N, and a trailing slash, query or
// fragment; nullopt for anything else.
std::optional<IssueLink> parse_issue_link(std::string_view url);

// What a user types to name an issue: an issue URL, "OWNER/NAME#N" or "OWNER/NAME/N";
// nullopt for anything else (bad names, a number that is not a positive integer).
std::optional<IssueLink> parse_issue_reference(std::string_view text);

}  // namespace firstmile
