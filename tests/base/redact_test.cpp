// Tests of base/redact.h: secrets taken out of what is shown or stored.
#include <doctest/doctest.h>

#include "base/redact.h"

using namespace firstmile;

TEST_CASE("URL credentials are redacted wherever a URL appears in a text") {
  CHECK(redact_url_credentials("clone of https://u:p@host/x failed; see http://h/y and ssh://git@h2:22/z") ==
        "clone of https://<redacted>@host/x failed; see http://h/y and ssh://<redacted>@h2:22/z");
  CHECK(redact_url_credentials("no url here") == "no url here");
  CHECK(redacted_argv_json({"git", "https://tok@github.com/a/b"}) == R"(["git","https://<redacted>@github.com/a/b"])");
}

TEST_CASE("registered secrets and token shapes are redacted wherever they appear") {
  register_secret("s3cr3t-value-42");
  register_secret("abc");  // too short to register: it would redact ordinary words
  CHECK(redact_secrets("the server said: s3cr3t-value-42 is wrong") == "the server said: <redacted> is wrong");
  CHECK(redact_secrets("abc stays") == "abc stays");
  CHECK(redact_secrets("401: Bearer abcdefgh12345 rejected") == "401: Bearer <redacted> rejected");
  CHECK(redact_secrets("header token 0123456789abcdef ok") == "header token <redacted> ok");
  CHECK(redact_secrets("a token of mine") == "a token of mine");  // not a credential's shape
  CHECK(redact_secrets("{\"Authorization\": \"Bearer abcdefgh12345\"}") == "{\"Authorization\": \"Bearer <redacted>\"}");
  CHECK(redact_secrets("Authorization: Bearer whatever\nnext line") == "Authorization: <redacted>\nnext line");
  CHECK(redact_secrets("key sk-proj-ABCDEFGHIJKLMNOPQRSTUV here") == "key <redacted> here");
  CHECK(redact_secrets("ghp_0123456789abcdefghijABCDEFGHIJ012345") == "<redacted>");
  CHECK(redact_secrets("https://me:pw@host/x") == "https://<redacted>@host/x");
  CHECK(redact_secrets("skeleton sk-short") == "skeleton sk-short");
}
