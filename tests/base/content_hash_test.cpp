// Tests of base/content_hash.h: hashes a user can check with `git hash-object` and `sha256sum`.
#include <doctest/doctest.h>

#include "base/content_hash.h"

using namespace firstmile;

TEST_CASE("a blob hash equals git hash-object's") {
  CHECK(git_blob_hash("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(git_blob_hash("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a");
  CHECK(git_blob_hash(std::string_view("a\0b", 3)) != git_blob_hash("ab"));
}

TEST_CASE("a SHA-256 equals sha256sum's") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(std::string_view("a\0b", 3)) != sha256_hex("ab"));
}
