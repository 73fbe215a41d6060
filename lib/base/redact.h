// base/redact.h — secrets taken out of what is shown or stored.
//
//   redact_url_credentials("clone https://me:tok@host/x.git") == "clone https://<redacted>@host/x.git"
//   redacted_argv_json({"mine", "--token", "abc"}) == R"(["mine","--token","<redacted>"])"
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

// The argument vector as stored in runs.argv: values of flags that look secret (their names
// hold token, key, secret or password) are redacted, and so are credentials in URLs.
std::string redacted_argv_json(const std::vector<std::string>& argv);

// `text` with the user:password of every URL in it replaced: "https://<redacted>@host/...".
std::string redact_url_credentials(std::string_view text);

}  // namespace firstmile
