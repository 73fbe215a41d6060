// dataset/check.cpp — the lint rules of `firstmile check`, one function each.
#include "dataset/check.h"

#include <map>

#include "base/text.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "note";
}

int CheckReport::exit_code() const {
  for (const Finding& f : findings) {
    if (f.severity != Severity::kNote) return 1;
  }
  return 0;
}

nlohmann::json CheckReport::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Finding& f : findings) {
    out.push_back({{"severity", severity_name(f.severity)}, {"code", f.code}, {"message", f.message},
                   {"details", f.details}});
  }
  return out;
}

namespace {

class Checker {
 public:
  Checker(Store& store, const Taxonomy& taxonomy, const CheckOptions& options)
      : db_(store.db()), taxonomy_(taxonomy), options_(options) {}

  CheckReport run() {
    duplicate_records();
    several_failures();
    normalised_labels();
    record_numbering();
    stated_counts();
    unmapped_labels();
    unknown_nodes();
    issues_without_text();
    return std::move(report_);
  }

 private:
  bool selected(const std::string& source) const { return source_matches(options_.source, source); }

  void add(Severity severity, std::string code, std::string message, std::vector<std::string> details) {
    size_t total = details.size();
    if (options_.max_details && total > options_.max_details) {
      details.resize(options_.max_details);
      details.push_back("... and " + std::to_string(total - options_.max_details) + " more");
    }
    report_.findings.push_back({severity, std::move(code), std::move(message), std::move(details)});
  }

  static std::string plural(int64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  }

  // The same link with the same three labels twice: a record entered twice.
  void duplicate_records() {
    Query s = db_.query(
        "SELECT source, link, labels, count(*), group_concat(file || ' record ' || record_index, '; ') "
        "FROM (SELECT source, link, file, record_index, "
        "      symptom_label || '|' || root_cause_label || '|' || stage_label AS labels "
        "      FROM dataset_records ORDER BY file, record_index) "
        "GROUP BY source, link, labels HAVING count(*) > 1 ORDER BY source, link");
    std::vector<std::string> details;
    while (s.step()) {
      if (selected(s.column_text(0))) details.push_back(s.column_text(1) + ": " + s.column_text(4));
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kWarning, "duplicate-records",
          plural(count, "link is", "links are") + " recorded twice with the same labels",
          std::move(details));
    }
  }

  void several_failures() {
    Query s = db_.query(
        "SELECT a.source, r.owner || '/' || r.name || '#' || i.number, count(*) FROM annotations a "
        "JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id "
        "GROUP BY a.source, a.issue_id HAVING count(*) > 1 ORDER BY a.source, r.owner, r.name, i.number");
    std::map<std::string, std::vector<std::string>> by_source;
    while (s.step()) {
      if (selected(s.column_text(0))) {
        by_source[s.column_text(0)].push_back(s.column_text(1) + " (" + std::to_string(s.column_int(2)) + " failures)");
      }
    }
    for (auto& [source, details] : by_source) {
      const int64_t count = static_cast<int64_t>(details.size());
      add(Severity::kNote, "several-failures",
          source + ": " + plural(count, "issue carries", "issues carry") +
              " several failures (counted once per failure)",
          std::move(details));
    }
  }

  void normalised_labels() {
    Query s = db_.query(
        "SELECT source, file, record_index, symptom_label, root_cause_label, stage_label FROM dataset_records "
        "ORDER BY source, file, record_index");
    std::vector<std::string> details;
    const char* fields[] = {"SYMPTOM", "ROOT CAUSE", "STAGE"};
    while (s.step()) {
      if (!selected(s.column_text(0))) continue;
      for (int d = 0; d < 3; ++d) {
        std::string label = s.column_text(3 + d);
        if (join(split_label(label), " - ") != label) {
          details.push_back(s.column_text(1) + ": record " + std::to_string(s.column_int(2)) + ": " + fields[d] +
                            " '" + label + "'");
        }
      }
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kNote, "normalised-labels",
          plural(count, "label needed", "labels needed") +
              " white-space normalisation to match the taxonomy",
          std::move(details));
    }
  }

  void record_numbering() {
    Query s = db_.query(
        "SELECT source, file, record_index, number FROM dataset_records "
        "WHERE number IS NOT NULL AND number != record_index ORDER BY source, file, record_index");
    std::vector<std::string> details;
    while (s.step()) {
      if (selected(s.column_text(0))) {
        details.push_back(s.column_text(1) + ": record " + std::to_string(s.column_int(2)) + " says number " +
                          std::to_string(s.column_int(3)));
      }
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kWarning, "record-numbering",
          plural(count, "record's", "records'") +
              " 'number' differs from its position in the file",
          std::move(details));
    }
  }

  void stated_counts() {
    Query s = db_.query("SELECT source, records, stated_records, path FROM dataset_imports ORDER BY source");
    while (s.step()) {
      if (!selected(s.column_text(0)) || s.column_is_null(2)) continue;
      int64_t records = s.column_int(1), stated = s.column_int(2);
      if (records != stated) {
        add(Severity::kWarning, "stated-count",
            s.column_text(0) + ": the publication states " + std::to_string(stated) + " records, the files hold " +
                std::to_string(records),
            {s.column_text(3)});
      }
    }
  }

  void unmapped_labels() {
    Query s = db_.query(
        "SELECT a.source, r.owner || '/' || r.name || '#' || i.number, coalesce(a.symptom, '?'), "
        "coalesce(a.symptom_label, ''), coalesce(a.root_cause, '?'), coalesce(a.root_cause_label, ''), "
        "coalesce(a.stage, '?'), coalesce(a.stage_label, '') FROM annotations a "
        "JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id "
        "WHERE a.mapped = 0 ORDER BY a.source, a.issue_id, a.failure_index");
    std::vector<std::string> details;
    while (s.step()) {
      if (!selected(s.column_text(0))) continue;
      std::string what;
      for (int d = 0; d < 3; ++d) {
        if (s.column_text(2 + 2 * d) == "?") what += (what.empty() ? "'" : ", '") + s.column_text(3 + 2 * d) + "'";
      }
      details.push_back(s.column_text(0) + " " + s.column_text(1) + ": " + what);
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kWarning, "unmapped-labels",
          plural(count, "annotation has", "annotations have") +
              " labels outside the taxonomy (imported with --lenient)",
          std::move(details));
    }
  }

  // Node ids written under this taxonomy id that the loaded file no longer defines.
  void unknown_nodes() {
    Query s = db_.query(
        "SELECT source, node, count(*) FROM ("
        " SELECT source, symptom AS node FROM annotations WHERE taxonomy = ?1 AND symptom IS NOT NULL"
        " UNION ALL SELECT source, root_cause FROM annotations WHERE taxonomy = ?1 AND root_cause IS NOT NULL"
        " UNION ALL SELECT source, stage FROM annotations WHERE taxonomy = ?1 AND stage IS NOT NULL) "
        "GROUP BY source, node ORDER BY source, node");
    s.bind(1, taxonomy_.id());
    std::vector<std::string> details;
    while (s.step()) {
      if (selected(s.column_text(0)) && !taxonomy_.find(s.column_text(1))) {
        details.push_back(s.column_text(0) + ": '" + s.column_text(1) + "' (" + std::to_string(s.column_int(2)) +
                          " annotations)");
      }
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kError, "unknown-nodes",
          plural(count, "node id is", "node ids are") + " not in " +
              taxonomy_.origin() + " (was the taxonomy edited?)",
          std::move(details));
    }
  }

  void issues_without_text() {
    Query s = db_.query(
        "SELECT r.owner || '/' || r.name || '#' || i.number FROM issues i "
        "JOIN repositories r ON r.id = i.repository_id WHERE i.title IS NULL "
        "ORDER BY r.owner, r.name, i.number");
    std::vector<std::string> details;
    while (s.step()) details.push_back(s.column_text(0));
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      int64_t total = db_.query_int("SELECT count(*) FROM issues");
      add(Severity::kNote, "issues-without-text",
          std::to_string(count) + " of " + std::to_string(total) +
              " issues have no text yet (not mined): run `firstmile mine` or `firstmile import issues`",
          std::move(details));
    }
  }

  Database& db_;
  const Taxonomy& taxonomy_;
  const CheckOptions& options_;
  CheckReport report_;
};

}  // namespace

CheckReport check_store(Store& store, const Taxonomy& taxonomy, const CheckOptions& options) {
  return Checker(store, taxonomy, options).run();
}

}  // namespace firstmile
