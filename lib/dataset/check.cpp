// dataset/check.cpp — the lint rules of `firstmile check`, one function each.
#include "dataset/check.h"

#include <map>
#include <ostream>

#include "base/json_file.h"
#include "base/text.h"
#include "store/checks.h"
#include "store/issue_rows.h"
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
    out.push_back(
        {{"severity", severity_name(f.severity)}, {"code", f.code}, {"message", f.message}, {"details", f.details}});
  }
  return out;
}

namespace {

class Checker {
 public:
  Checker(Store& store, const Taxonomy& taxonomy, const CheckOptions& options)
      : store_(store), taxonomy_(taxonomy), options_(options) {}

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
    std::vector<std::string> details;
    for (const DuplicateRecord& d : duplicate_dataset_records(store_)) {
      if (selected(d.source)) details.push_back(d.link + ": " + d.places);
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kWarning, "duplicate-records",
          plural(count, "link is", "links are") + " recorded twice with the same labels", std::move(details));
    }
  }

  void several_failures() {
    std::map<std::string, std::vector<std::string>> by_source;
    for (const SeveralFailures& f : issues_with_several_failures(store_)) {
      if (selected(f.source)) {
        by_source[f.source].push_back(f.issue + " (" + std::to_string(f.failures) + " failures)");
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
    std::vector<std::string> details;
    const char* fields[] = {"SYMPTOM", "ROOT CAUSE", "STAGE"};
    for (const RecordLabels& r : dataset_record_labels(store_)) {
      if (!selected(r.source)) continue;
      const std::string* labels[] = {&r.symptom, &r.root_cause, &r.stage};
      for (int d = 0; d < 3; ++d) {
        const std::string& label = *labels[d];
        if (join(split_label(label), " - ") != label) {
          details.push_back(r.file + ": record " + std::to_string(r.record_index) + ": " + fields[d] + " '" + label +
                            "'");
        }
      }
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kNote, "normalised-labels",
          plural(count, "label needed", "labels needed") + " white-space normalisation to match the taxonomy",
          std::move(details));
    }
  }

  void record_numbering() {
    std::vector<std::string> details;
    for (const MisnumberedRecord& r : misnumbered_dataset_records(store_)) {
      if (selected(r.source)) {
        details.push_back(r.file + ": record " + std::to_string(r.record_index) + " says number " +
                          std::to_string(r.number));
      }
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kWarning, "record-numbering",
          plural(count, "record's", "records'") + " 'number' differs from its position in the file",
          std::move(details));
    }
  }

  void stated_counts() {
    for (const DatasetImportCount& i : dataset_import_counts(store_)) {
      if (!selected(i.source) || !i.stated_records) continue;
      if (i.records != *i.stated_records) {
        add(Severity::kWarning, "stated-count",
            i.source + ": the publication states " + std::to_string(*i.stated_records) + " records, the files hold " +
                std::to_string(i.records),
            {i.path});
      }
    }
  }

  void unmapped_labels() {
    std::vector<std::string> details;
    for (const UnmappedAnnotation& a : unmapped_annotations(store_)) {
      if (!selected(a.source)) continue;
      const std::optional<std::string>* nodes[] = {&a.symptom, &a.root_cause, &a.stage};
      const std::string* labels[] = {&a.symptom_label, &a.root_cause_label, &a.stage_label};
      std::string what;
      for (int d = 0; d < 3; ++d) {
        if (!*nodes[d]) what += (what.empty() ? "'" : ", '") + *labels[d] + "'";
      }
      details.push_back(a.source + " " + a.issue + ": " + what);
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
    std::vector<std::string> details;
    for (const NodeUse& n : node_uses(store_, taxonomy_.id())) {
      if (selected(n.source) && !taxonomy_.find(n.node)) {
        details.push_back(n.source + ": '" + n.node + "' (" + std::to_string(n.annotations) + " annotations)");
      }
    }
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      add(Severity::kError, "unknown-nodes",
          plural(count, "node id is", "node ids are") + " not in " + taxonomy_.origin() + " (was the taxonomy edited?)",
          std::move(details));
    }
  }

  void issues_without_text() {
    std::vector<std::string> details = firstmile::issues_without_text(store_);
    // Counted before `details` is moved into add(): argument order is unspecified.
    const int64_t count = static_cast<int64_t>(details.size());
    if (count > 0) {
      int64_t total = issue_count(store_);
      add(Severity::kNote, "issues-without-text",
          std::to_string(count) + " of " + std::to_string(total) +
              " issues have no text yet (not mined): run `firstmile mine` or `firstmile import issues`",
          std::move(details));
    }
  }

  Store& store_;
  const Taxonomy& taxonomy_;
  const CheckOptions& options_;
  CheckReport report_;
};

}  // namespace

CheckReport check_store(Store& store, const Taxonomy& taxonomy, const CheckOptions& options) {
  return Checker(store, taxonomy, options).run();
}

void print_check_report(const CheckReport& report, const std::string& db, const std::string& format,
                        std::ostream& out) {
  if (format == "json") {
    out << json_text(nlohmann::json{{"database", db}, {"findings", report.to_json()}}, 2) << "\n";
    return;
  }
  out << "check " << db << ": " << report.findings.size() << " findings\n";
  for (const Finding& f : report.findings) {
    out << severity_name(f.severity) << ": " << f.message << " [" << f.code << "]\n";
    for (const std::string& d : f.details) out << "    " << d << "\n";
  }
}

}  // namespace firstmile
