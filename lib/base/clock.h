// base/clock.h — timestamps as stored in the database: UTC ISO 8601, "2024-05-01T12:00:00Z".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace firstmile {

std::string utc_now_iso8601();

// Seconds since the epoch as "2024-05-01T12:00:00Z".
std::string iso8601_utc(int64_t epoch_seconds);
// "2024-05-01T12:00:00Z" (the trailing Z and anything after the seconds ignored) as seconds
// since the epoch; nullopt when the text is not such a timestamp.
std::optional<int64_t> parse_iso8601_utc(const std::string& text);

// True for a real date "2024-05-01", or a real time "2024-05-01T12:00:00" followed by nothing,
// fractional seconds, "Z" or an offset ("+08:00"): what a file or an option may give as a
// time. "yesterday", "2099-13-45" and "2024-02-30" are not.
bool valid_iso8601(const std::string& text);

}  // namespace firstmile
