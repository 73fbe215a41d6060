// Tests of package/pseudonyms.h: keyed, stable pseudonyms and the rewriting of text.
#include <doctest/doctest.h>

#include "base/content_hash.h"
#include "base/error.h"
#include "package/pseudonyms.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

const std::string kSalt = "a-salt-of-at-least-16-bytes";

PeopleInStore people() { return {{"octocat", "user"}, {"Jane Doe"}, {"jane@example.com"}}; }

}  // namespace

TEST_CASE("HMAC-SHA-256 matches the RFC 4231 test vector") {
  // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("a person's pseudonym is stable under one salt, ignores case, and changes with the salt") {
  Pseudonymizer a(kSalt, people()), b(kSalt, people()), other("another-salt-of-16-bytes+", people());
  CHECK(a.person("octocat") == b.person("octocat"));
  CHECK(a.person("OctoCat") == a.person("octocat"));
  CHECK(a.person("octocat") != other.person("octocat"));
  CHECK(a.person("octocat") != a.person("user"));
  CHECK(a.person("octocat").rfind("anon-", 0) == 0);
  CHECK(a.person("octocat").size() == 21);
  CHECK(a.person("octocat") == "anon-" + hmac_sha256_hex(kSalt, "octocat").substr(0, 16));
}

TEST_CASE("text loses every known login, name, e-mail and @-mention, and keeps the rest") {
  Pseudonymizer p(kSalt, people());
  std::string text = p.text("Thanks @octocat and @stranger! Jane Doe <jane@example.com> says OctoCat's user-guide; a user");
  CHECK(text.find("octocat") == std::string::npos);
  CHECK(text.find("OctoCat") == std::string::npos);
  CHECK(text.find("stranger") == std::string::npos);
  CHECK(text.find("Jane") == std::string::npos);
  CHECK(text.find("jane@") == std::string::npos);
  CHECK(text.find("@" + p.person("octocat")) != std::string::npos);
  CHECK(text.find("@" + p.person("stranger")) != std::string::npos);
  CHECK(text.find("user-guide") != std::string::npos);  // a longer token, not the login
  CHECK(text.find("a " + p.person("user")) != std::string::npos);
  CHECK(text.find("Thanks") == 0);
}

TEST_CASE("an e-mail address is not read as an @-mention, and rewriting twice changes nothing more") {
  Pseudonymizer p(kSalt, {});
  CHECK(p.text("write to someone@example.org") == "write to someone@example.org");
  std::string once = p.text("cc @octocat");
  CHECK(p.text(once) == once);
}

TEST_CASE("keeping people changes nothing") {
  Pseudonymizer keep = Pseudonymizer::keeping();
  CHECK(keep.keeps_people());
  CHECK(keep.person("octocat") == "octocat");
  CHECK(keep.text("@octocat") == "@octocat");
}

TEST_CASE("a salt file shorter than 16 bytes is refused, naming the file") {
  TempDir dir;
  write_file(dir / "short.salt", "tiny\n");
  write_file(dir / "good.salt", "0123456789abcdef-more\n");
  CHECK_THROWS_WITH_AS(read_salt(dir / "short.salt"), doctest::Contains("short.salt: the salt must hold at least 16"),
                       Error);
  CHECK(read_salt(dir / "good.salt") == "0123456789abcdef-more");
}

TEST_CASE("addresses are found whole, at a sentence's end or behind a prefix, and longer names win") {
  Pseudonymizer p(kSalt, {{}, {"Jane", "Jane Doe", ".hidden name"}, {"jane@example.com", "j.doe@example.org"}});
  CHECK(p.text("mail jane@example.com.") == "mail " + p.person("jane@example.com") + ".");
  CHECK(p.text("mailto:J.Doe@Example.org") == "mailto:" + p.person("j.doe@example.org"));
  CHECK(p.text("xjane@example.com") == "xjane@example.com");  // another address
  CHECK(p.text("by JANE DOE and Jane") == "by " + p.person("jane doe") + " and " + p.person("jane"));
  CHECK(p.text("Janet") == "Janet");
  CHECK(p.text("see .hidden name here") == "see " + p.person(".hidden name") + " here");
}
