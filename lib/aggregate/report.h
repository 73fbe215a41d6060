// aggregate/report.h — one failure report as the aggregation sees it, and how it is read.
//
//   AggregateReport r;  r.title = "KeyError 'qwen2'";  r.created = ...;
//   read_report_features(r, body, comments, knowledge, /*llm_view=*/false);
//   r.signature, r.libraries, r.models      // what the pair score compares
//
//   for_each_slice(reports.size(), 4, [&](size_t from, size_t to) { ... }, "report features");
//
// The features come from the classifier's reading of a report (classify/features.h: the first
// error line, normalised, is the signature) and from the similarity knowledge (library
// versions and model families). The LLM's view (error lines, excerpt) is read only when a pair
// judge may be asked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

class RuleClassifier;
class SimilarityKnowledge;

struct AggregateReport {
  int64_t issue_id = 0;
  std::string repository;  // OWNER/NAME
  std::string series, model;
  int64_t number = 0;
  std::string url, title, created_at;
  int64_t created = 0;    // epoch seconds
  std::string signature;  // normalised error signature ("" when the report shows no error)
  // Each error line, normalised and without its exception class, as a 64-bit hash; sorted,
  // once each, at most kErrorKeys: two reports pasting one line anywhere in their errors.
  std::vector<uint64_t> error_keys;
  std::vector<std::string> error_lines;
  std::vector<std::string> libraries;  // "transformers 4.45.0", lower case, as precise as the report
  std::vector<std::string> models;     // model families the title and opening name: "qwen2.5", "llama"
  // The words of title, prose (its opening) and error lines (similarity.h title_words), each
  // as a 32-bit hash, sorted, once each: a million reports keep them in a few hundred MB.
  std::vector<uint32_t> words;
  std::vector<std::string> known_changes;  // known breaking changes whose tell-tale errors it shows
  std::string stage, root_cause;       // labels from the chosen source ("" if none)
  std::string excerpt;                 // the prose, trimmed
  // With `aggregate --embed-url`: the embedding of title and excerpt, L2-normalised (empty: none).
  std::vector<float> embedding{};
};

// The 32-bit FNV-1a hash a word is kept as (AggregateReport::words).
uint32_t word_hash(std::string_view word);

constexpr size_t kErrorKeys = 8;

// A normalised error line without the exception class that may lead it: users paste
// "RuntimeError: Distributed package doesn't have NCCL built in" and the bare message alike.
// "KeyError: 'qwen2'" -> "'qwen2'"; a line without such a class is returned as it is.
std::string without_exception_class(const std::string& normalised_line);

// Fills the report's signature, libraries and models (and, with `llm_view`, its error lines
// and excerpt) from its title, `body` and `comments` (the thread as one text; "" for none).
// With `labeller`, also its stage and root cause as those rules decide them from the same
// reading (both "" when they call it no failure report).
void read_report_features(AggregateReport& report, const std::string& body, const std::string* comments,
                          const SimilarityKnowledge& knowledge, bool llm_view,
                          const RuleClassifier* labeller = nullptr);

// Runs work(from, to) on `threads` slices of [0, count): the first on the calling thread, the
// others on threads of their own. Returns when all have ended; if any slice threw, the first
// such error (by slice) is rethrown here: an Error as it is, anything else as an Error saying
// that `what` failed and why.
void for_each_slice(size_t count, size_t threads, const std::function<void(size_t from, size_t to)>& work,
                    const std::string& what);

}  // namespace firstmile
