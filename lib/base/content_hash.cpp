// base/content_hash.cpp — git blob hashes and SHA-256 through OpenSSL's EVP digests.
#include "base/content_hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <initializer_list>
#include <memory>

#include "base/error.h"

namespace firstmile {

namespace {

std::string to_hex(const unsigned char* digest, unsigned int size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

// Lower-case hex of the digest of the parts, one after the other.
std::string hex_digest(const EVP_MD* md, const char* name, std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  bool ok = context && EVP_DigestInit_ex(context.get(), md, nullptr) == 1;
  for (std::string_view part : parts) ok = ok && EVP_DigestUpdate(context.get(), part.data(), part.size()) == 1;
  if (!ok || EVP_DigestFinal_ex(context.get(), digest, &size) != 1) {
    throw Error(std::string("cannot hash content: OpenSSL's ") + name + " failed");
  }
  return to_hex(digest, size);
}

}  // namespace

std::string git_blob_hash(std::string_view content) {
  // What `git hash-object` hashes: a "blob <size>\0" header, then the content.
  const std::string header = "blob " + std::to_string(content.size()) + '\0';
  return hex_digest(EVP_sha1(), "SHA-1", {header, content});
}

std::string sha256_hex(std::string_view content) { return hex_digest(EVP_sha256(), "SHA-256", {content}); }

std::string hmac_sha256_hex(std::string_view key, std::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  static const unsigned char kEmpty = 0;  // HMAC wants a non-null pointer even for empty input
  const auto* data = content.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(content.data());
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, content.size(), digest, &size)) {
    throw Error("cannot hash content: OpenSSL's HMAC-SHA-256 failed");
  }
  return to_hex(digest, size);
}

}  // namespace firstmile
