// Tests of base/text.h: white-space normalisation and label splitting.
#include <doctest/doctest.h>

#include "base/clock.h"
#include "base/error.h"
#include "base/text.h"

using namespace firstmile;

TEST_CASE("normalize_space trims and collapses runs of white space") {
  CHECK(normalize_space("  Environment \t  Issues \n") == "Environment Issues");
  CHECK(normalize_space("") == "");
  CHECK(normalize_space("   ") == "");
}

TEST_CASE("split_label splits on a dash between spaces only") {
  auto parts = split_label("Crash - Value-related Error - Runtime DType Mismatch");
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == "Crash");
  CHECK(parts[1] == "Value-related Error");
  CHECK(parts[2] == "Runtime DType Mismatch");
}

TEST_CASE("split_label normalises a double space after the dash") {
  auto parts = split_label("Environment Compatibility Issues -  Architecture Compatibility");
  REQUIRE(parts.size() == 2);
  CHECK(parts[1] == "Architecture Compatibility");
}

TEST_CASE("split_label keeps a single level whole") {
  auto parts = split_label("Fine-tuning");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == "Fine-tuning");
}

TEST_CASE("well-formed UTF-8 is told from stray, truncated, overlong and surrogate bytes") {
  CHECK(valid_utf8("plain ascii"));
  CHECK(valid_utf8("显存不足 and ünïcödé 😀"));
  CHECK(valid_utf8(""));
  CHECK_FALSE(valid_utf8("bad\xff"));
  CHECK_FALSE(valid_utf8("cut \xe6\x98"));         // a three-byte character missing its last byte
  CHECK_FALSE(valid_utf8("\xc0\x80"));             // an overlong NUL
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));         // a UTF-16 surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));     // beyond U+10FFFF
  CHECK_NOTHROW(require_utf8("ok", "--as"));
  CHECK_THROWS_WITH_AS(require_utf8("x\xff", "label import --as"),
                       "label import --as: 'x\xef\xbf\xbd' is not UTF-8 text", Error);
}

TEST_CASE("a date or time is ISO 8601 and real") {
  for (const char* ok : {"2024-05-01", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00", "2024-05-01T10:00:00.5Z",
                         "2024-02-29T23:59:59+08:00", "2024-05-01 10:00:00"})
    CHECK_MESSAGE(valid_iso8601(ok), ok);
  for (const char* bad : {"yesterday", "2099-13-45", "2023-02-29", "2024-05-01T25:00:00Z", "2024-05-01T10:00",
                          "2024-05-01Tx", "2024-5-1", "2024-05-01T10:00:00Zjunk", ""})
    CHECK_FALSE_MESSAGE(valid_iso8601(bad), bad);
}
