// Tests of dataset/issue_link.h.
#include <doctest/doctest.h>

#include "base/issue_link.h"

using namespace firstmile;

TEST_CASE("an issue link yields owner, repository and number") {
  auto l = parse_issue_link("https://github.com/QwenLM/Qwen2.5/issues/306");
  REQUIRE(l);
  CHECK(l->owner == "QwenLM");
  CHECK(l->name == "Qwen2.5");
  CHECK(l->number == 306);
  CHECK(l->url() == "https://github.com/QwenLM/Qwen2.5/issues/306");
}

TEST_CASE("links with www, http, a trailing slash, an anchor or /pull/ are accepted") {
  CHECK(parse_issue_link("http://www.github.com/meta-llama/llama/issues/834/")->number == 834);
  CHECK(parse_issue_link("https://github.com/o/r/issues/5#issuecomment-1")->number == 5);
  CHECK(parse_issue_link("https://github.com/o/r/pull/9")->number == 9);
}

TEST_CASE("anything else is not an issue link") {
  CHECK_FALSE(parse_issue_link("https://gitlab.com/o/r/issues/1"));
  CHECK_FALSE(parse_issue_link("https://github.com/o/r/issues/"));
  CHECK_FALSE(parse_issue_link("https://github.com/o/r/issues/12a"));
  CHECK_FALSE(parse_issue_link("https://github.com/o/r/commits/1"));
  CHECK_FALSE(parse_issue_link("https://github.com/o/issues/1"));
  CHECK_FALSE(parse_issue_link("https://github.com/o/r/issues/0"));
  CHECK_FALSE(parse_issue_link(""));
}

TEST_CASE("an issue reference is a URL, OWNER/NAME#N or OWNER/NAME/N, and nothing looser") {
  for (const char* text :
       {"QwenLM/Qwen2.5#306", "QwenLM/Qwen2.5/306", "https://github.com/QwenLM/Qwen2.5/issues/306"}) {
    std::optional<IssueLink> l = parse_issue_reference(text);
    REQUIRE_MESSAGE(l, text);
    CHECK(l->owner == "QwenLM");
    CHECK(l->name == "Qwen2.5");
    CHECK(l->number == 306);
  }
  for (const char* text : {"QwenLM#306", "QwenLM/Qwen2.5#", "QwenLM/Qwen2.5#0", "QwenLM/Qwen2.5#3x",
                           "QwenLM/Qwen 2.5#3", "/Qwen2.5#3", "QwenLM/#3", "306"}) {
    CHECK_MESSAGE(!parse_issue_reference(text), text);
  }
}
