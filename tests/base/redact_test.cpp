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
