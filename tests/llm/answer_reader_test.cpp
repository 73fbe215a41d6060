// Tests of llm/answer_reader.h: the JSON object a model answered, read strictly.
#include <doctest/doctest.h>

#include "llm/answer_reader.h"

using namespace firstmile;

TEST_CASE("an answer after thinking, fenced in ```json, is read") {
  JsonAnswer a = read_json_answer("<think>maybe Crash</think>\n```json\n{\"x\": 1, \"y\": \"z\"}\n```\n", {"x", "y"});
  REQUIRE(a.ok());
  CHECK(a.value["x"] == 1);
  CHECK(a.value["y"] == "z");
}

TEST_CASE("an answer that is not a JSON object, or lacks a field, says which") {
  CHECK(read_json_answer("Crash, I think", {"x"}).error == "not JSON");
  CHECK(read_json_answer("[1, 2]", {"x"}).error == "not a JSON object");
  CHECK(read_json_answer(R"({"x": 1})", {"x", "reason"}).error == "no field 'reason'");
}

TEST_CASE("extra fields are allowed unless the caller rejects them") {
  CHECK(read_json_answer(R"({"x": 1, "extra": 2})", {"x"}).ok());
  CHECK(read_json_answer(R"({"x": 1, "extra": 2})", {"x"}, ExtraFields::kRejected).error == "unexpected field 'extra'");
}
