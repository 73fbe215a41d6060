// Tests of mine/json_scanner.h: what it reads, and what it declines rather than judge.
#include <doctest/doctest.h>

#include "mine/json_scanner.h"

using namespace firstmile;

namespace {

using Decline = JsonScanner::Decline;

// The value of the one string of `text`.
std::string string_of(const std::string& text) {
  JsonScanner s(text);
  std::string out;
  s.string(out);
  CHECK(s.at_end());
  return out;
}

// Whether skip() takes `text` as one whole value.
bool skips(const std::string& text) {
  try {
    JsonScanner s(text);
    s.skip();
    return s.at_end();
  } catch (const Decline&) {
    return false;
  }
}

}  // namespace

TEST_CASE("strings are unescaped as JSON says, surrogate pairs included") {
  CHECK(string_of(R"("plain")") == "plain");
  CHECK(string_of(R"("a\"b\\c\/d\n\t\r\b\f")") == "a\"b\\c/d\n\t\r\b\f");
  CHECK(string_of(R"("caf\u00e9 \u663e\u5b58 \ud83d\ude00")") == "caf\u00e9 \u663e\u5b58 \U0001F600");
  CHECK(string_of("\"\u663e\u5b58\u4e0d\u8db3 raw UTF-8, longer than sixteen bytes\"") ==
        "\u663e\u5b58\u4e0d\u8db3 raw UTF-8, longer than sixteen bytes");
}

TEST_CASE("a raw string says whether it holds escapes, and is its bytes between the quotes") {
  JsonScanner s(R"("no escapes" "one\n")");
  bool escaped = true;
  CHECK(s.raw_string(escaped) == "no escapes");
  CHECK_FALSE(escaped);
  CHECK(s.raw_string(escaped) == "one\\n");
  CHECK(escaped);
}

TEST_CASE("a string holding JSON is unescaped into the caller's buffer") {
  JsonScanner s(R"("{\"action\":\"created\",\"body\":\"\u00e9\\n\"}")");
  std::vector<char> buffer;
  std::string_view inner = s.unescaped_string(buffer);
  CHECK(inner == "{\"action\":\"created\",\"body\":\"\u00e9\\n\"}");
  CHECK(s.at_end());
}

TEST_CASE("objects and arrays call back for each member and element, skip passes over any value") {
  JsonScanner s(R"( {"a": [1, -2.5, true, false, null, {"x": []}], "b": "two", "n": 12, "m": null} )");
  std::vector<std::string> keys;
  std::optional<std::string> b;
  std::optional<int64_t> n, m = 7;
  s.object([&](std::string_view key) {
    keys.emplace_back(key);
    if (key == "b")
      s.optional_string(b);
    else if (key == "n")
      s.optional_integer(n);
    else if (key == "m")
      s.optional_integer(m);
    else
      s.skip();
  });
  CHECK(s.at_end());
  CHECK(keys == std::vector<std::string>{"a", "b", "n", "m"});
  CHECK(b == "two");
  CHECK(n == 12);
  CHECK(m == std::nullopt);
}

TEST_CASE("the scanner declines what it is not sure of") {
  CHECK(skips(R"({"a": [1, 2.5, "x"]})"));
  CHECK_FALSE(skips(R"(/* comment */ {})"));
  CHECK_FALSE(skips("1e5"));                // exponents
  CHECK_FALSE(skips("01"));                 // leading zeros
  CHECK_FALSE(skips(R"({"a\u0062": 1})"));  // escaped keys
  CHECK_FALSE(skips(R"("\ud83d")"));        // a lone surrogate
  CHECK_FALSE(skips("\"\xC0\x80\""));       // overlong UTF-8
  CHECK_FALSE(skips("\"\xED\xA0\x80\""));   // a surrogate in UTF-8
  CHECK_FALSE(skips("\"tab\there\""));      // a raw control character
  CHECK_FALSE(skips(R"("\x")"));            // an unknown escape
  CHECK_FALSE(skips(R"({"a": 1,})"));       // a trailing comma
  // Depth counts from the top value (0): the 66th nested array is at depth 65.
  CHECK_FALSE(skips(std::string(66, '[') + std::string(66, ']')));
  CHECK(skips(std::string(65, '[') + std::string(65, ']')));
  JsonScanner big("1234567890123456789");  // 19 digits: maybe past int64
  CHECK_THROWS_AS(big.integer(), Decline);
  JsonScanner fine("123456789012345678");
  CHECK(fine.integer() == 123456789012345678);
  // Far past int64 (found by scripts/fuzz.sh under UBSan: the digits overflowed before the
  // length was checked): declined, without overflowing on the way.
  JsonScanner huge("29000090162900009012900009016290000901");
  CHECK_THROWS_AS(huge.integer(), Decline);
}
