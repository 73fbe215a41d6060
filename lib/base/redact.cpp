// base/redact.cpp — secrets taken out of command lines and URLs.
#include "base/redact.h"

#include <algorithm>

#include <nlohmann/json.hpp>

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
  return out.dump();
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

}  // namespace firstmile
