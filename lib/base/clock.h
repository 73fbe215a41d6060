// base/clock.h — timestamps as stored in the database: UTC ISO 8601, "2024-05-01T12:00:00Z".
#pragma once

#include <string>

namespace firstmile {

std::string utc_now_iso8601();

}  // namespace firstmile
