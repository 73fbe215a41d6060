// dataset/import.cpp — reading, mapping and writing a labelled dataset in one transaction.
#include "dataset/import.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/issue_link.h"
#include "dataset/preset.h"
#include "dataset/published_dataset.h"
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
      PlannedRecord p{&f, &r, *link, 0, taxonomy.match_label("symptom", r.symptom),
                      taxonomy.match_label("root_cause", r.root_cause), taxonomy.match_label("stage", r.stage)};
      p.failure_index = ++failures_per_link[link->url()];
      const LabelMatch* matches[] = {&p.symptom, &p.root_cause, &p.stage};
      const std::string* labels[] = {&r.symptom, &r.root_cause, &r.stage};
      for (int d = 0; d < 3; ++d) {
        if (matches[d]->node) continue;
        ++unknown;
        if (first_unknown.empty()) {
          first_unknown = where + ": field '" + kDimensionField[d] + "': label '" + *labels[d] +
                          "' is not in taxonomy " + taxonomy.id() + " (no node '" +
                          matches[d]->unmatched_part + "')";
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

}  // namespace

DatasetImportSummary import_dataset(Store& store, const Taxonomy& taxonomy, const Preset& preset,
                                    const std::filesystem::path& dir, const DatasetImportOptions& options) {
  if (options.name.empty()) throw Error("import-dataset: the dataset needs a name");
  std::vector<DatasetFile> files = read_published_dataset(dir);
  DatasetImportSummary summary;
  std::vector<PlannedRecord> planned = plan(files, taxonomy, dir, options.lenient, summary.unmapped_labels);

  summary.source = "gold:" + options.name;
  summary.files = static_cast<int64_t>(files.size());
  summary.records = static_cast<int64_t>(planned.size());
  summary.stated_records = options.stated_records;
  if (!summary.stated_records && preset.dataset_name == options.name) summary.stated_records = preset.stated_records;

  Database& db = store.db();
  Transaction tx(db);
  summary.run_id = store.begin_run("import-dataset", options.argv, &taxonomy);
  store.save_taxonomy(taxonomy);
  int64_t issues_before = db.query_int("SELECT count(*) FROM issues");
  db.query("DELETE FROM dataset_records WHERE source = ?").bind(1, summary.source).run();

  std::map<std::string, int64_t> repository_ids;
  std::set<std::string> links;
  std::map<std::string, SeriesCount> per_series;
  std::map<std::string, std::set<std::string>> series_links;
  for (const PlannedRecord& p : planned) {
    const DatasetRecord& r = *p.record;
    std::string repo_key = p.link.repository();
    std::string series = preset.series_for_owner(p.link.owner);
    auto repo = repository_ids.find(repo_key);
    if (repo == repository_ids.end()) {
      const PresetRepository* known = preset.repository(p.link.owner, p.link.name);
      RepositoryInfo info{p.link.owner, p.link.name, series, r.model, r.architecture};
      if (known && info.model.empty()) info.model = known->model;
      if (known && info.architecture.empty()) info.architecture = known->architecture;
      int64_t id = store.upsert_repository(info);
      if (known) {
        for (const std::string& alias : known->aliases) {
          auto [owner, name] = split_repository(alias, "preset " + preset.name);
          store.add_repository_alias(id, owner, name, "renamed");
        }
      }
      repo = repository_ids.emplace(repo_key, id).first;
    }
    int64_t issue_id = store.ensure_issue(repo->second, p.link.number, p.link.url());
    if (!r.status.empty()) store.set_issue_state_if_unknown(issue_id, r.status);

    Annotation a;
    a.issue_id = issue_id;
    a.failure_index = p.failure_index;
    a.source = summary.source;
    a.taxonomy = taxonomy.id();
    a.is_failure = 1;
    a.symptom = node_id(p.symptom);
    a.root_cause = node_id(p.root_cause);
    a.stage = node_id(p.stage);
    a.symptom_label = r.symptom;
    a.root_cause_label = r.root_cause;
    a.stage_label = r.stage;
    a.mapped = p.symptom.node && p.root_cause.node && p.stage.node;
    a.confidence = 1.0;
    a.evidence = nlohmann::json{{"dataset", options.name}, {"file", p.file->relative_path},
                                {"record", r.record_index}}.dump();
    a.run_id = summary.run_id;
    int64_t annotation_id = store.upsert_annotation(a);

    db.query(
          "INSERT INTO dataset_records (source, file, record_index, number, link, status, symptom_label, "
          "root_cause_label, stage_label, model, architecture, annotation_id) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, summary.source)
        .bind(2, p.file->relative_path)
        .bind(3, r.record_index)
        .bind(4, r.number)
        .bind(5, r.link)
        .bind(6, r.status)
        .bind(7, r.symptom)
        .bind(8, r.root_cause)
        .bind(9, r.stage)
        .bind(10, r.model)
        .bind(11, r.architecture)
        .bind(12, annotation_id)
        .run();

    summary.normalised_labels += p.symptom.whitespace_normalised + p.root_cause.whitespace_normalised +
                                 p.stage.whitespace_normalised;
    links.insert(p.link.url());
    SeriesCount& sc = per_series[series];
    sc.series = series;
    ++sc.records;
    series_links[series].insert(p.link.url());
  }
  // Annotations of this source that the data no longer holds (an earlier, larger version).
  db.query("DELETE FROM annotations WHERE source = ? AND run_id IS NOT ?")
      .bind(1, summary.source)
      .bind(2, summary.run_id)
      .run();

  summary.issues = static_cast<int64_t>(links.size());
  summary.repositories = static_cast<int64_t>(repository_ids.size());
  summary.new_issues = db.query_int("SELECT count(*) FROM issues") - issues_before;
  for (auto& [series, sc] : per_series) {
    sc.issues = static_cast<int64_t>(series_links[series].size());
    summary.per_series.push_back(sc);
  }

  db.query(
        "INSERT INTO dataset_imports (source, path, files, records, stated_records, run_id, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET path = excluded.path, "
        "files = excluded.files, records = excluded.records, stated_records = excluded.stated_records, "
        "run_id = excluded.run_id, imported_at = excluded.imported_at")
      .bind(1, summary.source)
      .bind(2, std::filesystem::absolute(dir).lexically_normal().string())
      .bind(3, summary.files)
      .bind(4, summary.records)
      .bind(5, summary.stated_records)
      .bind(6, summary.run_id)
      .bind(7, utc_now_iso8601())
      .run();

  nlohmann::json run_summary = {{"source", summary.source},   {"files", summary.files},
                                {"records", summary.records}, {"issues", summary.issues},
                                {"new_issues", summary.new_issues}, {"unmapped_labels", summary.unmapped_labels}};
  store.finish_run(summary.run_id, "ok", run_summary.dump());
  tx.commit();
  return summary;
}

}  // namespace firstmile
