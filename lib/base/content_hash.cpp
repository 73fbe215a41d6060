// base/content_hash.cpp — git blob hashes through libgit2.
#include "base/content_hash.h"

#include <git2.h>

#include "base/error.h"

namespace firstmile {

std::string git_blob_hash(std::string_view content) {
  git_oid oid;
  if (git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB) != 0) {
    throw Error("cannot hash content: libgit2 failed");
  }
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

}  // namespace firstmile
