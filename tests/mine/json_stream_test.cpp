// Tests of mine/json_stream.h: one array, concatenated arrays, JSON Lines.
#include <doctest/doctest.h>

#include "base/error.h"
#include "mine/json_stream.h"

using namespace firstmile;

TEST_CASE("one array is one value") {
  auto chunks = split_json_values("  [1, 2, {\"a\": [3]}]\n", "f");
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0].text == "[1, 2, {\"a\": [3]}]");
}

TEST_CASE("concatenated arrays as gh api --paginate prints them are separate values") {
  auto chunks = split_json_values("[{\"n\": 1}][{\"n\": 2}]\n[]", "f");
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[1].text == "[{\"n\": 2}]");
  CHECK(chunks[2].line == 2);
}

TEST_CASE("JSON Lines are one value per line, with their line numbers") {
  auto chunks = split_json_values("{\"n\": 1}\n{\"n\": 2}\n\n{\"n\": 3}\n", "f");
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[2].line == 4);
}

TEST_CASE("brackets and escaped quotes inside strings do not end a value") {
  auto chunks = split_json_values(R"({"body": "a ] } \" [ {"}{"x": "\\"})", "f");
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[1].text == R"({"x": "\\"})");
}

TEST_CASE("a truncated value names its starting line") {
  CHECK_THROWS_WITH_AS(split_json_values("[1]\n[{\"a\": 1},\n", "f.json"),
                       doctest::Contains("f.json: line 2: JSON value never ends"), Error);
}

TEST_CASE("a stray character between values is refused") {
  CHECK_THROWS_WITH_AS(split_json_values("[1], [2]", "f.json"), doctest::Contains("f.json: line 1: expected '['"),
                       Error);
}
