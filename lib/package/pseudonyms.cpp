// package/pseudonyms.cpp — keyed pseudonyms and the rewriting of text that names people.
#include "package/pseudonyms.h"

#include <algorithm>
#include <cctype>

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
  for (const std::string& email : people.emails) emails_.insert(to_lower_ascii(email));
  for (const std::string& name : lowered_longest_first(people.names)) {
    size_t end = 0;
    while (end < name.size() && token_char(name[end])) ++end;
    if (end == 0) {
      odd_names_.push_back(name);
    } else {
      names_by_first_word_[name.substr(0, end)].push_back(name);
    }
  }
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
  std::string out = emails_.empty() || text.find('@') == std::string_view::npos ? std::string(text)
                                                                                : rewrite_emails(text);
  if (!odd_names_.empty()) out = rewrite_odd_names(std::move(out));
  return rewrite_tokens(out);
}

// Each known address, found around an '@': the longest local part that ends there and starts
// after punctuation, and the domain without a sentence's final dot.
std::string Pseudonymizer::rewrite_emails(std::string_view text) const {
  auto local_char = [](char c) { return token_char(c) || c == '.' || c == '%' || c == '+'; };
  auto domain_char = [](char c) { return token_char(c) || c == '.'; };
  std::string out;
  size_t done = 0;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at < done) continue;
    size_t start = at;
    while (start > done && local_char(text[start - 1])) --start;
    size_t end = at + 1;
    while (end < text.size() && domain_char(text[end])) ++end;
    while (end > at + 1 && text[end - 1] == '.') --end;
    const std::string domain = to_lower_ascii(text.substr(at, end - at));
    for (size_t from = start; from < at; ++from) {
      if (from > start && std::isalnum(static_cast<unsigned char>(text[from - 1]))) continue;
      std::string address = to_lower_ascii(text.substr(from, at - from)) + domain;
      if (!emails_.count(address)) continue;
      out.append(text.substr(done, from - done)).append(person(address));
      done = end;
      break;
    }
  }
  out.append(text.substr(done));
  return out;
}

// Names that start with punctuation, searched for one by one (few, if any).
std::string Pseudonymizer::rewrite_odd_names(std::string text) const {
  for (const std::string& name : odd_names_) {
    std::string lower = to_lower_ascii(text), out;
    size_t done = 0;
    for (size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
      if (at < done) continue;
      size_t end = at + name.size();
      if (end < lower.size() && token_char(lower[end])) continue;
      out.append(text, done, at - done).append(person(name));
      done = end;
    }
    out.append(text, done, std::string::npos);
    text = std::move(out);
  }
  return text;
}

// Known names (whole words from a word on), tokens that are known logins, and @-mentions (an
// '@' not preceded by a token character, so not an e-mail address), replaced by pseudonyms.
const std::string* Pseudonymizer::name_at(std::string_view text, size_t at, const std::string& first_word) const {
  auto names = names_by_first_word_.find(first_word);
  if (names == names_by_first_word_.end()) return nullptr;
  for (const std::string& name : names->second) {
    size_t end = at + name.size();
    if (end > text.size() || (end < text.size() && token_char(text[end]))) continue;
    if (to_lower_ascii(text.substr(at, name.size())) == name) return &name;
  }
  return nullptr;
}

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
    const std::string lower = to_lower_ascii(token);
    if (const std::string* name = name_at(text, i, lower)) {
      out += person(*name);
      i += name->size();
      continue;
    }
    if (token.size() == 5 + kPseudonymDigits && token.substr(0, 5) == "anon-") {  // rewritten already
      out += token;
      i = end;
      continue;
    }
    bool mention = i > 0 && text[i - 1] == '@' && (i == 1 || !token_char(text[i - 2])) && looks_like_login(token);
    if (mention || logins_.count(lower)) {
      out += person(token);
    } else {
      out += token;
    }
    i = end;
  }
  return out;
}

}  // namespace firstmile
