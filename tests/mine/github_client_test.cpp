// Tests of mine/github_client.h: retries, and reading GitHub's Link headers.
#include <doctest/doctest.h>

#include "base/error.h"
#include "fake_github.h"
#include "mine/github_client.h"

using namespace firstmile;
using firstmile::testing::FakeGithub;
using firstmile::testing::make_repository;

namespace {
GithubClient client_of(const FakeGithub& server) {
  GithubClientOptions o;
  o.api_url = server.url();
  o.retry_wait = std::chrono::milliseconds(1);
  return GithubClient(o);
}
}  // namespace

TEST_CASE("a renamed repository's answer is followed and marked redirected, a known ETag is answered 304") {
  FakeGithub server;
  auto repo = make_repository("QwenLM", "Qwen3", 3, 0, 5);
  repo.renamed_from = "QwenLM/Qwen2.5";
  server.add(repo);
  GithubClient client = client_of(server);
  GithubPage moved = client.get("/repos/QwenLM/Qwen2.5");
  CHECK(moved.redirected);
  CHECK(moved.final_url == server.url() + "/repositories/1005");
  CHECK(moved.body["full_name"] == "QwenLM/Qwen3");
  GithubPage page = client.get("/repos/QwenLM/Qwen3");
  REQUIRE_FALSE(page.etag.empty());
  GithubPage again = client.get("/repos/QwenLM/Qwen3", page.etag);
  CHECK(again.not_modified);
  CHECK(again.body.is_null());
  CHECK(client.counters().requests == 4);  // the 301 and its target, then two more
  CHECK(client.counters().not_modified == 1);
}

TEST_CASE("network errors are retried, then reported with the URL") {
  GithubClientOptions o;
  o.api_url = "http://127.0.0.1:1";  // nothing listens there
  o.max_retries = 2;
  o.retry_wait = std::chrono::milliseconds(1);
  GithubClient client(o);
  CHECK_THROWS_WITH_AS(client.get("/repos/acme/model"), doctest::Contains("http://127.0.0.1:1/repos/acme/model"),
                       Error);
  CHECK(client.counters().requests == 3);
}

TEST_CASE("Link headers and query parameters are read as GitHub writes them") {
  std::string link =
      "<https://api.github.com/repositories/1/issues?per_page=100&page=2>; rel=\"next\", "
      "<https://api.github.com/repositories/1/issues?per_page=100&page=7>; rel=\"last\"";
  CHECK(link_url(link, "next") == "https://api.github.com/repositories/1/issues?per_page=100&page=2");
  CHECK(link_url(link, "prev").empty());
  CHECK(query_int(link_url(link, "last"), "page") == 7);
  CHECK(query_int("https://x/y?per_page=100", "page") == std::nullopt);
}
