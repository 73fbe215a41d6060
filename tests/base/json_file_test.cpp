// Tests of base/json_file.h: JSON read with the file and position of what is wrong.
#include <doctest/doctest.h>

#include "base/error.h"
#include "base/json_file.h"
#include "support/files.h"

using namespace firstmile;

TEST_CASE("invalid JSON names the origin, line and column, comments are allowed") {
  CHECK(parse_json("// a comment\n{\"a\": 1}", "f.json")["a"] == 1);
  CHECK_THROWS_WITH_AS(parse_json("{\n  \"a\": ,\n}", "f.json"), doctest::Contains("f.json: line 2, column"), Error);
}

TEST_CASE("a number too large for a double is an Error naming the origin, not an internal error") {
  CHECK_THROWS_WITH_AS(parse_json("{\"weight\": 1e999}", "rules.json"),
                       doctest::Contains("rules.json: invalid JSON: number overflow parsing '1e999'"), Error);
}

TEST_CASE("reading a folder or a missing path says which") {
  firstmile::testing::TempDir dir;
  CHECK_THROWS_WITH_AS(read_file(dir.path()), (dir.path().string() + ": is a folder, not a file").c_str(), Error);
  CHECK_THROWS_WITH_AS(read_file(dir / "none.json"), ((dir / "none.json").string() + ": no such file").c_str(), Error);
}
