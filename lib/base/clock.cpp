// base/clock.cpp — wall-clock time and timestamps in the store's format.
#include "base/clock.h"

#include <cctype>
#include <ctime>
#include <string>

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

bool valid_iso8601(const std::string& text) {
  auto digits = [&text](size_t from, size_t n) {
    if (from + n > text.size()) return false;
    for (size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
  };
  if (!digits(0, 4) || text.size() < 10 || text[4] != '-' || !digits(5, 2) || text[7] != '-' || !digits(8, 2))
    return false;
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  size_t at = 10;
  if (text.size() > 10) {
    if (text[10] != 'T' && text[10] != ' ') return false;
    if (!digits(11, 2) || text.size() < 19 || text[13] != ':' || !digits(14, 2) || text[16] != ':' || !digits(17, 2))
      return false;
    tm.tm_hour = std::stoi(text.substr(11, 2));
    tm.tm_min = std::stoi(text.substr(14, 2));
    tm.tm_sec = std::stoi(text.substr(17, 2));
    at = 19;
    if (at < text.size() && text[at] == '.') {
      ++at;
      size_t from = at;
      while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
      if (at == from) return false;
    }
    if (at < text.size() && text[at] == 'Z') {
      ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      if (!digits(at + 1, 2) || at + 6 > text.size() || text[at + 3] != ':' || !digits(at + 4, 2)) return false;
      at += 6;
    }
  }
  if (at != text.size()) return false;
  // A real calendar time: it survives the round trip through timegm unchanged.
  const std::tm asked = tm;
  time_t t = timegm(&tm);
  return t != static_cast<time_t>(-1) && tm.tm_year == asked.tm_year && tm.tm_mon == asked.tm_mon &&
         tm.tm_mday == asked.tm_mday && tm.tm_hour == asked.tm_hour && tm.tm_min == asked.tm_min &&
         asked.tm_sec < 61;
}

}  // namespace firstmile
