// calibrations: rows only added, the latest of each dimension read back.
#include <doctest/doctest.h>

#include "store/calibrations.h"
#include "store/store.h"

using namespace firstmile;

TEST_CASE("the latest calibration of each dimension comes back, by dimension, for its taxonomy only") {
  Store store = Store::open_memory();
  add_calibration(store, {.taxonomy = "t", .dimension = "symptom", .gold_source = "gold", .model = "{\"v\": 1}"});
  add_calibration(store, {.taxonomy = "t",
                          .dimension = "routing",
                          .gold_source = "gold",
                          .model = "{\"threshold\": 0.2}",
                          .created_at = "2024-01-01T00:00:00Z"});
  add_calibration(store, {.taxonomy = "t", .dimension = "symptom", .gold_source = "gold:x", .model = "{\"v\": 2}"});
  add_calibration(store, {.taxonomy = "other", .dimension = "stage", .gold_source = "gold", .model = "{}"});
  std::vector<CalibrationRecord> latest = latest_calibrations(store, "t");
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].dimension == "routing");
  CHECK(latest[0].created_at == "2024-01-01T00:00:00Z");
  CHECK(latest[1].dimension == "symptom");
  CHECK(latest[1].model == "{\"v\": 2}");
  CHECK(latest[1].gold_source == "gold:x");
  CHECK(latest[1].created_at.size() == 20);  // stamped now, to the second: 2024-05-01T10:00:00Z
  CHECK_FALSE(latest[1].run_id);
}
