// Tests of base/content_hash.h: hashes a user can check with `git hash-object`.
#include <doctest/doctest.h>

#include "base/content_hash.h"

using namespace firstmile;

TEST_CASE("a blob hash equals git hash-object's") {
  CHECK(git_blob_hash("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(git_blob_hash("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a");
  CHECK(git_blob_hash(std::string_view("a\0b", 3)) != git_blob_hash("ab"));
}
