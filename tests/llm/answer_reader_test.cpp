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

TEST_CASE("an answer whose text quotes think tags, fences or braces is read as it stands") {
  const std::string quoted = R"({"x": 1, "reason": "the log ends with </think> and then {\"a\": 2} in ```json```"})";
  JsonAnswer a = read_json_answer(quoted, {"x", "reason"});
  REQUIRE(a.ok());
  CHECK(a.value["reason"] == R"(the log ends with </think> and then {"a": 2} in ```json```)");

  // The same answer after a reasoning block that itself mentions braces.
  JsonAnswer b = read_json_answer("<think>is {\"x\": 0} right? no</think>\n" + quoted, {"x", "reason"});
  REQUIRE(b.ok());
  CHECK(b.value["x"] == 1);

  // A rationale opening with <think> inside the JSON is not a reasoning block.
  JsonAnswer c = read_json_answer(R"({"x": 3, "reason": "<think> tags leaked into the output"})", {"x", "reason"});
  REQUIRE(c.ok());
  CHECK(c.value["x"] == 3);

  // Fenced, with a quoted </think> inside.
  JsonAnswer d = read_json_answer("```json\n" + quoted + "\n```", {"x", "reason"});
  REQUIRE(d.ok());
  CHECK(d.value["x"] == 1);
}

TEST_CASE("reasoning whose opening tag was in the prompt ends at the first </think>") {
  JsonAnswer a = read_json_answer("The user runs vLLM... so Crash.\n</think>\n\n{\"x\": 4}", {"x"});
  REQUIRE(a.ok());
  CHECK(a.value["x"] == 4);
  CHECK(read_json_answer("<think>never finished", {"x"}).error == "not JSON");
}
