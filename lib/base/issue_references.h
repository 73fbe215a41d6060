// base/issue_references.h — the issues a commit message names, and whether it closes them.
//
//   for (const CommitIssueLink& l : issue_links_in_message("Fixes #12, see vllm-project/vllm#7",
//                                                          "QwenLM", "Qwen2.5"))
//     ...   // {QwenLM, Qwen2.5, 12, "closes"}, {vllm-project, vllm, 7, "mentions"}
//
// A reference is `#N`, `OWNER/NAME#N` or a full https://github.com/OWNER/NAME/issues/N (or
// /pull/N) URL. Preceded by a closing keyword (close, closes, closed, fix, fixes, fixed,
// resolve, resolves, resolved; any case, optional colon) it is a 'closes' link, as GitHub reads
// it; otherwise a 'mentions' link. `#N` must stand on its own: not inside a word (`abc#12`), a
// URL fragment (`page/#12`) or a hex colour (`#fff`), and N is digits only. A bare `#N` names
// the default repository. Each issue appears once, in order of first appearance; 'closes' wins
// over 'mentions'.
//
//   std::optional<IssueLink> d = duplicate_of("Duplicate of #12", "QwenLM", "Qwen2.5");  // QwenLM/Qwen2.5#12
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/issue_link.h"

namespace firstmile {

struct CommitIssueLink {
  std::string owner;
  std::string name;
  int64_t number = 0;
  std::string kind;  // "closes" or "mentions"

  bool operator==(const CommitIssueLink&) const = default;
};

std::vector<CommitIssueLink> issue_links_in_message(std::string_view message, const std::string& default_owner,
                                                    const std::string& default_name);

// The issue a comment says this one duplicates: the first "duplicate of" (any case, any white
// space between the words) followed by a reference in any of the forms above (#N in the
// default repository, OWNER/NAME#N, an issue or pull request URL), as GitHub's "Duplicate of
// #N" and people write it. nullopt when there is none ("a duplicate of the problem in #3" is
// none: the word after "of" must be the reference).
std::optional<IssueLink> duplicate_of(std::string_view text, const std::string& default_owner,
                                      const std::string& default_name);

}  // namespace firstmile
