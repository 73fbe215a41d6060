// store/calibrations.h — what `firstmile calibrate` learnt, kept for later `classify` runs.
//
//   add_calibration(store, {.taxonomy = "open-llm-failures", .dimension = "symptom",
//                           .gold_source = "gold", .model = model_json, .run_id = run});
//   for (const CalibrationRecord& c : latest_calibrations(store, "open-llm-failures")) ...
//
// A calibration is one row per dimension and one 'routing' row (the threshold); its model is
// JSON the classifier reads (classify/calibrate.h). Rows are only ever added: the latest of each
// dimension is the one in use. The table is in docs/schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

struct CalibrationRecord {
  std::string taxonomy = {};
  std::string dimension = {};          // 'stage', 'symptom', 'root_cause', or 'routing'
  std::string gold_source = {};        // the selector the labels came from
  std::string model = {};              // JSON
  std::optional<int64_t> run_id = {};  // the calibrate run
  std::string created_at = {};         // ISO 8601; empty: now
};

void add_calibration(Store& store, const CalibrationRecord& record);

// The latest record of each dimension calibrated for `taxonomy`, by dimension name.
std::vector<CalibrationRecord> latest_calibrations(Store& store, const std::string& taxonomy);

}  // namespace firstmile
