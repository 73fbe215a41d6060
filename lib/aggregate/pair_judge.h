// aggregate/pair_judge.h — asks an LLM whether two failure reports share one root cause.
//
//   Knowledge k = Knowledge::load();                     // taxonomy/knowledge/*.json
//   PairJudge judge(taxonomy, k);
//   LlmRequest q = judge.request(a, b);                  // one question per uncertain pair
//   LlmResult r = llm.complete(q);                       // LlmClient: cached, budgeted, N in flight
//   PairVerdict v = judge.read_answer(r.content);        // v.ok, v.same, v.reason
//
// COLA's design for alert storms, applied to issue storms: correlation evidence decides the
// clear pairs; only the uncertain ones reach the LLM, which reasons with external knowledge —
// here the root causes' definitions and known breaking changes with their tell-tale errors
// (our "standard operating procedures"), kept as data in taxonomy/knowledge/. The answer is
// asked for as JSON ({"same_root_cause": bool, "reason": string}) and validated whatever the
// server did; an invalid answer is a verdict with ok == false and never links two reports.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "classify/llm_client.h"

namespace firstmile {

class Taxonomy;

// A known breaking change: which library and versions, what breaks, and the errors it shows.
struct KnownChange {
  std::string id;                     // "transformers-4.45-rope"
  std::string library;                // "transformers"
  std::string versions;               // "4.45.0" or ">=0.6,<0.6.3"
  std::string description;
  std::vector<std::string> tell_tale_errors;
  std::string root_cause;             // taxonomy node id, e.g. "rc.env.dependency"
};

struct Knowledge {
  std::vector<KnownChange> changes;
  std::string origin;                 // the files it came from
  // Every *.json in `directory` (default: taxonomy/knowledge from the resource directory);
  // throws Error naming file and entry for a malformed one.
  static Knowledge load(const std::filesystem::path& directory = {});
  static Knowledge parse(const std::vector<std::pair<std::string, std::string>>& files);
};

// What the judge is shown of one report.
struct PairReport {
  std::string repository;             // OWNER/NAME
  int64_t number = 0;
  std::string created_at;
  std::string title;
  std::string error_signature;
  std::vector<std::string> error_lines;
  std::string excerpt;                // prose, trimmed
  std::vector<std::string> libraries; // "transformers 4.45.0", ...
  std::string root_cause;             // label node id, when known
};

struct PairVerdict {
  bool ok = false;
  std::string error;                  // why the answer was rejected
  bool same = false;
  std::string reason;
};

class PairJudge {
 public:
  static constexpr const char* kSchemaName = "same_incident";
  // `taxonomy` and `knowledge` must outlive the judge.
  PairJudge(const Taxonomy& taxonomy, const Knowledge& knowledge);

  LlmRequest request(const PairReport& a, const PairReport& b) const;
  // Never throws for a bad answer.
  PairVerdict read_answer(std::string_view content) const;

  const std::string& system_prompt() const { return system_; }

 private:
  const Taxonomy& taxonomy_;
  const Knowledge& knowledge_;
  std::string system_;
  nlohmann::json schema_;
};

}  // namespace firstmile
