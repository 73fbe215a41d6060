// Tests of net/http_client.h against the loopback GitHub server: answers, errors, redirects.
#include <doctest/doctest.h>

#include "fake_github.h"
#include "net/http_client.h"

using namespace firstmile;
using firstmile::testing::FakeGithub;
using firstmile::testing::make_repository;

TEST_CASE("a GET answers with its status, headers by lower-case name, and the body, decompressed") {
  FakeGithub server;
  server.add(make_repository("acme", "model", 3, 0, 1));
  HttpClient http({.user_agent = "firstmile-test"});
  HttpResponse r = http.get(server.url() + "/repos/acme/model", {"Accept: application/json"});
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/json; charset=utf-8");
  CHECK(r.header("x-ratelimit-limit") == "5000");
  CHECK(r.header("no-such-header").empty());
  CHECK(nlohmann::json::parse(r.body)["full_name"] == "acme/model");
  CHECK(server.stats().gzip_responses == 1);  // asked for gzip, and read it back as text
}

TEST_CASE("an HTTP error status is an answer, and a redirect is not followed") {
  FakeGithub server;
  auto repo = make_repository("QwenLM", "Qwen3", 3, 0, 2);
  repo.renamed_from = "QwenLM/Qwen2.5";
  server.add(repo);
  HttpClient http;
  HttpResponse missing = http.get(server.url() + "/repos/acme/nothing", {});
  CHECK(missing.status == 404);
  CHECK(nlohmann::json::parse(missing.body)["message"] == "Not Found");
  HttpResponse moved = http.get(server.url() + "/repos/QwenLM/Qwen2.5/issues", {});
  CHECK(moved.status == 301);
  CHECK(moved.header("location") == server.url() + "/repositories/1002/issues");
  CHECK(server.stats().requests == 2);
}

TEST_CASE("a refused connection is a NetworkError naming the method and URL, not the headers") {
  HttpClient http({.connect_timeout_seconds = 5, .timeout_seconds = 5});
  CHECK_THROWS_WITH_AS(http.get("http://127.0.0.1:1/x", {"Authorization: Bearer secret"}),
                       doctest::Contains("GET http://127.0.0.1:1/x: "), NetworkError);
  try {
    http.post("http://127.0.0.1:1/y", {"Authorization: Bearer secret"}, "{}");
    FAIL("expected a NetworkError");
  } catch (const NetworkError& e) {
    CHECK(std::string(e.what()).starts_with("POST http://127.0.0.1:1/y: "));
    CHECK(std::string(e.what()).find("secret") == std::string::npos);
  }
}

TEST_CASE("HTTP dates read as ISO 8601 UTC") {
  CHECK(http_date_to_iso8601("Wed, 25 Nov 2026 06:33:05 GMT") == "2026-11-25T06:33:05Z");
  CHECK(http_date_to_iso8601("not a date").empty());
  CHECK(http_date_to_iso8601("").empty());
}
