// base/json_file.cpp — JSON reading with user-facing error messages.
#include "base/json_file.h"

#include <fstream>
#include <sstream>

#include "base/error.h"

namespace firstmile {

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(path.string() + ": is a folder, not a file");
  if (!std::filesystem::exists(path, ec)) throw Error(path.string() + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open file");
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read error");
  return out.str();
}

namespace {

// Line and column (1-based) of byte offset `byte` in `text`.
std::pair<size_t, size_t> line_and_column(std::string_view text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line 3, column 1:
// syntax error while parsing value - ..."; keep only the part after the position.
std::string reason_of(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  auto colon = what.find(": ", what.find("parse error"));
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

nlohmann::json parse_json(std::string_view text, const std::string& origin, size_t first_line) {
  try {
    return nlohmann::json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/true,
                                 /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is one past the offending character.
    auto [line, column] = line_and_column(text, e.byte > 0 ? e.byte - 1 : 0);
    throw Error(origin + ": line " + std::to_string(line + first_line - 1) + ", column " + std::to_string(column) +
                ": invalid JSON: " + reason_of(e));
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double ("1e999") and the like: the value, not the syntax.
    std::string what = e.what();
    auto close = what.find("] ");
    throw Error(origin + ": invalid JSON: " + (close == std::string::npos ? what : what.substr(close + 2)));
  }
}

nlohmann::json read_json_file(const std::filesystem::path& path) { return parse_json(read_file(path), path.string()); }

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_number()) return "number";
  return value.type_name();
}

}  // namespace firstmile
