// package/package.cpp — writing a replication package: every part into a temporary folder,
// the manifest last, then one rename.
#include "package/package.h"

#include <unistd.h>

#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include "analyze/label_view.h"
#include "analyze/study.h"
#include "base/atomic_file.h"
#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "base/version.h"
#include "dataset/preset.h"
#include "dataset/published_dataset.h"
#include "export/paper.h"
#include "package/dataset_files.h"
#include "package/datasheet.h"
#include "package/llm_provenance.h"
#include "package/manifest.h"
#include "package/pseudonyms.h"
#include "package/table_files.h"
#include "package/zip_archive.h"
#include "store/package_tables.h"
#include "store/store.h"

namespace firstmile {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr const char* kFormat = "firstmile-package/1";

bool inside(const fs::path& file, const fs::path& dir) {
  fs::path f = fs::weakly_canonical(fs::absolute(file)), d = fs::weakly_canonical(fs::absolute(dir));
  auto [end, _] = std::mismatch(d.begin(), d.end(), f.begin(), f.end());
  return end == d.end();
}

fs::path zip_path(const fs::path& out_dir) {
  return fs::absolute(out_dir).lexically_normal().string() + ".zip";
}

void check_options(const PackageOptions& o) {
  if (o.out_dir.empty()) throw Error("package: give the folder to write (OUT_DIR)");
  std::error_code ec;
  if (fs::exists(o.out_dir, ec) && !fs::is_directory(o.out_dir, ec))
    throw Error(o.out_dir.string() + ": exists and is not a folder");
  if (fs::is_directory(o.out_dir, ec) && !fs::is_empty(o.out_dir, ec) && !o.force)
    throw Error(o.out_dir.string() + ": folder exists and is not empty; --force replaces it");
  if (o.zip && fs::exists(zip_path(o.out_dir), ec) && !o.force)
    throw Error(zip_path(o.out_dir).string() + ": exists; --force replaces it");
  if (!o.keep_logins && !o.salt) {
    throw Error(
        "package: pseudonyms need a salt: --salt-file FILE (kept outside the package), or --keep-logins to keep "
        "logins, names and e-mails as they are");
  }
  if (!o.salt_file.empty() && inside(o.salt_file, o.out_dir))
    throw Error(o.salt_file.string() + ": the salt file must stay outside the package folder");
}

// The source whose labels become dataset/: the first gold source selected, else the first
// selected source.
std::string dataset_source(Store& store, const std::vector<std::string>& selectors) {
  std::vector<std::string> selected;
  std::string all;
  for (const SourceCount& s : store.sources()) {
    all += (all.empty() ? "" : ", ") + s.source;
    if (source_selected(selectors, s.source)) selected.push_back(s.source);
  }
  if (selected.empty()) {
    throw Error("package: no annotations to package" +
                (all.empty() ? std::string(" (the database holds none)") : " with --source (sources: " + all + ")"));
  }
  for (const std::string& s : selected) {
    if (s.rfind("gold:", 0) == 0) return s;
  }
  return selected.front();
}

// The lines of a JSON Lines file, parsed.
std::vector<json> read_jsonl(const fs::path& path) {
  std::vector<json> out;
  std::istringstream lines(read_file(path));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

ordered_json runs_of(const fs::path& tables, std::string& latest, std::set<std::string>& rules_hashes) {
  ordered_json runs = ordered_json::array();
  for (const json& r : read_jsonl(tables / "runs.jsonl")) {
    ordered_json run = ordered_json::object();
    for (const char* key : {"id", "command", "argv", "tool_version", "taxonomy", "taxonomy_hash", "started_at",
                            "finished_at", "status"}) {
      run[key] = r.value(key, json());
    }
    for (const char* key : {"started_at", "finished_at"}) {
      if (r[key].is_string() && r[key].get<std::string>() > latest) latest = r[key].get<std::string>();
    }
    if (r["summary"].is_object() && r["summary"].contains("rules_hash") && r["summary"]["rules_hash"].is_string())
      rules_hashes.insert(r["summary"]["rules_hash"].get<std::string>());
    runs.push_back(std::move(run));
  }
  return runs;
}

ordered_json rule_files() {
  ordered_json files = ordered_json::array();
  std::error_code ec;
  fs::path dir = resource_path("taxonomy/rules");
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    files.push_back({{"file", "taxonomy/rules/" + p.filename().string()}, {"git_blob_hash", git_blob_hash(read_file(p))}});
  }
  return files;
}

ordered_json taxonomy_copies(Store& store, const fs::path& dir) {
  ordered_json out = ordered_json::array();
  for (const StoredTaxonomy& t : stored_taxonomies(store)) {
    fs::create_directories(dir / "taxonomy");
    std::string file = "taxonomy/" + t.id + ".json";
    write_file_atomically(dir / file, t.content);
    out.push_back({{"id", t.id}, {"version", t.version}, {"hash", t.hash}, {"file", file}});
  }
  return out;
}

std::string write_paper_outputs(Store& store, const Taxonomy& taxonomy, const std::string& source,
                                const std::string& preset, const fs::path& dir) {
  try {
    StudyOptions options;
    options.source = source;
    options.evolution = load_preset(preset).evolution;
    LabelView view(store, taxonomy, {});
    StudyReport report = analyze_study(store, view, options);
    write_paper(report, dir, {"csv", "latex", "json", "svg"});
    return "";
  } catch (const Error& e) {
    return e.what();
  }
}

void write_readme(const fs::path& dir, const ordered_json& m) {
  std::ostringstream out;
  out << "# Replication package\n\n"
      << "Written by firstmile " << m["tool_version"].get<std::string>() << " (`firstmile package`).\n\n"
      << "| path | what |\n|---|---|\n"
      << "| `MANIFEST.json` | versions, hashes of taxonomy and rules, runs, \"as of\" times, row counts, SHA-256 of "
         "every file |\n"
      << "| `dataset/` | the labelled dataset (`" << m["dataset"]["source"].get<std::string>()
      << "`) in the Open-LLM-Failures layout |\n"
      << "| `tables/` | every table as CSV and JSON Lines |\n"
      << "| `llm/` | LLM-made labels: model, prompt hash, prompt templates |\n"
      << "| `taxonomy/` | the taxonomies the labels were made under |\n"
      << "| `paper/` | tables and figures of `firstmile analyze --out` (index: `paper/README.md`) |\n"
      << "| `DATASHEET.md`, `CITATION.cff` | how the data came about; how to cite it |\n\n"
      << "Check it: `firstmile package --verify .`\n"
      << "Load it: `firstmile import-dataset . --db study.db` (reads `dataset/`), then `firstmile analyze --db "
         "study.db`.\n";
  write_file_atomically(dir / "README.md", out.str());
}

// Everything of the package into `dir`; the manifest last.
PackageSummary write_parts(Store& store, const Taxonomy& taxonomy, const PackageOptions& o, const fs::path& dir) {
  PackageSummary s;
  s.out_dir = o.out_dir;
  s.pseudonymised = !o.keep_logins;
  Pseudonymizer pseudonyms = o.keep_logins ? Pseudonymizer::keeping() : Pseudonymizer(*o.salt, people_in_store(store));
  s.dataset_source = dataset_source(store, o.sources);

  s.rows = write_table_files(store, pseudonyms, {.include_text = o.include_text, .sources = o.sources}, dir / "tables");
  DatasetFiles dataset = write_dataset_files(store, s.dataset_source, dir / kPackageDatasetFolder);
  s.dataset_files = dataset.files;
  s.dataset_records = dataset.records;
  LlmProvenance llm = write_llm_provenance(store, o.sources, dir / "llm");
  for (const LlmLabelGroup& g : llm.groups) s.llm_labels += g.labels;
  if (o.include_llm_log) s.rows["llm_log"] = write_llm_log(store, pseudonyms, dir / "llm");
  s.paper_note = write_paper_outputs(store, taxonomy, s.dataset_source, o.preset, dir / "paper");

  std::string latest;
  std::set<std::string> rules_hashes;
  ordered_json m = ordered_json::object();
  m["format"] = kFormat;
  m["tool_version"] = kToolVersion;
  m["dataset"] = {{"name", dataset.name},
                  {"source", dataset.source},
                  {"folder", kPackageDatasetFolder},
                  {"files", dataset.files},
                  {"records", dataset.records},
                  {"written_from", dataset.verbatim ? "dataset_records" : "annotations"},
                  {"left_out", dataset.left_out}};
  m["options"] = {{"sources", o.sources},
                  {"pseudonymised", !o.keep_logins},
                  {"include_text", o.include_text},
                  {"include_llm_log", o.include_llm_log}};
  m["runs"] = runs_of(dir / "tables", latest, rules_hashes);
  m["created_at"] = latest.empty() ? ordered_json() : ordered_json(latest);
  m["taxonomies"] = taxonomy_copies(store, dir);
  m["rules"] = {{"files", rule_files()}, {"hashes_recorded_by_runs", rules_hashes}};
  ordered_json repositories = ordered_json::array();
  for (const RepositoryAsOf& r : repositories_as_of(store)) {
    auto value = [](const std::string& v) { return v.empty() ? ordered_json() : ordered_json(v); };
    repositories.push_back({{"repository", r.repository},
                            {"issues_as_of", value(r.issues_since)},
                            {"comments_as_of", value(r.comments_since)},
                            {"text_fetched_at", value(r.text_fetched)},
                            {"newest_commit", value(r.newest_commit)}});
  }
  m["repositories"] = std::move(repositories);
  m["row_counts"] = s.rows;
  m["llm"] = llm.to_json();
  m["paper"] = {{"folder", "paper"}, {"note", s.paper_note}};
  write_readme(dir, m);
  write_citation(dir, m);
  write_datasheet(store, taxonomy, dir, m);
  write_manifest(dir, m);
  s.files = static_cast<int64_t>(package_file_hashes(dir).size());
  return s;
}

}  // namespace

PackageSummary write_package(Store& store, const Taxonomy& taxonomy, const PackageOptions& o) {
  check_options(o);
  const fs::path target = fs::absolute(o.out_dir).lexically_normal();
  const fs::path parent = target.parent_path();
  const std::string stem = "." + target.filename().string();
  const fs::path partial = parent / (stem + ".partial-" + std::to_string(::getpid()));
  const fs::path replaced = parent / (stem + ".replaced-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(parent, ec);
  fs::remove_all(partial, ec);
  if (!fs::create_directory(partial, ec)) throw Error(partial.string() + ": cannot create: " + ec.message());
  PackageSummary s;
  try {
    s = write_parts(store, taxonomy, o, partial);
    if (fs::exists(target)) fs::rename(target, replaced);
    fs::rename(partial, target);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(partial, ec);
    throw Error(o.out_dir.string() + ": cannot write the package: " + e.code().message());
  } catch (...) {
    fs::remove_all(partial, ec);
    throw;
  }
  fs::remove_all(replaced, ec);
  if (o.zip) {
    s.zip = zip_path(o.out_dir);
    write_zip_archive(target, s.zip);
  }
  return s;
}

void print_package_summary(const PackageSummary& s, std::ostream& out) {
  out << "Wrote " << s.out_dir.string() << ": " << s.files << " files; dataset " << s.dataset_source << " ("
      << s.dataset_records << " records in " << s.dataset_files << " files)";
  auto rows = [&](const char* table) {
    auto it = s.rows.find(table);
    return it == s.rows.end() ? int64_t{0} : it->second;
  };
  out << ", " << rows("issues") << " issues, " << rows("comments") << " comments, " << rows("annotations")
      << " annotations";
  if (s.llm_labels) out << ", " << s.llm_labels << " LLM-made labels";
  out << "\n";
  out << (s.pseudonymised ? "People are pseudonymised (HMAC-SHA-256 under the salt; keep the salt file private)\n"
                          : "People are NOT pseudonymised (--keep-logins): logins, names and e-mails as stored\n");
  if (!s.zip.empty()) out << "Archived as " << s.zip.string() << "\n";
  if (!s.paper_note.empty()) out << "No paper outputs: " << s.paper_note << "\n";
  out << "Check it with: firstmile package --verify " << s.out_dir.string() << "\n";
}

}  // namespace firstmile
