// llm/answer_reader.cpp — thinking and fences off, then one JSON object with the fields asked for.
#include "llm/answer_reader.h"

#include <algorithm>
#include <cctype>

namespace firstmile {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view answer_json_text(std::string_view content) {
  content = trimmed(content);
  // A reasoning block ends at its first "</think>": what the answer says after it, even the
  // same tag quoted in a rationale, is the answer's. Text that opens with JSON or a fence has
  // no block before it.
  const bool opens_with_answer = content.rfind("{", 0) == 0 || content.rfind("```", 0) == 0;
  size_t think_end = content.find("</think>");
  if (think_end != std::string_view::npos && !opens_with_answer) content = trimmed(content.substr(think_end + 8));
  if (content.rfind("```", 0) == 0 && content.size() >= 6 && content.substr(content.size() - 3) == "```") {
    content.remove_suffix(3);
    content.remove_prefix(std::min(content.find('\n'), content.size()));
  }
  return content;
}

JsonAnswer read_json_answer(std::string_view content, const std::vector<std::string>& required, ExtraFields extra) {
  JsonAnswer out;
  out.value = nlohmann::json::parse(content, nullptr, false);
  if (out.value.is_discarded()) out.value = nlohmann::json::parse(answer_json_text(content), nullptr, false);
  if (out.value.is_discarded()) {
    out.error = "not JSON";
  } else if (!out.value.is_object()) {
    out.error = "not a JSON object";
  } else {
    for (const std::string& field : required) {
      if (!out.value.contains(field)) {
        out.error = "no field '" + field + "'";
        break;
      }
    }
    if (out.ok() && extra == ExtraFields::kRejected) {
      for (auto it = out.value.begin(); it != out.value.end(); ++it) {
        if (std::find(required.begin(), required.end(), it.key()) == required.end()) {
          out.error = "unexpected field '" + it.key() + "'";
          break;
        }
      }
    }
  }
  if (!out.ok()) out.value = nullptr;
  return out;
}

}  // namespace firstmile
