// package/pseudonyms.h — people replaced by stable keyed pseudonyms before anything is packaged.
//
//   Pseudonymizer p(read_salt("~/salts/study.salt"), people_in_store(store));
//   p.person("octocat")               // "anon-3f2a9c0d1e4b5a67", the same for "OctoCat"
//   p.text("thanks @octocat, see x")  // "thanks @anon-3f2a9c0d1e4b5a67, see x"
//   Pseudonymizer keep = Pseudonymizer::keeping();   // --keep-logins: everything as it is
//
// A pseudonym is "anon-" and the first 16 hex digits of HMAC-SHA-256(salt, identity in lower
// case): the same login, name or e-mail gets the same pseudonym in every table and in every
// package made with the same salt, another one under another salt, and without the salt nobody
// can test a guessed login against it (a plain hash could be). The salt therefore stays outside
// the package.
//
// Text is rewritten for every person the database names: e-mail addresses wherever they occur,
// author names as whole words, logins as whole tokens (letters, digits, '-', '_'), all ignoring
// case; and every @-mention, known or not. The price: an ordinary word that is also someone's
// login (say "user") is replaced in text too; a decorator such as "@dataclass" in quoted code
// reads as a mention.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/package_tables.h"

namespace firstmile {

// The salt in `path`, trailing white space dropped. Throws Error naming the file when it cannot
// be read or holds fewer than 16 bytes (a short salt can be guessed).
std::string read_salt(const std::filesystem::path& path);

class Pseudonymizer {
 public:
  Pseudonymizer(std::string salt, const PeopleInStore& people);
  static Pseudonymizer keeping();

  bool keeps_people() const { return keep_; }
  // The pseudonym of a login, name or e-mail ("" stays "").
  std::string person(std::string_view identity) const;
  // `text` with every person the database names, and every @-mention, replaced.
  std::string text(std::string_view text) const;

 private:
  Pseudonymizer() = default;
  std::string rewrite_emails(std::string_view text) const;
  std::string rewrite_odd_names(std::string text) const;
  std::string rewrite_tokens(std::string_view text) const;
  // The longest known name that starts at `at` with the word `first_word`, if any.
  const std::string* name_at(std::string_view text, size_t at, const std::string& first_word) const;

  bool keep_ = false;
  std::string salt_;
  // All lower case. Text is scanned once per kind, whatever the number of people: logins and
  // e-mails are looked up whole, names by their first word (longest name first).
  std::unordered_set<std::string> logins_, emails_;
  std::unordered_map<std::string, std::vector<std::string>> names_by_first_word_;
  std::vector<std::string> odd_names_;  // names that do not start with a word: searched for
};

}  // namespace firstmile
