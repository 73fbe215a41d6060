// Tests of aggregate/json_fields.h: field readers whose errors name the place and the field.
#include <doctest/doctest.h>

#include "aggregate/json_fields.h"
#include "base/error.h"

using namespace firstmile;
using nlohmann::json;

TEST_CASE("fields are read with their types checked") {
  json doc = json::parse(R"({"name": "  two   words ", "text": " as  is ", "n": 1.5, "o": {}, "list": ["a", " b"]})");
  CHECK(text_field(doc, "name", "f") == "two words");
  CHECK(verbatim_field(doc, "text", "f") == " as  is ");
  CHECK(number_field(doc, "n", "f") == 1.5);
  CHECK(object_field(doc, "o", "f").empty());
  CHECK(string_list(doc, "list", "f") == std::vector<std::string>{"a", " b"});
  CHECK_NOTHROW(check_fields(doc, {"name", "text", "n", "o", "list"}, "f"));
}

TEST_CASE("a missing, mistyped, blank or unknown field is named with its place") {
  json doc = json::parse(R"({"name": " ", "n": "1", "list": ["a", 2], "x": 1})");
  CHECK_THROWS_WITH_AS(text_field(doc, "name", "f: s"), "f: s: 'name' is empty", Error);
  CHECK_THROWS_WITH_AS(verbatim_field(doc, "missing", "f: s"), "f: s: missing 'missing'", Error);
  CHECK_THROWS_WITH_AS(number_field(doc, "n", "f"), "f: 'n' must be a number, got string", Error);
  CHECK_THROWS_WITH_AS(object_field(doc, "n", "f"), "f: 'n' must be an object, got string", Error);
  CHECK_THROWS_WITH_AS(list_field(doc, "name", "f"), "f: 'name' must be a list, got string", Error);
  CHECK_THROWS_WITH_AS(string_list(doc, "list", "f"), "f: list 2: expected a non-empty string, got number", Error);
  CHECK_THROWS_WITH_AS(check_fields(doc, {"name", "n", "list"}, "f"), "f: unknown field 'x' (name, n, list)", Error);
}
