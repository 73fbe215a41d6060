// base/content_hash.cpp — git blob hashes through OpenSSL's SHA-1.
#include "base/content_hash.h"

#include <openssl/evp.h>

#include <memory>

#include "base/error.h"

namespace firstmile {

std::string git_blob_hash(std::string_view content) {
  // What `git hash-object` hashes: a "blob <size>\0" header, then the content.
  const std::string header = "blob " + std::to_string(content.size()) + '\0';
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), header.data(), header.size()) != 1 ||
      EVP_DigestUpdate(context.get(), content.data(), content.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, &size) != 1) {
    throw Error("cannot hash content: OpenSSL's SHA-1 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace firstmile
