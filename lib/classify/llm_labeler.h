// classify/llm_labeler.h — one issue as a labelling question for an LLM, and its answer as taxonomy labels.
//
//   LlmLabeler labeler(taxonomy);
//   LlmRequest q = labeler.request(features, hints);   // system: task + taxonomy; user: the issue
//   LlmResult a = llm.complete(q);                     // (or complete_all over many issues)
//   LlmLabel label = labeler.read_answer(a.content);
//   if (label.ok) { annotation.symptom = label.symptom; ... } else note(label.error);
//
// The system message states the task and lists the taxonomy from the Taxonomy API — every
// stage, symptom (to level 3) and root cause (to level 2) with its id, path and definition —
// so it is the same for every issue (servers with prefix caching pay for it once). Its words
// and the user message's headings are data: taxonomy/prompts/labeler.json (labeler_prompt.h). The user
// message holds the issue, cut to about `max_issue_chars`: title, error lines, prose, the
// code and logs (trim_for_prompt), the comments, and the rules' candidates as hints.
//
// The answer is asked for as JSON under a schema whose ids are enums of each dimension's
// nodes, but it is validated whatever the server did: text that is not one JSON object,
// a missing or mistyped field, or an id that is not a node of that dimension rejects the
// whole answer (`ok` false, `error` says why), so no label outside the taxonomy gets out.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "classify/features.h"
#include "classify/labeler_prompt.h"
#include "llm/llm_client.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

// A rules classifier's candidate for one dimension: a node id and its score.
struct LabelHint {
  std::string node_id;
  double score = 0;
};

// The rules' top candidates per dimension, best first. Ids not in the taxonomy are left out.
struct RuleHints {
  std::vector<LabelHint> stage, symptom, root_cause;
};

struct LlmLabel {
  bool ok = false;
  std::string error;   // why the answer was rejected, or why there was none (with the endpoint)
  std::string reason;  // the same in words that group alike failures; "" when `error` says it
  bool is_failure = false;
  std::string stage, symptom, root_cause;  // node ids; empty only when is_failure is false
  std::string rationale;
  std::string raw;  // the answer as received
};

struct LlmLabelerOptions {
  size_t max_issue_chars = 6000;  // the issue's part of the user message
  size_t max_hints = 3;           // per dimension
  size_t max_rationale_chars = 600;
  std::filesystem::path prompt_file = {};  // the prompt's words; empty: taxonomy/prompts/labeler.json
};

class LlmLabeler {
 public:
  static constexpr const char* kSchemaName = "failure_labels";

  // `taxonomy` must outlive the labeler. Throws Error if it lacks a stage, symptom or root_cause dimension.
  explicit LlmLabeler(const Taxonomy& taxonomy, LlmLabelerOptions options = {});

  LlmRequest request(const IssueFeatures& issue, const RuleHints& hints = {}) const;
  // Never throws for a bad answer: a rejected answer is a label with ok == false.
  LlmLabel read_answer(std::string_view content) const;

  const std::string& system_prompt() const { return system_; }
  const std::string& prompt_hash() const { return prompt_.hash(); }  // of the prompt file, for provenance
  const nlohmann::json& schema() const { return schema_; }

 private:
  std::string check_node(const nlohmann::json& answer, const std::string& field, const std::string& dimension,
                         bool required, std::string& id) const;

  const Taxonomy& taxonomy_;
  LlmLabelerOptions options_;
  LabelerPrompt prompt_;
  std::string system_;
  nlohmann::json schema_;
};

// The code and logs of an issue cut to what tells the failure apart, at most `max_chars` bytes:
// a log longer than 60 lines keeps its first 3 lines, its error lines and its last 40 lines
// (the cut runs become "[... N lines cut ...]"); lines are cut at 400 bytes; if that is still
// too long, the error lines are kept first and then as much of the end as fits. Cuts fall on
// UTF-8 character boundaries.
std::string trim_for_prompt(std::string_view code, const std::vector<std::string>& error_lines, size_t max_chars);

}  // namespace firstmile
