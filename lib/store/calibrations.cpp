// store/calibrations.cpp — adding calibrations and reading the latest per dimension.
#include "store/calibrations.h"

#include "base/clock.h"
#include "store/store.h"

namespace firstmile {

void add_calibration(Store& store, const CalibrationRecord& record) {
  store.db()
      .query(
          "INSERT INTO calibrations (taxonomy, dimension, gold_source, model, run_id, created_at) VALUES (?, ?, ?, ?, "
          "?, ?)")
      .bind_all(record.taxonomy, record.dimension, record.gold_source, record.model, record.run_id,
                record.created_at.empty() ? utc_now_iso8601() : record.created_at)
      .run();
}

std::vector<CalibrationRecord> latest_calibrations(Store& store, const std::string& taxonomy) {
  Query q = store.db().query(
      "SELECT dimension, gold_source, model, run_id, created_at FROM calibrations c WHERE taxonomy = ?1 AND id = "
      "(SELECT max(id) FROM calibrations WHERE taxonomy = ?1 AND dimension = c.dimension) ORDER BY dimension");
  q.bind(1, taxonomy);
  std::vector<CalibrationRecord> out;
  while (q.step()) {
    out.push_back({.taxonomy = taxonomy,
                   .dimension = q.column_text(0),
                   .gold_source = q.column_text(1),
                   .model = q.column_text(2),
                   .run_id = q.column_optional_int(3),
                   .created_at = q.column_text(4)});
  }
  return out;
}

}  // namespace firstmile
