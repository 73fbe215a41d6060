// llm/answer_reader.h — the JSON object a chat model answered, read strictly.
//
//   JsonAnswer a = read_json_answer(content, {"same_root_cause", "reason"}, Extra::kRejected);
//   if (!a.ok()) reject("answer rejected: " + a.error);   // "not JSON", "no field 'reason'", ...
//   bool same = a.value["same_root_cause"].get<bool>();
//
// The whole content is tried as JSON first, so an answer whose text quotes "</think>", a fence
// or braces is read as it stands. Otherwise: reasoning models may think aloud before answering
// (a leading "<think>...</think>" block is dropped; so is the text before the first "</think>"
// when the content does not open with JSON, as servers whose template opens the block in the
// prompt send it), and a server without structured output may fence the JSON in ``` (the fence
// is dropped). What is left must be one JSON object holding every required field. The callers
// (the issue labeller, the pair judge) then check each field's type and value themselves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

struct JsonAnswer {
  nlohmann::json value;  // the object, when ok
  std::string error;     // why not: "not JSON", "not a JSON object", "no field 'x'", "unexpected field 'y'"
  bool ok() const { return error.empty(); }
};

enum class ExtraFields { kAllowed, kRejected };

JsonAnswer read_json_answer(std::string_view content, const std::vector<std::string>& required,
                            ExtraFields extra = ExtraFields::kAllowed);

// The part of `content` that should be the JSON when the whole content is not: after a leading
// reasoning block, without a ``` fence, white space trimmed.
std::string_view answer_json_text(std::string_view content);

}  // namespace firstmile
