// Embedding client: the wire format, batching, order by index, normalisation, the cache, retries,
// malformed replies, dimensions and the key.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "fake_embeddings.h"
#include "llm/embedding_client.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

struct Recorder {
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::string> lines;
};

EmbeddingClientOptions options_for(const FakeEmbeddings& server, Recorder& rec) {
  EmbeddingClientOptions o;
  o.base_url = server.url();
  o.model = "embed-test";
  o.timeout_seconds = 5;
  o.max_retries = 3;
  o.retry_wait = std::chrono::milliseconds(1);
  o.sleep = [&rec](std::chrono::milliseconds d) { rec.sleeps.push_back(d); };
  o.log = [&rec](const std::string& line) { rec.lines.push_back("log: " + line); };
  o.notice = [&rec](const std::string& line) { rec.lines.push_back("notice: " + line); };
  return o;
}

std::vector<std::string> texts(int n, const std::string& prefix = "report ") {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

std::vector<float> normalised(std::vector<float> v) {
  l2_normalise(v);
  return v;
}

double length(const std::vector<float>& v) { return std::sqrt(cosine(v, v)); }

// The message of the Error that `f` throws ("" when it throws none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("base URLs with or without /v1 lead to the same embeddings endpoint") {
  CHECK(embeddings_url("http://localhost:8000") == "http://localhost:8000/v1/embeddings");
  CHECK(embeddings_url("http://localhost:8000/") == "http://localhost:8000/v1/embeddings");
  CHECK(embeddings_url("http://localhost:8000/v1") == "http://localhost:8000/v1/embeddings");
  CHECK(embeddings_url("https://api.example.com/v1/") == "https://api.example.com/v1/embeddings");
}

TEST_CASE("a request carries the model and the texts as input, and the vectors come back normalised") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClientOptions o = options_for(server, rec);
  o.base_url = server.url() + "/v1/";
  EmbeddingClient client(o);
  std::vector<std::vector<float>> v = client.embed({"CUDA out of memory", "tokenizer fails to load"});
  FakeEmbeddingStats s = server.stats();
  REQUIRE(s.requests.size() == 1);
  CHECK(s.requests[0].path == "/v1/embeddings");
  CHECK(s.requests[0].body == json{{"model", "embed-test"}, {"input", {"CUDA out of memory", "tokenizer fails to load"}}});
  CHECK(s.requests[0].authorization.empty());
  REQUIRE(v.size() == 2);
  CHECK(client.dimension() == 8);
  CHECK(v[0] == normalised(fake_embedding("CUDA out of memory", 8)));
  CHECK(v[1] == normalised(fake_embedding("tokenizer fails to load", 8)));
  CHECK(length(v[0]) == doctest::Approx(1.0));
  CHECK(client.counters().calls == 1);
  CHECK(client.counters().embedded == 2);
  CHECK(client.counters().tokens > 0);
}

TEST_CASE("texts go in batches of at most batch_texts, and of at most batch_bytes of text") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClientOptions o = options_for(server, rec);
  o.batch_texts = 4;
  EmbeddingClient by_count(o);
  std::vector<std::vector<float>> v = by_count.embed(texts(10));
  FakeEmbeddingStats s = server.stats();
  REQUIRE(s.requests.size() == 3);  // 4 + 4 + 2
  CHECK(s.requests[0].body["input"].size() == 4);
  CHECK(s.requests[2].body["input"] == json{"report 8", "report 9"});
  CHECK(v[9] == normalised(fake_embedding("report 9", 8)));
  CHECK(by_count.counters().calls == 3);

  o.batch_texts = 64;
  o.batch_bytes = 20;  // "report N" is 8 bytes: two a request; a longer text goes alone
  EmbeddingClient by_bytes(o);
  by_bytes.embed({"alpha 01", "alpha 02", "alpha 03", std::string(50, 'x'), "alpha 04"});
  s = server.stats();
  REQUIRE(s.requests.size() == 3 + 4);
  CHECK(s.requests[3].body["input"] == json{"alpha 01", "alpha 02"});
  CHECK(s.requests[4].body["input"] == json{"alpha 03"});
  CHECK(s.requests[5].body["input"] == json{std::string(50, 'x')});
  CHECK(s.requests[6].body["input"] == json{"alpha 04"});
}

TEST_CASE("vectors are placed by data[i].index, not by their order in the reply") {
  FakeEmbeddings server;
  server.reverse_order(true);
  Recorder rec;
  EmbeddingClient client(options_for(server, rec));
  std::vector<std::string> t = texts(5);
  std::vector<std::vector<float>> v = client.embed(t);
  for (size_t i = 0; i < t.size(); ++i) CHECK(v[i] == normalised(fake_embedding(t[i], 8)));
}

TEST_CASE("identical texts are sent once, and an empty text is not sent and gets a zero vector") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClient client(options_for(server, rec));
  std::vector<std::vector<float>> v = client.embed({"same", "", "same", "other"});
  FakeEmbeddingStats s = server.stats();
  REQUIRE(s.requests.size() == 1);
  CHECK(s.requests[0].body["input"] == json{"same", "other"});
  REQUIRE(v.size() == 4);
  CHECK(v[0] == v[2]);
  CHECK(v[1] == std::vector<float>(8, 0.0f));
  CHECK(cosine(v[0], v[1]) == 0.0);
}

TEST_CASE("a second run over the same texts and store makes no request") {
  TempDir dir;
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClientOptions o = options_for(server, rec);
  o.batch_texts = 3;
  std::vector<std::vector<float>> first, second;
  {
    Store store = Store::open(dir / "emb.db");
    EmbeddingClient client(o, &store);
    first = client.embed(texts(7));
    CHECK(client.counters().cache_hits == 0);
  }
  CHECK(server.stats().requests.size() == 3);
  {
    Store store = Store::open(dir / "emb.db");
    CHECK(store.db().query_int("SELECT count(*) FROM embedding_cache WHERE model = 'embed-test' AND dimension = 8") == 7);
    CHECK(store.db().query_int("SELECT count(*) FROM embedding_cache WHERE typeof(vector) = 'blob' AND "
                               "length(vector) = 32") == 7);
    EmbeddingClient client(o, &store);
    std::vector<std::pair<size_t, size_t>> progress;
    second = client.embed(texts(7), [&](size_t done, size_t total) { progress.emplace_back(done, total); });
    CHECK(client.counters().cache_hits == 7);
    CHECK(client.counters().calls == 0);
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back() == std::pair<size_t, size_t>(7, 7));
    // A new text among cached ones: only it is sent.
    client.embed({"report 3", "a new report"});
    CHECK(client.counters().calls == 1);
  }
  CHECK(second == first);  // float32 round trip is exact
  FakeEmbeddingStats s = server.stats();
  REQUIRE(s.requests.size() == 4);
  CHECK(s.requests[3].body["input"] == json{"a new report"});
  // Another model name is another cache entry.
  o.model = "embed-other";
  Store store = Store::open(dir / "emb.db");
  EmbeddingClient other(o, &store);
  other.embed({"report 0"});
  CHECK(server.stats().requests.size() == 5);
}

TEST_CASE("progress counts texts settled, batch by batch, up to all of them") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClientOptions o = options_for(server, rec);
  o.batch_texts = 2;
  EmbeddingClient client(o);
  std::vector<size_t> done;
  client.embed({"a", "b", "", "c", "a"}, [&](size_t d, size_t total) {
    CHECK(total == 5);
    done.push_back(d);
  });
  CHECK(done == std::vector<size_t>{1, 4, 5});  // the empty text, then a+a and b, then c
}

TEST_CASE("429 and 5xx are retried, waiting Retry-After when given") {
  FakeEmbeddings server;
  server.script({embedding_status(429, "2"), embedding_status(503)});
  Recorder rec;
  EmbeddingClient client(options_for(server, rec));
  std::vector<std::vector<float>> v = client.embed({"hello"});
  CHECK(v[0] == normalised(fake_embedding("hello", 8)));
  CHECK(server.stats().requests.size() == 3);
  CHECK(client.counters().calls == 1);
  CHECK(client.counters().http_requests == 3);
  CHECK(client.counters().retries == 2);
  REQUIRE(rec.sleeps.size() == 2);
  CHECK(rec.sleeps[0] == std::chrono::milliseconds(2000));
  CHECK(rec.sleeps[1] <= std::chrono::milliseconds(2));  // backoff from retry_wait, jittered
}

TEST_CASE("retries give up after max_retries, and other 4xx fail at once, naming the endpoint") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClientOptions o = options_for(server, rec);
  o.max_retries = 2;
  server.script({embedding_status(500), embedding_status(500), embedding_status(500)});
  EmbeddingClient client(o);
  std::string why = error_of([&] { client.embed({"x"}); });
  CHECK(contains(why, "POST " + server.url() + "/v1/embeddings: HTTP 500"));
  CHECK(contains(why, "gave up after 2 retries"));
  CHECK(server.stats().requests.size() == 3);

  server.script({embedding_status(404)});
  why = error_of([&] { client.embed({"y"}); });
  CHECK(contains(why, "HTTP 404 fake error 404"));
  CHECK(contains(why, "--embed-model"));
  CHECK(server.stats().requests.size() == 4);
}

TEST_CASE("malformed replies are refused, naming the field") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClient client(options_for(server, rec));
  auto refused = [&](std::function<void(json&)> edit) {
    server.edit_replies(std::move(edit));
    return error_of([&] { client.embed({"one", "two"}); });
  };
  std::string endpoint = "POST " + server.url() + "/v1/embeddings: ";
  CHECK(refused([](json& r) { r.erase("data"); }) == endpoint + "the reply has no data array");
  CHECK(refused([](json& r) { r["data"].erase(1); }) == endpoint + "data has 1 entries for 2 texts");
  CHECK(refused([](json& r) { r["data"][1]["embedding"][3] = "0.5"; }) ==
        endpoint + "data[1].embedding[3] is not a number");
  CHECK(refused([](json& r) { r["data"][0].erase("embedding"); }) == endpoint + "data[0].embedding is missing");
  CHECK(refused([](json& r) { r["data"][0]["embedding"] = "AAAA"; }) ==
        endpoint + "data[0].embedding is a string (base64?), not an array of numbers");
  CHECK(refused([](json& r) { r["data"][1]["index"] = 0; }) == endpoint + "data[1].index 0 repeats an earlier entry's");
  CHECK(refused([](json& r) { r["data"][1]["index"] = 2; }) == endpoint + "data[1].index is 2, outside 0..1");
  CHECK(refused([](json& r) { r = json::array(); }) == endpoint + "the reply is not a JSON object");
  server.edit_replies(nullptr);
  server.script({embedding_body("not json")});
  CHECK(error_of([&] { client.embed({"one"}); }) == endpoint + "the reply is not a JSON object");
  // None of these was kept, and the client still works.
  CHECK(client.dimension() == 0);
  CHECK(client.embed({"one"})[0] == normalised(fake_embedding("one", 8)));
}

TEST_CASE("vectors of different dimensions are refused, within a reply and across replies") {
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClient client(options_for(server, rec));
  server.edit_replies([](json& r) { r["data"][1]["embedding"].erase(0); });
  std::string why = error_of([&] { client.embed({"one", "two"}); });
  CHECK(contains(why, "data[1].embedding has 7 values where data[0].embedding has 8"));
  server.edit_replies(nullptr);
  client.embed({"one"});
  server.set_dimension(16);
  why = error_of([&] { client.embed({"three"}); });
  CHECK(contains(why, "data[0].embedding has 16 values where earlier vectors"));
  CHECK(contains(why, "dimension mismatch"));
}

TEST_CASE("the API key goes in the Authorization header and never into the store, errors or logs") {
  const std::string key = "EmbedKeyWithoutAShape-4455667788";  // only the registration hides it
  TempDir dir;
  FakeEmbeddings server;
  Recorder rec;
  EmbeddingClientOptions o = options_for(server, rec);
  o.api_key = key;
  // A server that echoes the key in its errors must not get it into our messages.
  FakeEmbeddingReply echoing = embedding_status(401);
  echoing.body = json{{"error", {{"message", "invalid key " + key}}}}.dump();
  FakeEmbeddingReply retried = embedding_status(503);
  retried.body = json{{"error", {{"message", "overloaded for " + key}}}}.dump();
  server.script({retried, echoing});
  std::string why;
  {
    Store store = Store::open(dir / "key.db");
    EmbeddingClient client(o, &store);
    why = error_of([&] { client.embed({"secret-free text"}); });
    client.embed({"secret-free text", "more"});
  }
  CHECK(contains(why, "HTTP 401"));
  CHECK(contains(why, "<redacted>"));
  CHECK_FALSE(contains(why, key));
  CHECK_FALSE(rec.lines.empty());
  for (const std::string& line : rec.lines) CHECK_FALSE(contains(line, key));
  FakeEmbeddingStats s = server.stats();
  REQUIRE(s.requests.size() == 3);
  for (const FakeEmbeddingRequest& r : s.requests) {
    CHECK(r.authorization == "Bearer " + key);
    CHECK_FALSE(contains(r.raw_body, key));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK_FALSE(contains(file_bytes(entry.path()), key));
  }
}

TEST_CASE("a server that cannot be reached is retried, then named in the error") {
  std::string url;
  {
    FakeEmbeddings gone;
    url = gone.url();
  }
  Recorder rec;
  EmbeddingClientOptions o;
  o.base_url = url;
  o.model = "m";
  o.max_retries = 1;
  o.timeout_seconds = 2;
  o.sleep = [&rec](std::chrono::milliseconds d) { rec.sleeps.push_back(d); };
  EmbeddingClient client(o);
  std::string why = error_of([&] { client.embed({"x"}); });
  CHECK(contains(why, "POST " + url + "/v1/embeddings: "));
  CHECK(contains(why, "gave up after 1 retries"));
  CHECK(rec.sleeps.size() == 1);
}

TEST_CASE("flags and options that cannot work are errors") {
  CHECK_NOTHROW(check_embedding_flags("", ""));
  CHECK_NOTHROW(check_embedding_flags("http://localhost:8000/v1", "text-embedding-3-small"));
  CHECK_THROWS_WITH_AS(check_embedding_flags("localhost:8000", "m"), doctest::Contains("--embed-url"), Error);
  CHECK_THROWS_WITH_AS(check_embedding_flags("https://api.example.com", ""), doctest::Contains("--embed-model"), Error);
  EmbeddingClientOptions o;
  o.model = "m";
  CHECK_THROWS_AS(EmbeddingClient{o}, Error);
  o.base_url = "ftp://example.com";
  CHECK_THROWS_AS(EmbeddingClient{o}, Error);
}

TEST_CASE("cosine of normalised vectors is their dot product") {
  std::vector<float> a = normalised({3, 4}), b = normalised({4, 3}), c = normalised({-3, -4});
  CHECK(cosine(a, a) == doctest::Approx(1.0));
  CHECK(cosine(a, b) == doctest::Approx(24.0 / 25.0));
  CHECK(cosine(a, c) == doctest::Approx(-1.0));
  CHECK(cosine(a, {}) == 0.0);
  CHECK_THROWS_AS(cosine(a, {1, 0, 0}), Error);
}
