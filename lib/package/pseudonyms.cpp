// package/pseudonyms.cpp — keyed pseudonyms and the rewriting of text that names people.
#include "package/pseudonyms.h"

#include <algorithm>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"

namespace firstmile {

namespace {

constexpr size_t kMinimumSalt = 16;
constexpr size_t kPseudonymDigits = 16;

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// GitHub logins: letters, digits and single hyphens, at most 39 characters.
bool looks_like_login(std::string_view token) {
  if (token.empty() || token.size() > 39 || token.front() == '-') return false;
  return std::all_of(token.begin(), token.end(), [](char c) { return token_char(c) && c != '_'; });
}

std::vector<std::string> lowered_longest_first(const std::vector<std::string>& phrases) {
  std::vector<std::string> out;
  for (const std::string& p : phrases) {
    if (!p.empty()) out.push_back(to_lower_ascii(p));
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::string read_salt(const std::filesystem::path& path) {
  std::string salt = read_file(path);
  while (!salt.empty() && (salt.back() == '\n' || salt.back() == '\r' || salt.back() == ' ' || salt.back() == '\t')) {
    salt.pop_back();
  }
  if (salt.size() < kMinimumSalt) {
    throw Error(path.string() + ": the salt must hold at least " + std::to_string(kMinimumSalt) +
                " bytes (e.g. `head -c 32 /dev/urandom | base64 > " + path.string() + "`)");
  }
  return salt;
}

Pseudonymizer::Pseudonymizer(std::string salt, const PeopleInStore& people) : salt_(std::move(salt)) {
  if (salt_.empty()) throw Error("pseudonyms need a salt");
  for (const std::string& login : people.logins) logins_.insert(to_lower_ascii(login));
  names_ = lowered_longest_first(people.names);
  emails_ = lowered_longest_first(people.emails);
}

Pseudonymizer Pseudonymizer::keeping() {
  Pseudonymizer p;
  p.keep_ = true;
  return p;
}

std::string Pseudonymizer::person(std::string_view identity) const {
  if (keep_ || identity.empty()) return std::string(identity);
  return "anon-" + hmac_sha256_hex(salt_, to_lower_ascii(identity)).substr(0, kPseudonymDigits);
}

std::string Pseudonymizer::text(std::string_view text) const {
  if (keep_ || text.empty()) return std::string(text);
  std::string out(text);
  if (out.find('@') != std::string::npos) out = rewrite_phrases(std::move(out), emails_, false);
  out = rewrite_phrases(std::move(out), names_, true);
  return rewrite_tokens(out);
}

// Each occurrence of a phrase (any case; with `whole_words`, not inside a longer token)
// replaced by the phrase's pseudonym. Longer phrases first, so "Jane Doe" wins over "Jane".
std::string Pseudonymizer::rewrite_phrases(std::string text, const std::vector<std::string>& phrases,
                                           bool whole_words) const {
  if (phrases.empty()) return text;
  std::string lower = to_lower_ascii(text);
  for (const std::string& phrase : phrases) {
    size_t at = lower.find(phrase);
    if (at == std::string::npos) continue;
    const std::string pseudonym = person(phrase);
    std::string rewritten, rewritten_lower;
    size_t done = 0;
    for (; at != std::string::npos; at = lower.find(phrase, at + 1)) {
      if (at < done) continue;
      size_t end = at + phrase.size();
      if (whole_words && ((at > 0 && token_char(lower[at - 1])) || (end < lower.size() && token_char(lower[end])))) {
        continue;
      }
      rewritten.append(text, done, at - done).append(pseudonym);
      rewritten_lower.append(lower, done, at - done).append(pseudonym);
      done = end;
    }
    rewritten.append(text, done, std::string::npos);
    rewritten_lower.append(lower, done, std::string::npos);
    text = std::move(rewritten);
    lower = std::move(rewritten_lower);
  }
  return text;
}

// Tokens that are known logins, and @-mentions (an '@' not preceded by a token character, so
// not an e-mail address), replaced by pseudonyms.
std::string Pseudonymizer::rewrite_tokens(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!token_char(text[i])) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && token_char(text[end])) ++end;
    std::string_view token = text.substr(i, end - i);
    if (token.size() == 5 + kPseudonymDigits && token.substr(0, 5) == "anon-") {  // rewritten already
      out += token;
      i = end;
      continue;
    }
    bool mention = i > 0 && text[i - 1] == '@' && (i == 1 || !token_char(text[i - 2])) && looks_like_login(token);
    if (mention || logins_.count(to_lower_ascii(token))) {
      out += person(token);
    } else {
      out += token;
    }
    i = end;
  }
  return out;
}

}  // namespace firstmile
