// store/selections.cpp — writing a selection's rows and reading its funnel back.
#include "store/selections.h"

#include "store/store.h"

namespace firstmile {

void replace_selection(Store& store, const std::string& name, const std::vector<SelectionRow>& rows, int64_t run_id) {
  store.db().query("DELETE FROM selections WHERE name = ?").bind(1, name).run();
  Query insert = store.db().query(
      "INSERT INTO selections (name, issue_id, step_reached, excluded_by, run_id) VALUES (?, ?, ?, ?, ?)");
  for (const SelectionRow& row : rows) {
    insert.bind(1, name).bind(2, row.issue_id).bind(3, row.step_reached).bind(4, row.excluded_by).bind(5, run_id);
    insert.run();
  }
}

std::optional<SelectionRun> last_selection_run(Store& store, const std::string& name) {
  Query q = store.db().query(
      "SELECT id, coalesce(json_extract(summary, '$.options'), '{}') FROM runs WHERE command = 'select' "
      "AND status = 'ok' AND json_extract(summary, '$.name') = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return SelectionRun{q.column_int(0), q.column_text(1)};
}

std::vector<std::string> selection_names(Store& store) {
  Query q = store.db().query(
      "SELECT DISTINCT json_extract(summary, '$.name') FROM runs WHERE command = 'select' AND status = 'ok' ORDER BY "
      "1");
  std::vector<std::string> names;
  while (q.step()) names.push_back(q.column_text(0));
  return names;
}

std::vector<SelectionStepCount> selection_step_counts(Store& store, const std::string& name) {
  std::vector<SelectionStepCount> out;
  Query q = store.db().query(
      "SELECT r.owner || '/' || r.name, s.step_reached, count(*) FROM selections s JOIN issues i ON i.id = s.issue_id "
      "JOIN repositories r ON r.id = i.repository_id WHERE s.name = ? GROUP BY r.id, s.step_reached "
      "ORDER BY lower(r.owner || '/' || r.name), s.step_reached");
  for (q.bind(1, name); q.step();) out.push_back({q.column_text(0), q.column_int(1), q.column_int(2)});
  return out;
}

std::set<int64_t> issues_marked_duplicate_in_timeline(Store& store) {
  Query q = store.db().query(
      "SELECT issue_id FROM timeline_events WHERE event = 'marked_as_duplicate' "
      "UNION SELECT issue_id FROM issue_events WHERE event = 'marked_as_duplicate'");
  std::set<int64_t> out;
  while (q.step()) out.insert(q.column_int(0));
  return out;
}

}  // namespace firstmile
