// llm/answer_reader.cpp — thinking and fences off, then one JSON object with the fields asked for.
#include "llm/answer_reader.h"

#include <algorithm>
#include <cctype>

namespace firstmile {

std::string_view answer_json_text(std::string_view content) {
  size_t think = content.rfind("</think>");
  if (think != std::string_view::npos) content.remove_prefix(think + 8);
  while (!content.empty() && std::isspace(static_cast<unsigned char>(content.front()))) content.remove_prefix(1);
  while (!content.empty() && std::isspace(static_cast<unsigned char>(content.back()))) content.remove_suffix(1);
  if (content.rfind("```", 0) == 0 && content.size() >= 6 && content.substr(content.size() - 3) == "```") {
    content.remove_suffix(3);
    content.remove_prefix(std::min(content.find('\n'), content.size()));
  }
  return content;
}

JsonAnswer read_json_answer(std::string_view content, const std::vector<std::string>& required, ExtraFields extra) {
  JsonAnswer out;
  out.value = nlohmann::json::parse(answer_json_text(content), nullptr, false);
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
