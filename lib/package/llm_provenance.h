// package/llm_provenance.h — for every label an LLM made: which model, which prompt (by hash),
// and a copy of that prompt's template.
//
//   LlmProvenance p = write_llm_provenance(store, {"llm", "hybrid"}, "pkg/llm");
//   // pkg/llm/labels.csv: repository, number, failure_index, source, model, prompt_hash, run_id
//   // pkg/llm/prompts/labeler.json: the template, when its hash is the one recorded
//   p.to_json()   // per source and run: model, prompt hash, template file, labels
//
// A label is the LLM's when its evidence says classifier "llm" (route llm, or hybrid's routed
// labels). The prompt hash is the one the classify run recorded (runs.summary.llm_prompt_hash;
// aggregate runs record pair_prompt_hash). Templates are looked for among taxonomy/prompts/*.json
// of this installation by that hash; a template changed since is reported missing, not copied.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;
class Pseudonymizer;

struct LlmLabelGroup {
  std::string source;
  int64_t run_id = 0;
  std::string model;
  std::string prompt_hash;  // "" when the run recorded none
  std::string prompt_file;  // "llm/prompts/labeler.json", or "" when not found
  int64_t labels = 0;
};

struct LlmProvenance {
  std::vector<LlmLabelGroup> groups;     // by source, run
  std::vector<std::string> other_prompts;  // hashes recorded by aggregate runs (pair judge)
  nlohmann::ordered_json to_json() const;
};

// Writes `dir`/labels.csv and `dir`/prompts/ (only when an LLM made some label or judged pairs).
LlmProvenance write_llm_provenance(Store& store, const std::vector<std::string>& sources,
                                   const std::filesystem::path& dir);

}  // namespace firstmile
