// classify/features.h — what the classifier reads in a report: prose, code, error lines.
//
//   IssueFeatures f = extract_features(title, body, {comment1, comment2});
//   f.error_lines      // {"torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"}
//   f.error_signature  // "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate <N> GiB"
//   f.language         // "zh" when a good share of the prose is Chinese, else "en"
//
// Fenced code (``` or ~~~) and indented or traceback-shaped lines are separated from prose,
// because an error string in a log means something else than the same words in a sentence
// ("does not work" vs a stack trace). Error lines are the last line of each Python traceback,
// lines naming an exception ("ValueError: ..."), and CUDA/NCCL/C++ runtime error lines.
// An inventory of versions and hardware (the lines under an "Environment:" or "System Info"
// heading) is kept apart: nearly every report lists one, so a version or a GPU named there says
// less about the cause than one named in a sentence.
// The resolution is every prose sentence that tells how the failure was solved or what caused
// it ("lowering the batch size solved it", "works after upgrading vLLM", "原因是..."): the study
// labelled root causes by the fix, so root-cause rules weigh what they find there most.
// Which headings start an inventory and which phrases mark a resolution is data:
// taxonomy/features.json (feature_knowledge.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "classify/feature_knowledge.h"

namespace firstmile {

struct IssueFeatures {
  std::string title;
  std::string prose;        // the body without its code, white space kept
  std::string code;         // fenced blocks and log-shaped lines of the body, joined by newlines
  std::string environment;  // the body's inventory of versions and hardware ("Environment:", "System Info")
  std::string comments;     // the comments' text (prose and code), joined
  std::string resolution;   // sentences of body and comments prose that tell the fix or the cause
  std::vector<std::string> error_lines;  // as written, in order of appearance, without duplicates
  std::string error_signature;           // the first error line, normalised
  std::string language;                  // "zh" or "en"
};

// `knowledge`: the inventory headings and resolution phrases (default: taxonomy/features.json).
IssueFeatures extract_features(std::string_view title, std::string_view body,
                               const std::vector<std::string>& comments = {},
                               const FeatureKnowledge& knowledge = FeatureKnowledge::shipped());

// Strips what differs between two reports of one error: paths, hex addresses, numbers that
// stand alone (not the 2 of 'qwen2'), repeated spaces. "File /home/a/x.py, line 12" -> "File <path>, line <N>".
std::string normalize_error_line(std::string_view line);

}  // namespace firstmile
