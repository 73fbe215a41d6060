// aggregate/pair_judge.h — asks an LLM whether two failure reports share one root cause.
//
//   Knowledge k = Knowledge::load();                     // taxonomy/knowledge/*.json
//   PairPrompt words = PairPrompt::load();               // taxonomy/prompts/pair_judge.json
//   PairJudge judge(taxonomy, k, words);
//   LlmRequest q = judge.request(a, b);                  // one question per uncertain pair
//   LlmResult r = llm.complete(q);                       // LlmClient: cached, budgeted, N in flight
//   PairVerdict v = judge.read_answer(r.content);        // v.ok, v.same, v.reason
//   options.ask = llm_pair_asker(client, judge);         // the grouping's questions, all at once
//
// COLA's design for alert storms, applied to issue storms: correlation evidence decides the
// clear pairs; only the uncertain ones reach the LLM, which reasons with external knowledge —
// here the root causes' definitions and known breaking changes with their tell-tale errors
// (our "standard operating procedures"), kept as data in taxonomy/knowledge/. The answer is
// asked for as JSON ({"same_root_cause": bool, "reason": string}) and validated whatever the
// server did; an invalid answer is a verdict with ok == false and never links two reports.
//
// The system message is the same for every pair, so servers with prefix caching pay for it
// once: the task, the knowledge's guidance, every root cause of the taxonomy to level 2 (id,
// path and definition from the Taxonomy, with the knowledge's note on it), and the known
// changes. The user message shows both reports: repository#number, date, title, error
// signature and lines, libraries, the root-cause label as a hint, and the excerpt cut to
// `max_excerpt_chars` (its beginning and its end). The words of both messages are data
// (PairPrompt); the judge lays them out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregate/grouping.h"
#include "llm/llm_client.h"

namespace firstmile {

class Taxonomy;

// A known breaking change: which library and versions, what breaks, and the errors it shows.
struct KnownChange {
  std::string id;        // "transformers-4.43-rope-llama3"
  std::string library;   // "transformers"
  std::string versions;  // "< 4.43.0", or words when no version is certain
  std::string description;
  std::vector<std::string> tell_tale_errors;  // verbatim fragments of what users paste
  std::string root_cause;                     // taxonomy node id, e.g. "rc.env.dependency"
  // true: every report showing it has one root cause in the study's sense (a release, a defect,
  // a limit of one code base), so sharing it is evidence of one incident; false: a kind of
  // failure each user meets in their own setup (an old driver, a small GPU, a new architecture),
  // shown to the pair judge but no evidence by itself.
  bool one_incident = false;
  // true: the library's release does not matter (every Windows build lacks NCCL), so the
  // versions two reports name say nothing about it; optional in the file, false when absent.
  bool any_release = false;
  std::string origin;  // "<file>: change '<id>'", for messages
};

// What makes two reports of one root cause one cause rather than two look-alikes.
struct RootCauseNote {
  std::string root_cause;  // taxonomy node id
  std::string note;
  std::string origin;  // "<file>: note 3"
};

// taxonomy/knowledge/*.json: each file an object with any of "guidance" (strings), "notes"
// ({root_cause, note}) and "changes" (KnownChange fields; tell_tale_errors non-empty,
// one_incident true or false; any_release optional). Change
// ids are unique across files. Parsing knows no taxonomy: check() (which PairJudge calls)
// verifies that every root_cause is a label-level node of the root_cause dimension.
struct Knowledge {
  std::vector<std::string> guidance;
  std::vector<RootCauseNote> notes;
  std::vector<KnownChange> changes;
  std::string origin;  // the files it came from
  std::string hash;    // git blob hash of their contents, concatenated in name order
  // Every *.json in `directory` (default: taxonomy/knowledge from the resource directory),
  // in name order; throws Error naming file and entry for a malformed one.
  static Knowledge load(const std::filesystem::path& directory = {});
  // (origin, content) pairs.
  static Knowledge parse(const std::vector<std::pair<std::string, std::string>>& files);
  // Throws Error naming file and entry for a root_cause that `taxonomy` cannot label with.
  void check(const Taxonomy& taxonomy) const;
};

// taxonomy/prompts/pair_judge.json: the words of the judge's messages (the file's
// comments say where each goes). Every text is required and used as written; {title}, {id},
// {version} and {definition} may appear in `taxonomy`, {dimension} in `root_causes_heading`,
// no other {name} anywhere. Throws Error naming the file and the field.
struct PairPrompt {
  // The system message.
  std::string task, taxonomy, answer;
  std::string guidance_heading, root_causes_heading, changes_heading;
  std::string note_label, errors_label, change_root_cause_label, kind_label;
  // The user message.
  std::string question, report_heading, opened;
  std::string title_label, signature_label, error_lines_label, libraries_label, root_cause_label, excerpt_label;
  std::string cut_marker;
  std::string origin;
  std::string hash;  // git blob hash of the file

  // `path` empty: taxonomy/prompts/pair_judge.json from the resource directory.
  static PairPrompt load(const std::filesystem::path& path = {});
  static PairPrompt parse(std::string_view content, const std::string& origin);
};

// What the judge is shown of one report.
struct PairReport {
  std::string repository;  // OWNER/NAME
  int64_t number = 0;
  std::string created_at;
  std::string title;
  std::string error_signature;
  std::vector<std::string> error_lines;
  std::string excerpt;                 // prose, trimmed
  std::vector<std::string> libraries;  // "transformers 4.45.0", ...
  std::string root_cause;              // label node id, when known
};

struct PairVerdict {
  bool ok = false;
  std::string error;   // why the answer was rejected
  bool same = false;   // false whenever ok is false
  std::string reason;  // white space normalised, at most max_reason_chars
  std::string raw;     // the answer as received
};

struct PairJudgeOptions {
  size_t max_excerpt_chars = 2500;  // per report
  size_t max_error_lines = 8;       // per report
  size_t max_reason_chars = 400;
};

class PairJudge {
 public:
  static constexpr const char* kSchemaName = "same_incident";
  // `taxonomy` and `knowledge` must outlive the judge. Throws Error if the taxonomy has no
  // root_cause dimension or the knowledge names a root cause outside it (Knowledge::check).
  PairJudge(const Taxonomy& taxonomy, const Knowledge& knowledge, PairPrompt prompt, PairJudgeOptions options = {});

  // The same request for (a, b) and (b, a): the reports are put in (repository, number)
  // order, so the LLM cache answers either order.
  LlmRequest request(const PairReport& a, const PairReport& b) const;
  // Never throws for a bad answer: one JSON object (a ```json fence and a leading
  // <think>...</think> block are accepted) with exactly a boolean same_root_cause and a
  // non-empty string reason; anything else is a verdict with ok == false and `error` set.
  PairVerdict read_answer(std::string_view content) const;

  const std::string& system_prompt() const { return system_; }
  const nlohmann::json& schema() const { return schema_; }
  // For the run's summary: ("pair_prompt_hash", the prompt file's), ("pair_knowledge_hash",
  // the knowledge files').
  std::vector<std::pair<std::string, std::string>> provenance() const;

 private:
  std::string describe(const PairReport& report) const;

  const Taxonomy& taxonomy_;
  const Knowledge& knowledge_;
  PairPrompt prompt_;
  PairJudgeOptions options_;
  std::string system_;
  nlohmann::json schema_;
};

// Uncertain pairs to a real endpoint: each pair becomes the judge's question (the two reports
// with their errors, libraries and labels), all go through the client (cached, budgeted, N in
// flight), and each answer is read strictly; a rejected or failed one is no answer. `client`
// and `judge` must outlive the asker.
PairAsk llm_pair_asker(LlmClient& client, const PairJudge& judge);

}  // namespace firstmile
