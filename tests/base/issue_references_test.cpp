// Tests of base/issue_references.h: the issues a commit message names, and the one a "Duplicate of" comment names.
#include <doctest/doctest.h>

#include "base/issue_references.h"

using namespace firstmile;

TEST_CASE("closing keywords in any case, with or without a colon, make closes links") {
  for (const char* message : {"Fixes #12", "fix #12", "FIXED: #12", "Closes #12", "close #12", "closed #12",
                              "Resolves #12", "resolve: #12", "resolved #12", "Bump (fixes #12)"}) {
    CAPTURE(message);
    CHECK(issue_links_in_message(message, "o", "r") == std::vector<CommitIssueLink>{{"o", "r", 12, "closes"}});
  }
}

TEST_CASE("a keyword inside a word or not right before the reference does not close") {
  CHECK(issue_links_in_message("prefixes #12", "o", "r") == std::vector<CommitIssueLink>{{"o", "r", 12, "mentions"}});
  CHECK(issue_links_in_message("Fixes #1 and #2", "o", "r") ==
        std::vector<CommitIssueLink>{{"o", "r", 1, "closes"}, {"o", "r", 2, "mentions"}});
}

TEST_CASE("hex colours, references inside words and URL fragments are not links") {
  for (const char* message : {"colour #fff", "abc#12", "#1e1e1e", "#12abc", "https://example.com/#12",
                              "https://example.com/page#12", "see x?a=1#3", "##4", "#0"}) {
    CAPTURE(message);
    CHECK(issue_links_in_message(message, "o", "r").empty());
  }
}

TEST_CASE("cross-repository references and full URLs name their own repository") {
  CHECK(issue_links_in_message("closes QwenLM/Qwen2.5#7, see https://github.com/vllm-project/vllm/pull/99 and "
                               "https://www.github.com/a/b/issues/3#issuecomment-1",
                               "o", "r") == std::vector<CommitIssueLink>{{"QwenLM", "Qwen2.5", 7, "closes"},
                                                                         {"vllm-project", "vllm", 99, "mentions"},
                                                                         {"a", "b", 3, "mentions"}});
}

TEST_CASE("bare references at the start, in parentheses and in lists are mentions of the default repository") {
  CHECK(
      issue_links_in_message("#3 first\n(#4), [#5];#6", "o", "r") ==
      std::vector<CommitIssueLink>{
          {"o", "r", 3, "mentions"}, {"o", "r", 4, "mentions"}, {"o", "r", 5, "mentions"}, {"o", "r", 6, "mentions"}});
}

TEST_CASE("an issue named twice is one link, and closes wins over mentions") {
  CHECK(issue_links_in_message("See #12. Fixes o/r#12, fixes #12, see O/R#12 and https://github.com/o/r/issues/12", "o",
                               "r") == std::vector<CommitIssueLink>{{"o", "r", 12, "closes"}});
}

TEST_CASE("duplicate_of reads GitHub's 'Duplicate of #N' as an issue of the default repository") {
  std::optional<IssueLink> d = duplicate_of("Duplicate of #12", "o", "r");
  REQUIRE(d);
  CHECK(d->owner == "o");
  CHECK(d->name == "r");
  CHECK(d->number == 12);
  CHECK(duplicate_of("closing: duplicate of #7.", "o", "r")->number == 7);
}

TEST_CASE("duplicate_of takes any case and any white space between the words") {
  for (const char* text : {"DUPLICATE OF #5", "duplicate\nof #5", "Looks like a duplicate  of\t#5"}) {
    CAPTURE(text);
    REQUIRE(duplicate_of(text, "o", "r"));
    CHECK(duplicate_of(text, "o", "r")->number == 5);
  }
}

TEST_CASE("duplicate_of reads cross-repository references and URLs") {
  std::optional<IssueLink> cross = duplicate_of("Duplicate of vllm-project/vllm#4021", "o", "r");
  REQUIRE(cross);
  CHECK(cross->repository() == "vllm-project/vllm");
  CHECK(cross->number == 4021);
  std::optional<IssueLink> url = duplicate_of("duplicate of https://github.com/QwenLM/Qwen2.5/issues/306", "o", "r");
  REQUIRE(url);
  CHECK(url->repository() == "QwenLM/Qwen2.5");
  CHECK(url->number == 306);
}

TEST_CASE("duplicate_of skips a 'duplicate of' not followed by a reference and takes the next one") {
  CHECK_FALSE(duplicate_of("a duplicate of the problem in #3", "o", "r"));
  CHECK_FALSE(duplicate_of("duplicated of #3", "o", "r"));
  CHECK_FALSE(duplicate_of("not a duplicate", "o", "r"));
  CHECK_FALSE(duplicate_of("Duplicate of #fff", "o", "r"));
  std::optional<IssueLink> second = duplicate_of("duplicate of what? Duplicate of #9, then duplicate of #10", "o", "r");
  REQUIRE(second);
  CHECK(second->number == 9);
}
