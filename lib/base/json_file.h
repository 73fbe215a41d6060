// base/json_file.h — read JSON files (comments allowed) with errors that name file and position.
//
//   nlohmann::json doc = read_json_file("taxonomy/taxonomy.json");
//   // throws Error("taxonomy/taxonomy.json: line 12, column 3: syntax error ...")
//
// Data files in taxonomy/ and data/ are commented JSON: `//` and `/* */` comments are skipped.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace firstmile {

// Whole file as bytes; throws Error naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Parses `text` (from `origin`, used in messages) allowing comments. `first_line` is the line
// of `origin` where `text` starts, for values cut out of a larger file.
nlohmann::json parse_json(std::string_view text, const std::string& origin, size_t first_line = 1);

nlohmann::json read_json_file(const std::filesystem::path& path);

// The JSON text of `value` (compact, or indented by `indent` spaces), written whatever its
// strings hold: bytes that are not UTF-8 (a path, a name) come out as U+FFFD instead of an
// exception. What firstmile stores and prints as JSON goes through here.
template <typename Json>
std::string json_text(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// "string", "number", "object", ... for messages such as "expected a string, got number".
std::string json_type_name(const nlohmann::json& value);

}  // namespace firstmile
