// base/redact.cpp — secrets taken out of command lines and URLs.
#include "base/redact.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <nlohmann/json.hpp>

#include "base/json_file.h"
#include "base/text.h"

namespace firstmile {

std::string redacted_argv_json(const std::vector<std::string>& argv) {
  nlohmann::json out = nlohmann::json::array();
  bool redact_next = false;
  for (const std::string& arg : argv) {
    if (redact_next) {
      out.push_back("<redacted>");
      redact_next = false;
      continue;
    }
    std::string lower = to_lower_ascii(arg);
    bool secret_flag = lower.rfind("--", 0) == 0 &&
                       (lower.find("token") != std::string::npos || lower.find("key") != std::string::npos ||
                        lower.find("secret") != std::string::npos || lower.find("password") != std::string::npos);
    if (secret_flag) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) {
        redact_next = true;
        out.push_back(arg);
      } else {
        out.push_back(arg.substr(0, eq + 1) + "<redacted>");
      }
    } else {
      out.push_back(redact_url_credentials(arg));
    }
  }
  // A path is bytes: a name that is not UTF-8 is stored with U+FFFD where it is not.
  return json_text(out);
}

std::string redact_url_credentials(std::string_view text) {
  std::string out;
  size_t done = 0;
  for (size_t scheme = text.find("://"); scheme != std::string_view::npos; scheme = text.find("://", done)) {
    size_t host = scheme + 3;
    size_t end = std::min(text.find_first_of("/?# \t\r\n'\"<>", host), text.size());
    std::string_view authority = text.substr(host, end - host);
    out.append(text.substr(done, host - done));
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      out += "<redacted>@";
      authority.remove_prefix(at + 1);
    }
    out.append(authority);
    done = end;
  }
  out.append(text.substr(done));
  return out;
}

namespace {

std::mutex& secrets_mutex() {
  static std::mutex m;
  return m;
}
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}

bool token_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '-' || c == '.' || c == '=' || c == '/' || c == '+' || c == '~';
}

bool starts_with_ci(std::string_view text, size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

// The value after each "bearer ", "token " (of 8 characters or more), the rest of an
// "authorization:" line, and words shaped like GitHub or OpenAI keys.
std::string redact_shapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  // The end of a token-like value starting at `from`.
  auto value_end = [&text](size_t from) {
    while (from < text.size() && token_char(text[from])) ++from;
    return from;
  };
  while (i < text.size()) {
    if (i == 0 || !token_char(text[i - 1])) {
      if (starts_with_ci(text, i, "authorization:")) {
        size_t end = text.find_first_of("\r\n\"", i);
        out += text.substr(i, 14);
        out += " <redacted>";
        i = end == std::string_view::npos ? text.size() : end;
        continue;
      }
      bool redacted = false;
      for (std::string_view scheme : {"bearer ", "token "}) {
        size_t end = starts_with_ci(text, i, scheme) ? value_end(i + scheme.size()) : 0;
        if (end >= i + scheme.size() + 8) {
          out += text.substr(i, scheme.size());
          out += "<redacted>";
          i = end;
          redacted = true;
          break;
        }
      }
      for (std::string_view prefix : {"ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "sk-"}) {
        if (redacted || text.substr(i, prefix.size()) != prefix) continue;
        size_t end = value_end(i + prefix.size());
        if (end >= i + prefix.size() + 16) {
          out += "<redacted>";
          i = end;
          redacted = true;
        }
      }
      if (redacted) continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < 6) return;
  std::lock_guard<std::mutex> lock(secrets_mutex());
  if (std::find(secrets().begin(), secrets().end(), secret) == secrets().end()) secrets().emplace_back(secret);
}

std::string redact_secrets(std::string_view text) {
  std::string out(text);
  {
    std::lock_guard<std::mutex> lock(secrets_mutex());
    for (const std::string& secret : secrets()) {
      for (size_t p = out.find(secret); p != std::string::npos; p = out.find(secret, p + 10))
        out.replace(p, secret.size(), "<redacted>");
    }
  }
  return redact_url_credentials(redact_shapes(out));
}

}  // namespace firstmile
