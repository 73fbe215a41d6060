// Tests of net/json_poster.h against the loopback chat-completions server.
#include <doctest/doctest.h>

#include "fake_llm.h"
#include "net/json_poster.h"

using namespace firstmile;
using firstmile::testing::FakeLlm;
using firstmile::testing::reply_status;

TEST_CASE("a JSON POST sends the body with JSON content headers and the caller's, and returns the answer") {
  FakeLlm llm;
  llm.script({reply_status(429, "2")});
  JsonPoster poster(10.0);
  HttpResponse r = poster.post(llm.url() + "/v1/chat/completions", {"Authorization: Bearer k"}, R"({"model":"m"})");
  CHECK(r.status == 429);
  CHECK(r.header("retry-after") == "2");
  REQUIRE(llm.stats().requests.size() == 1);
  const firstmile::testing::FakeLlmRequest seen = llm.stats().requests[0];  // a copy: stats() is a snapshot
  CHECK(seen.raw_body == R"({"model":"m"})");
  CHECK(seen.authorization == "Bearer k");
  CHECK(seen.all_headers.find("Content-Type: application/json\n") != std::string::npos);
  CHECK(seen.all_headers.find("Accept: application/json\n") != std::string::npos);
  CHECK(seen.all_headers.find("Expect:") == std::string::npos);
}
