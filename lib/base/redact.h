// base/redact.h — secrets taken out of what is shown or stored.
//
//   redact_url_credentials("clone https://me:tok@host/x.git") == "clone https://<redacted>@host/x.git"
//   redacted_argv_json({"mine", "--token", "abc"}) == R"(["mine","--token","<redacted>"])"
//   register_secret(token);  redact_secrets("401: Bearer " + token + " rejected") == "401: Bearer <redacted> rejected"
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

// A secret this process holds (the GitHub token, the LLM API key, as read from the
// environment): from now on redact_secrets() takes it out of any text, wherever the text came
// from (a server may echo it in an error, an answer may quote it). Secrets shorter than 6
// characters are not registered (they would redact ordinary words). Thread-safe.
void register_secret(std::string_view secret);

// `text` with every registered secret, the value after "Bearer " or "token " (as an
// Authorization header carries it), the rest of an "Authorization:" line, GitHub and OpenAI-style
// key shapes (ghp_..., github_pat_..., sk-...) and URL credentials replaced by "<redacted>".
// For what is shown or stored about a run (messages, logs, summaries, cached answers); not for
// mined reports, whose text is the data.
std::string redact_secrets(std::string_view text);

}  // namespace firstmile
