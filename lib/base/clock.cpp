// base/clock.cpp — wall-clock time and timestamps in the store's format.
#include "base/clock.h"

#include <ctime>

namespace firstmile {

std::string iso8601_utc(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string utc_now_iso8601() { return iso8601_utc(static_cast<int64_t>(std::time(nullptr))); }

std::optional<int64_t> parse_iso8601_utc(const std::string& text) {
  std::tm tm{};
  if (text.size() < 19 || !strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace firstmile
