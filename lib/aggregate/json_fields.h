// aggregate/json_fields.h — reading the fields of the aggregation's data files, with errors that
// name the file and the field.
//
//   json doc = parse_json(read_file(path), path.string());
//   check_fields(doc, {"stopwords", "pair_score"}, origin);           // unknown field 'x' (...)
//   std::vector<std::string> words = string_list(doc, "stopwords", origin);
//   double prior = number_field(doc["pair_score"], "prior", origin + ": pair_score");
//
// Every reader throws Error("<where>: ...") naming what is missing or of the wrong type.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

// Throws for a field of `object` not in `allowed` (the message lists the allowed ones).
void check_fields(const nlohmann::json& object, std::initializer_list<const char*> allowed, const std::string& where);
void check_fields(const nlohmann::json& object, const std::vector<std::string>& allowed, const std::string& where);

// A required, non-empty string, white space normalised.
std::string text_field(const nlohmann::json& object, const char* key, const std::string& where);

// A required string taken as written (prompt texts keep their spacing), non-empty.
std::string verbatim_field(const nlohmann::json& object, const char* key, const std::string& where);

// A required number.
double number_field(const nlohmann::json& object, const char* key, const std::string& where);

// A required object.
const nlohmann::json& object_field(const nlohmann::json& object, const char* key, const std::string& where);

// A list; absent counts as an error.
const nlohmann::json& list_field(const nlohmann::json& object, const char* key, const std::string& where);

// A required list of strings as written, none of them blank.
std::vector<std::string> string_list(const nlohmann::json& object, const char* key, const std::string& where);

}  // namespace firstmile
