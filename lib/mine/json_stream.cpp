// mine/json_stream.cpp — splitting a byte stream into top-level JSON values.
#include "mine/json_stream.h"

#include "base/error.h"

namespace firstmile {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

std::vector<JsonChunk> split_json_values(std::string_view text, const std::string& origin) {
  std::vector<JsonChunk> chunks;
  size_t line = 1;
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a UTF-8 byte order mark
  while (i < text.size()) {
    char c = text[i];
    if (is_space(c)) {
      line += c == '\n';
      ++i;
      continue;
    }
    if (c != '[' && c != '{') {
      throw Error(origin + ": line " + std::to_string(line) + ": expected '[' or '{' to start a JSON value, got '" +
                  std::string(1, c) + "'");
    }
    size_t start = i, start_line = line;
    int depth = 0;
    bool in_string = false;
    for (; i < text.size(); ++i) {
      char d = text[i];
      if (d == '\n') ++line;
      if (in_string) {
        if (d == '\\') {
          ++i;  // skip the escaped character (never a newline in valid JSON)
        } else if (d == '"') {
          in_string = false;
        }
        continue;
      }
      if (d == '"') {
        in_string = true;
      } else if (d == '[' || d == '{') {
        ++depth;
      } else if (d == ']' || d == '}') {
        if (--depth == 0) {
          ++i;
          break;
        }
      }
    }
    if (depth != 0) {
      throw Error(origin + ": line " + std::to_string(start_line) + ": JSON value never ends (file truncated?)");
    }
    chunks.push_back({text.substr(start, i - start), start_line, start});
  }
  return chunks;
}

}  // namespace firstmile
