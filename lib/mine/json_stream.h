// mine/json_stream.h — top-level JSON values of a file that may hold more than one.
//
//   for (const JsonChunk& c : split_json_values(text)) {
//     nlohmann::json v = parse_json(c.text, path + ": line " + std::to_string(c.line));
//   }
//
// GitHub data comes as one JSON array, as the concatenated arrays `gh api --paginate` prints
// ("[...][...]"), or as JSON Lines (one object per line). All three are a sequence of
// top-level values separated by white space; this finds their boundaries (strings and
// escapes respected) without parsing them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

struct JsonChunk {
  std::string_view text;
  size_t line = 1;    // 1-based line where the value starts
  size_t offset = 0;  // byte offset where it starts
};

// Throws Error(origin + ": line N: ...") when a value is unterminated or a stray character
// stands between values.
std::vector<JsonChunk> split_json_values(std::string_view text, const std::string& origin);

}  // namespace firstmile
