// Tests of base/text.h: white-space normalisation and label splitting.
#include <doctest/doctest.h>

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
