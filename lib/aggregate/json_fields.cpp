// aggregate/json_fields.cpp — field readers for the knowledge, similarity and prompt files.
#include "aggregate/json_fields.h"

#include <algorithm>

#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"

namespace firstmile {

using nlohmann::json;

void check_fields(const json& object, const std::vector<std::string>& allowed, const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      throw Error(where + ": unknown field '" + it.key() + "' (" + join(allowed, ", ") + ")");
    }
  }
}

void check_fields(const json& object, std::initializer_list<const char*> allowed, const std::string& where) {
  check_fields(object, std::vector<std::string>(allowed.begin(), allowed.end()), where);
}

namespace {

const json& member(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) throw Error(where + ": missing '" + key + "'");
  return *it;
}

const std::string& string_member(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_string()) throw Error(where + ": '" + key + "' must be a string, got " + json_type_name(value));
  return value.get_ref<const std::string&>();
}

}  // namespace

std::string text_field(const json& object, const char* key, const std::string& where) {
  std::string value = normalize_space(string_member(object, key, where));
  if (value.empty()) throw Error(where + ": '" + key + "' is empty");
  return value;
}

std::string verbatim_field(const json& object, const char* key, const std::string& where) {
  const std::string& value = string_member(object, key, where);
  if (normalize_space(value).empty()) throw Error(where + ": '" + key + "' is empty");
  return value;
}

double number_field(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_number()) throw Error(where + ": '" + key + "' must be a number, got " + json_type_name(value));
  return value.get<double>();
}

const json& object_field(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_object()) throw Error(where + ": '" + key + "' must be an object, got " + json_type_name(value));
  return value;
}

const json& list_field(const json& object, const char* key, const std::string& where) {
  const json& value = member(object, key, where);
  if (!value.is_array()) throw Error(where + ": '" + key + "' must be a list, got " + json_type_name(value));
  return value;
}

std::vector<std::string> string_list(const json& object, const char* key, const std::string& where) {
  std::vector<std::string> out;
  size_t index = 0;
  for (const json& item : list_field(object, key, where)) {
    ++index;
    if (!item.is_string() || normalize_space(item.get_ref<const std::string&>()).empty()) {
      throw Error(where + ": " + key + " " + std::to_string(index) + ": expected a non-empty string, got " +
                  (item.is_string() ? "a blank one" : json_type_name(item)));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace firstmile
