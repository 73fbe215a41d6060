// dataset/import.cpp — reading, mapping and writing a labelled dataset in one transaction.
#include "dataset/import.h"

#include <map>
#include <ostream>
#include <set>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/issue_link.h"
#include "base/json_file.h"
#include "base/text_table.h"
#include "dataset/preset.h"
#include "dataset/published_dataset.h"
#include "store/dataset_tables.h"
#include "store/issue_rows.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

// A record after validation: its link parsed and its labels placed in the taxonomy.
struct PlannedRecord {
  const DatasetFile* file;
  const DatasetRecord* record;
  IssueLink link;
  int failure_index = 1;
  LabelMatch symptom, root_cause, stage;
};

const char* kDimensionField[] = {"SYMPTOM", "ROOT CAUSE", "STAGE"};

std::vector<PlannedRecord> plan(const std::vector<DatasetFile>& files, const Taxonomy& taxonomy,
                                const std::filesystem::path& dir, bool lenient, int64_t& unmapped) {
  std::vector<PlannedRecord> planned;
  std::map<std::string, int> failures_per_link;
  std::string first_unknown;
  int64_t unknown = 0;
  for (const DatasetFile& f : files) {
    for (const DatasetRecord& r : f.records) {
      std::string where = (dir / f.relative_path).string() + ": record " + std::to_string(r.record_index);
      std::optional<IssueLink> link = parse_issue_link(r.link);
      if (!link) throw Error(where + ": field 'link' is not a GitHub issue URL: '" + r.link + "'");
      PlannedRecord p{&f,
                      &r,
                      *link,
                      0,
                      taxonomy.match_label("symptom", r.symptom),
                      taxonomy.match_label("root_cause", r.root_cause),
                      taxonomy.match_label("stage", r.stage)};
      p.failure_index = ++failures_per_link[link->url()];
      const LabelMatch* matches[] = {&p.symptom, &p.root_cause, &p.stage};
      const std::string* labels[] = {&r.symptom, &r.root_cause, &r.stage};
      for (int d = 0; d < 3; ++d) {
        if (matches[d]->node) continue;
        ++unknown;
        if (first_unknown.empty()) {
          first_unknown = where + ": field '" + kDimensionField[d] + "': label '" + *labels[d] +
                          "' is not in taxonomy " + taxonomy.id() + " (no node '" + matches[d]->unmatched_part + "')";
        }
      }
      planned.push_back(std::move(p));
    }
  }
  if (unknown > 0 && !lenient) {
    std::string more = unknown > 1 ? " (and " + std::to_string(unknown - 1) + " more unknown labels)" : "";
    throw Error(first_unknown + more + "; nothing imported (--lenient imports them as unmapped)");
  }
  unmapped = unknown;
  return planned;
}

std::optional<std::string> node_id(const LabelMatch& m) {
  if (!m.node) return std::nullopt;
  return m.node->id;
}

// Writes planned records: each record's repository (once, with the preset's model,
// architecture and aliases), its issue, its annotation and the record as read; and counts
// them by series.
class RecordWriter {
 public:
  RecordWriter(Store& store, const Taxonomy& taxonomy, const Preset& preset, const DatasetImportOptions& options,
               DatasetImportSummary& summary)
      : store_(store), taxonomy_(taxonomy), preset_(preset), options_(options), summary_(summary) {}

  void write(const PlannedRecord& p) {
    const DatasetRecord& r = *p.record;
    std::string series = preset_.series_for_owner(p.link.owner);
    int64_t issue_id = store_.ensure_issue(repository_id(p, series), p.link.number, p.link.url());
    if (!r.status.empty()) store_.set_issue_state_if_unknown(issue_id, r.status);
    int64_t annotation_id = store_.upsert_annotation(annotation(p, issue_id));
    save_dataset_record(store_, {.source = summary_.source,
                                 .file = p.file->relative_path,
                                 .record_index = r.record_index,
                                 .number = r.number,
                                 .link = r.link,
                                 .status = r.status,
                                 .symptom_label = r.symptom,
                                 .root_cause_label = r.root_cause,
                                 .stage_label = r.stage,
                                 .model = r.model,
                                 .architecture = r.architecture,
                                 .annotation_id = annotation_id});
    summary_.normalised_labels +=
        p.symptom.whitespace_normalised + p.root_cause.whitespace_normalised + p.stage.whitespace_normalised;
    links_.insert(p.link.url());
    SeriesCount& sc = per_series_[series];
    sc.series = series;
    ++sc.records;
    series_links_[series].insert(p.link.url());
  }

  // The distinct issues and repositories, and the counts by series, into the summary.
  void finish() {
    summary_.issues = static_cast<int64_t>(links_.size());
    summary_.repositories = static_cast<int64_t>(repository_ids_.size());
    for (auto& [series, sc] : per_series_) {
      sc.issues = static_cast<int64_t>(series_links_[series].size());
      summary_.per_series.push_back(sc);
    }
  }

 private:
  int64_t repository_id(const PlannedRecord& p, const std::string& series) {
    std::string key = p.link.repository();
    auto repo = repository_ids_.find(key);
    if (repo != repository_ids_.end()) return repo->second;
    const PresetRepository* known = preset_.repository(p.link.owner, p.link.name);
    RepositoryInfo info{p.link.owner, p.link.name, series, p.record->model, p.record->architecture};
    if (known && info.model.empty()) info.model = known->model;
    if (known && info.architecture.empty()) info.architecture = known->architecture;
    int64_t id = store_.upsert_repository(info);
    if (known) {
      for (const std::string& alias : known->aliases) {
        auto [owner, name] = split_repository(alias, "preset " + preset_.name);
        store_.add_repository_alias(id, owner, name, "renamed");
      }
    }
    repository_ids_.emplace(key, id);
    return id;
  }

  Annotation annotation(const PlannedRecord& p, int64_t issue_id) const {
    const DatasetRecord& r = *p.record;
    Annotation a;
    a.issue_id = issue_id;
    a.failure_index = p.failure_index;
    a.source = summary_.source;
    a.taxonomy = taxonomy_.id();
    a.is_failure = 1;
    a.symptom = node_id(p.symptom);
    a.root_cause = node_id(p.root_cause);
    a.stage = node_id(p.stage);
    a.symptom_label = r.symptom;
    a.root_cause_label = r.root_cause;
    a.stage_label = r.stage;
    a.mapped = p.symptom.node && p.root_cause.node && p.stage.node;
    a.confidence = 1.0;
    a.evidence = json_text(
        nlohmann::json{{"dataset", options_.name}, {"file", p.file->relative_path}, {"record", r.record_index}});
    a.run_id = summary_.run_id;
    return a;
  }

  Store& store_;
  const Taxonomy& taxonomy_;
  const Preset& preset_;
  const DatasetImportOptions& options_;
  DatasetImportSummary& summary_;
  std::map<std::string, int64_t> repository_ids_;
  std::set<std::string> links_;
  std::map<std::string, SeriesCount> per_series_;
  std::map<std::string, std::set<std::string>> series_links_;
};

std::string run_summary(const DatasetImportSummary& summary) {
  nlohmann::json run_summary = {{"source", summary.source},         {"files", summary.files},
                                {"records", summary.records},       {"issues", summary.issues},
                                {"new_issues", summary.new_issues}, {"unmapped_labels", summary.unmapped_labels}};
  return json_text(run_summary);
}

}  // namespace

DatasetImportSummary import_dataset(Store& store, const Taxonomy& taxonomy, const Preset& preset,
                                    const std::filesystem::path& dir, const DatasetImportOptions& options) {
  if (options.name.empty()) throw Error("import-dataset: the dataset needs a name");
  // A replication package's folder holds the dataset in a folder of its own.
  const std::filesystem::path data_dir = locate_dataset(dir).dir;
  std::vector<DatasetFile> files = read_published_dataset(data_dir);
  DatasetImportSummary summary;
  std::vector<PlannedRecord> planned = plan(files, taxonomy, data_dir, options.lenient, summary.unmapped_labels);

  summary.source = "gold:" + options.name;
  summary.files = static_cast<int64_t>(files.size());
  summary.records = static_cast<int64_t>(planned.size());
  summary.stated_records = options.stated_records;
  if (!summary.stated_records && preset.dataset_name == options.name) summary.stated_records = preset.stated_records;

  Transaction tx(store.db());
  summary.run_id = store.begin_run("import-dataset", options.argv, &taxonomy);
  store.save_taxonomy(taxonomy);
  int64_t issues_before = issue_count(store);
  clear_dataset_records(store, summary.source);
  RecordWriter writer(store, taxonomy, preset, options, summary);
  for (const PlannedRecord& p : planned) writer.write(p);
  // Annotations of this source that the data no longer holds (an earlier, larger version).
  remove_stale_dataset_annotations(store, summary.source, summary.run_id);
  writer.finish();
  summary.new_issues = issue_count(store) - issues_before;
  save_dataset_import(store, {.source = summary.source,
                              .path = std::filesystem::absolute(data_dir).lexically_normal().string(),
                              .files = summary.files,
                              .records = summary.records,
                              .stated_records = summary.stated_records,
                              .run_id = summary.run_id,
                              .imported_at = utc_now_iso8601()});
  store.finish_run(summary.run_id, "ok", run_summary(summary));
  tx.commit();
  return summary;
}

void print_dataset_import_summary(const DatasetImportSummary& s, const std::string& db, std::ostream& out) {
  out << "Imported " << s.source << " into " << db << " (run " << s.run_id << "): " << s.files << " files, "
      << s.records << " records, " << s.issues << " issues (" << s.new_issues << " new), " << s.repositories
      << " repositories\n";
  if (s.normalised_labels) out << "Labels that needed white-space normalisation: " << s.normalised_labels << "\n";
  if (s.unmapped_labels) out << "Labels outside the taxonomy, imported unmapped: " << s.unmapped_labels << "\n";
  if (s.stated_records && *s.stated_records != s.records) {
    out << "Note: the publication states " << *s.stated_records << " records; the files hold " << s.records
        << " (see `firstmile check`)\n";
  }
  out << "\n";
  TextTable table({"Series", "Records", "Issues"});
  table.align_right(1);
  table.align_right(2);
  for (const SeriesCount& c : s.per_series)
    table.add_row({c.series, std::to_string(c.records), std::to_string(c.issues)});
  table.print(out);
}

}  // namespace firstmile
