// package/llm_provenance.cpp — LLM-made labels, their model and prompt, from evidence and runs.
#include "package/llm_provenance.h"

#include <fstream>
#include <map>
#include <set>

#include "base/atomic_file.h"
#include "base/content_hash.h"
#include "base/csv.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "package/table_files.h"
#include "store/package_tables.h"

namespace firstmile {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

size_t column(const std::vector<std::string>& names, const std::string& name) {
  for (size_t c = 0; c < names.size(); ++c) {
    if (names[c] == name) return c;
  }
  throw Error("packaged table without column '" + name + "'");
}

// The recorded prompt hashes of runs, by run id: classify's llm_prompt_hash, and aggregate's
// pair_prompt_hash (kept apart: no label carries it).
void recorded_prompt_hashes(Store& store, std::map<int64_t, std::string>& label_prompts,
                            std::set<std::string>& pair_prompts) {
  std::vector<std::string> names;
  read_packaged_table(
      store, "runs", [&](const std::vector<std::string>& n) { names = n; },
      [&](const std::vector<StoredValue>& row) {
        json summary = json::parse(row[column(names, "summary")].text, nullptr, false);
        if (!summary.is_object()) return;
        if (summary.contains("llm_prompt_hash") && summary["llm_prompt_hash"].is_string())
          label_prompts[row[column(names, "id")].integer] = summary["llm_prompt_hash"].get<std::string>();
        if (summary.contains("pair_prompt_hash") && summary["pair_prompt_hash"].is_string())
          pair_prompts.insert(summary["pair_prompt_hash"].get<std::string>());
      });
}

// The prompt templates of this installation by git blob hash.
std::map<std::string, fs::path> prompt_templates() {
  std::map<std::string, fs::path> out;
  std::error_code ec;
  fs::path dir = resource_path("taxonomy/prompts");
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") out[git_blob_hash(read_file(entry.path()))] = entry.path();
  }
  return out;
}

}  // namespace

ordered_json LlmProvenance::to_json() const {
  ordered_json labels = ordered_json::array();
  for (const LlmLabelGroup& g : groups) {
    labels.push_back({{"source", g.source},
                      {"run_id", g.run_id},
                      {"model", g.model},
                      {"prompt_hash", g.prompt_hash},
                      {"prompt_file", g.prompt_file.empty() ? ordered_json() : ordered_json(g.prompt_file)},
                      {"labels", g.labels}});
  }
  return {{"labels", labels}, {"pair_judge_prompt_hashes", other_prompts}};
}

LlmProvenance write_llm_provenance(Store& store, const std::vector<std::string>& sources, const fs::path& dir) {
  std::map<int64_t, std::string> label_prompts;
  std::set<std::string> pair_prompts;
  recorded_prompt_hashes(store, label_prompts, pair_prompts);

  struct Label {
    std::vector<std::string> cells;
  };
  std::vector<Label> labels;
  std::map<std::pair<std::string, int64_t>, LlmLabelGroup> groups;
  std::vector<std::string> names;
  read_packaged_table(
      store, "annotations", [&](const std::vector<std::string>& n) { names = n; },
      [&](const std::vector<StoredValue>& row) {
        const std::string& source = row[column(names, "source")].text;
        if (!source_selected(sources, source)) return;
        json evidence = json::parse(row[column(names, "evidence")].text, nullptr, false);
        if (!evidence.is_object() || evidence.value("classifier", "") != "llm") return;
        std::string model;
        if (evidence.contains("llm") && evidence["llm"].is_object()) model = evidence["llm"].value("model", "");
        const StoredValue& run = row[column(names, "run_id")];
        int64_t run_id = run.type == StoredValue::Type::kInteger ? run.integer : 0;
        LlmLabelGroup& g = groups[{source, run_id}];
        g.source = source, g.run_id = run_id, g.model = model;
        g.prompt_hash = label_prompts.count(run_id) ? label_prompts[run_id] : "";
        ++g.labels;
        labels.push_back({{row[column(names, "repository")].text, std::to_string(row[column(names, "number")].integer),
                           std::to_string(row[column(names, "failure_index")].integer), source, model, g.prompt_hash,
                           std::to_string(run_id)}});
      });

  LlmProvenance out;
  out.other_prompts.assign(pair_prompts.begin(), pair_prompts.end());
  if (labels.empty() && pair_prompts.empty()) return out;
  fs::create_directories(dir / "prompts");
  const std::map<std::string, fs::path> templates = prompt_templates();
  auto copy_template = [&](const std::string& hash) -> std::string {
    auto t = templates.find(hash);
    if (t == templates.end()) return "";
    std::string name = t->second.filename().string();
    write_file_atomically(dir / "prompts" / name, read_file(t->second));
    return "llm/prompts/" + name;
  };
  for (auto& [key, g] : groups) {
    g.prompt_file = copy_template(g.prompt_hash);
    out.groups.push_back(g);
  }
  for (const std::string& hash : pair_prompts) copy_template(hash);

  std::ofstream csv_file(dir / "labels.csv", std::ios::binary);
  CsvWriter csv(csv_file);
  csv.row({"repository", "number", "failure_index", "source", "model", "prompt_hash", "run_id"});
  for (const Label& l : labels) csv.row(l.cells);
  csv_file.close();
  if (!csv_file) throw Error((dir / "labels.csv").string() + ": cannot write");
  return out;
}

}  // namespace firstmile
