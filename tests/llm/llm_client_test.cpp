// LLM client: the wire format, retries, response_format downgrades, cache, budget, concurrency, the key.
#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "fake_llm.h"
#include "llm/llm_client.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

// Waits and log lines of a client, collected from its worker threads.
struct Recorder {
  std::mutex mutex;
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::string> lines;
};

LlmClientOptions options_for(const FakeLlm& server, Recorder& rec) {
  LlmClientOptions o;
  o.base_url = server.url();
  o.model = "test-model";
  o.timeout_seconds = 5;
  o.max_retries = 3;
  o.retry_wait = std::chrono::milliseconds(1);
  o.sleep = [&rec](std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(rec.mutex);
    rec.sleeps.push_back(d);
  };
  o.log = [&rec](const std::string& line) {
    std::lock_guard<std::mutex> lock(rec.mutex);
    rec.lines.push_back("log: " + line);
  };
  o.notice = [&rec](const std::string& line) {
    std::lock_guard<std::mutex> lock(rec.mutex);
    rec.lines.push_back("notice: " + line);
  };
  return o;
}

const json kSchema = {{"type", "object"},
                      {"properties", {{"answer", {{"type", "string"}}}}},
                      {"required", {"answer"}},
                      {"additionalProperties", false}};

LlmRequest ask(const std::string& question) {
  return {.system = "Answer in JSON.", .user = question, .schema_name = "answer", .schema = kSchema};
}

std::vector<LlmRequest> questions(int n) {
  std::vector<LlmRequest> out;
  for (int i = 0; i < n; ++i) out.push_back(ask("question " + std::to_string(i)));
  return out;
}

// Answers "answer to <user message>".
FakeReply echo(const json& request) { return reply_json({{"answer", "answer to " + user_message(request)}}); }

std::string answer_to(int i) { return json{{"answer", "answer to question " + std::to_string(i)}}.dump(); }

}  // namespace

TEST_CASE("base URLs with or without /v1 lead to the same chat-completions endpoint") {
  CHECK(chat_completions_url("http://localhost:8000") == "http://localhost:8000/v1/chat/completions");
  CHECK(chat_completions_url("http://localhost:8000/") == "http://localhost:8000/v1/chat/completions");
  CHECK(chat_completions_url("http://localhost:8000/v1") == "http://localhost:8000/v1/chat/completions");
  CHECK(chat_completions_url("https://api.example.com/v1/") == "https://api.example.com/v1/chat/completions");
}

TEST_CASE("a request carries the messages, the parameters and a strict json_schema response_format") {
  FakeLlm server;
  Recorder rec;
  LlmClientOptions o = options_for(server, rec);
  o.base_url = server.url() + "/v1/";
  o.max_tokens = 300;
  o.seed = 42;
  server.set_responder(echo);
  LlmResult r = LlmClient(o).complete(ask("why does it crash?"));
  REQUIRE(r.ok());
  FakeLlmStats s = server.stats();
  REQUIRE(s.requests.size() == 1);
  CHECK(s.requests[0].path == "/v1/chat/completions");
  const json& body = s.requests[0].body;
  CHECK(body["model"] == "test-model");
  CHECK(body["messages"] == json::array({{{"role", "system"}, {"content", "Answer in JSON."}},
                                         {{"role", "user"}, {"content", "why does it crash?"}}}));
  CHECK(body["temperature"] == 0.0);
  CHECK(body["max_tokens"] == 300);
  CHECK(body["seed"] == 42);
  CHECK(body["response_format"]["type"] == "json_schema");
  CHECK(body["response_format"]["json_schema"]["name"] == "answer");
  CHECK(body["response_format"]["json_schema"]["strict"] == true);
  CHECK(body["response_format"]["json_schema"]["schema"] == kSchema);
}

TEST_CASE("an answer's content, finish reason and token counts come back in the result") {
  FakeLlm server;
  Recorder rec;
  FakeReply reply = reply_text("{\"answer\": \"42\"}");
  reply.prompt_tokens = 123;
  reply.completion_tokens = 7;
  server.script({reply});
  LlmClient client(options_for(server, rec));
  LlmResult r = client.complete(ask("q"));
  REQUIRE(r.ok());
  CHECK(r.content == "{\"answer\": \"42\"}");
  CHECK(r.finish_reason == "stop");
  CHECK(r.prompt_tokens == 123);
  CHECK(r.completion_tokens == 7);
  CHECK_FALSE(r.cached);
  CHECK(r.attempts == 1);
  CHECK(client.counters().prompt_tokens == 123);
  CHECK(client.counters().completion_tokens == 7);
}

TEST_CASE("a 500 and a 429 are retried, the 429 after its retry-after, and then the answer comes") {
  FakeLlm server;
  Recorder rec;
  server.script({reply_status(500), reply_status(429, "7"), reply_text("ok")});
  LlmClient client(options_for(server, rec));
  LlmResult r = client.complete(ask("q"));
  REQUIRE(r.ok());
  CHECK(r.content == "ok");
  CHECK(r.attempts == 3);
  CHECK(client.counters().retries == 2);
  CHECK(client.counters().http_requests == 3);
  CHECK(client.counters().calls == 1);
  REQUIRE(rec.sleeps.size() == 2);
  CHECK(rec.sleeps[1] == std::chrono::seconds(7));
}

TEST_CASE("backoff doubles from retry_wait, with jitter, and a 503's retry-after is honoured") {
  FakeLlm server;
  Recorder rec;
  server.script({reply_status(500), reply_status(502), reply_status(500), reply_status(503, "3"), reply_text("ok")});
  LlmClientOptions o = options_for(server, rec);
  o.max_retries = 4;
  o.retry_wait = std::chrono::milliseconds(100);
  REQUIRE(LlmClient(o).complete(ask("q")).ok());
  REQUIRE(rec.sleeps.size() == 4);
  for (int i = 0; i < 3; ++i) {
    auto ceiling = std::chrono::milliseconds(100 << i);
    CHECK(rec.sleeps[static_cast<size_t>(i)] >= ceiling / 2);
    CHECK(rec.sleeps[static_cast<size_t>(i)] <= ceiling);
  }
  CHECK(rec.sleeps[3] == std::chrono::seconds(3));
}

TEST_CASE("when retries run out the request fails with the reason and the batch goes on") {
  FakeLlm server;
  Recorder rec;
  server.script({reply_status(503), reply_status(503), reply_status(503)});
  server.set_responder(echo);
  LlmClientOptions o = options_for(server, rec);
  o.max_retries = 2;
  LlmClient client(o);
  std::vector<LlmResult> r = client.complete_all(questions(2));
  CHECK(r[0].status == LlmStatus::kFailed);
  CHECK(r[0].error.find("HTTP 503") != std::string::npos);
  CHECK(r[0].error.find("gave up after 2 retries") != std::string::npos);
  CHECK(r[0].attempts == 3);
  CHECK(r[1].ok());
  CHECK(client.counters().failures == 1);
}

TEST_CASE("a 4xx other than 429 fails the request at once") {
  FakeLlm server;
  Recorder rec;
  server.script({reply_status(401)});
  LlmResult r = LlmClient(options_for(server, rec)).complete(ask("q"));
  CHECK(r.status == LlmStatus::kFailed);
  CHECK(r.attempts == 1);
  CHECK(r.error.find("HTTP 401 fake error 401") != std::string::npos);
  CHECK(r.error.find("FIRSTMILE_LLM_API_KEY") != std::string::npos);
}

TEST_CASE("an answer slower than the timeout is retried") {
  FakeLlm server;
  Recorder rec;
  server.script({reply_delay(3000, reply_text("too late")), reply_text("in time")});
  LlmClientOptions o = options_for(server, rec);
  o.timeout_seconds = 0.3;
  LlmResult r = LlmClient(o).complete(ask("q"));
  REQUIRE(r.ok());
  CHECK(r.content == "in time");
  CHECK(r.attempts == 2);
}

TEST_CASE("a server that cannot be reached fails the request after the retries") {
  std::string url;
  {
    FakeLlm gone;
    url = gone.url();
  }
  Recorder rec;
  FakeLlm unused;
  LlmClientOptions o = options_for(unused, rec);
  o.base_url = url;
  o.max_retries = 1;
  LlmResult r = LlmClient(o).complete(ask("q"));
  CHECK(r.status == LlmStatus::kFailed);
  CHECK(r.attempts == 2);
  CHECK(r.error.find("POST " + url + "/v1/chat/completions") == 0);
}

TEST_CASE("a 200 whose body is not a chat completion fails without retries") {
  FakeLlm server;
  Recorder rec;
  FakeReply broken;
  broken.body = "<html>proxy</html>";
  server.script({broken});
  LlmResult r = LlmClient(options_for(server, rec)).complete(ask("q"));
  CHECK(r.status == LlmStatus::kFailed);
  CHECK(r.attempts == 1);
  CHECK(r.error.find("malformed response") != std::string::npos);
}

TEST_CASE("a server that rejects json_schema is asked with json_object, and the downgrade is remembered") {
  FakeLlm server;
  Recorder rec;
  server.reject_response_formats({"json_schema"});
  server.set_responder(echo);
  LlmClient client(options_for(server, rec));
  std::vector<LlmResult> r = client.complete_all(questions(2));
  REQUIRE(r[0].ok());
  REQUIRE(r[1].ok());
  CHECK(r[0].attempts == 2);
  CHECK(r[1].attempts == 1);
  CHECK(client.counters().retries == 0);
  CHECK(client.response_format_mode() == "json_object");
  FakeLlmStats s = server.stats();
  REQUIRE(s.requests.size() == 3);
  CHECK(s.requests[1].body["response_format"] == json{{"type", "json_object"}});
  CHECK(s.requests[2].body["response_format"] == json{{"type", "json_object"}});
  auto notices = std::count_if(rec.lines.begin(), rec.lines.end(),
                               [](const std::string& l) { return l.find("notice: the LLM server rejected") == 0; });
  CHECK(notices == 1);
}

TEST_CASE("a server that rejects every response_format is asked without one") {
  FakeLlm server;
  Recorder rec;
  server.reject_response_formats({"json_schema", "json_object"});
  server.set_responder(echo);
  LlmClient client(options_for(server, rec));
  LlmResult r = client.complete(ask("q"));
  REQUIRE(r.ok());
  CHECK(r.attempts == 3);
  CHECK(client.response_format_mode() == "none");
  CHECK_FALSE(server.stats().requests.back().body.contains("response_format"));
}

TEST_CASE("a second run answers from the cache with no calls") {
  TempDir dir;
  FakeLlm server;
  Recorder rec;
  server.set_responder(echo);
  {
    Store store = Store::open(dir / "cache.db");
    LlmClient first(options_for(server, rec), &store);
    for (const LlmResult& r : first.complete_all(questions(3))) CHECK(r.ok());
    CHECK(first.counters().calls == 3);
  }
  Store store = Store::open(dir / "cache.db");
  LlmClient second(options_for(server, rec), &store);
  std::vector<LlmResult> r = second.complete_all(questions(3));
  for (int i = 0; i < 3; ++i) {
    CHECK(r[static_cast<size_t>(i)].cached);
    CHECK(r[static_cast<size_t>(i)].content == answer_to(i));
    CHECK(r[static_cast<size_t>(i)].prompt_tokens == 100);
  }
  CHECK(second.counters().calls == 0);
  CHECK(second.counters().cache_hits == 3);
  CHECK(second.counters().prompt_tokens == 0);
  CHECK(server.stats().requests.size() == 3);
}

TEST_CASE("failed answers are not cached, so a later run asks again") {
  FakeLlm server;
  Recorder rec;
  Store store = Store::open_memory();
  LlmClientOptions o = options_for(server, rec);
  o.max_retries = 0;
  server.script({reply_status(500)});
  server.set_responder(echo);
  CHECK(LlmClient(o, &store).complete(ask("question 0")).status == LlmStatus::kFailed);
  LlmResult again = LlmClient(o, &store).complete(ask("question 0"));
  CHECK(again.ok());
  CHECK_FALSE(again.cached);
}

TEST_CASE("the cache key follows what changes the answer and not the API key") {
  FakeLlm server;
  Recorder rec;
  LlmClientOptions o = options_for(server, rec);
  std::string base = LlmClient(o).request_hash(ask("q"));
  CHECK(LlmClient(o).request_hash(ask("q")) == base);
  CHECK(LlmClient(o).request_hash(ask("other")) != base);
  LlmRequest no_schema = ask("q");
  no_schema.schema = nullptr;
  CHECK(LlmClient(o).request_hash(no_schema) != base);
  LlmClientOptions keyed = o;
  keyed.api_key = "sk-other";
  CHECK(LlmClient(keyed).request_hash(ask("q")) == base);
  LlmClientOptions warmer = o;
  warmer.temperature = 0.7;
  CHECK(LlmClient(warmer).request_hash(ask("q")) != base);
  LlmClientOptions seeded = o;
  seeded.seed = 1;
  CHECK(LlmClient(seeded).request_hash(ask("q")) != base);
  LlmClientOptions longer = o;
  longer.max_tokens = 4096;
  CHECK(LlmClient(longer).request_hash(ask("q")) != base);
}

TEST_CASE("identical requests in one batch are sent once") {
  FakeLlm server;
  Recorder rec;
  server.set_responder(echo);
  LlmClient client(options_for(server, rec));
  std::vector<LlmResult> r = client.complete_all({ask("same"), ask("same"), ask("other")});
  REQUIRE(r[1].ok());
  CHECK(r[1].content == r[0].content);
  CHECK(r[1].cached);
  CHECK(server.stats().requests.size() == 2);
  CHECK(client.counters().calls == 2);
}

TEST_CASE("the budget caps the calls and the rest are reported as refused") {
  FakeLlm server;
  Recorder rec;
  server.set_responder(echo);
  LlmClientOptions o = options_for(server, rec);
  o.budget = 2;
  LlmClient client(o);
  std::vector<LlmResult> r = client.complete_all(questions(5));
  CHECK(r[0].ok());
  CHECK(r[1].ok());
  for (size_t i = 2; i < 5; ++i) {
    CHECK(r[i].status == LlmStatus::kRefused);
    CHECK(r[i].error.find("budget of 2") != std::string::npos);
    CHECK(r[i].attempts == 0);
  }
  CHECK(client.counters().refused == 3);
  CHECK(server.stats().requests.size() == 2);
  // The budget is the client's, across batches.
  CHECK(client.complete(ask("later")).status == LlmStatus::kRefused);
}

TEST_CASE("a budget of zero sends nothing, but cached answers still come back") {
  FakeLlm server;
  Recorder rec;
  server.set_responder(echo);
  Store store = Store::open_memory();
  LlmClient(options_for(server, rec), &store).complete(ask("question 0"));
  LlmClientOptions o = options_for(server, rec);
  o.budget = 0;
  LlmClient client(o, &store);
  std::vector<LlmResult> r = client.complete_all(questions(2));
  CHECK(r[0].ok());
  CHECK(r[0].cached);
  CHECK(r[1].status == LlmStatus::kRefused);
  CHECK(server.stats().requests.size() == 1);
}

TEST_CASE("with four in flight the server sees four requests at the same time") {
  FakeLlm server;
  Recorder rec;
  // Each answer waits until four requests have come in (at most a few seconds): if the client
  // sends four at once, the server holds four at once.
  std::mutex mutex;
  std::condition_variable four_in;
  int arrived = 0;
  server.set_responder([&](const json& request) {
    std::unique_lock<std::mutex> lock(mutex);
    ++arrived;
    four_in.notify_all();
    four_in.wait_for(lock, std::chrono::seconds(5), [&] { return arrived >= 4; });
    return echo(request);
  });
  LlmClientOptions o = options_for(server, rec);
  o.in_flight = 4;
  LlmClient client(o);
  for (const LlmResult& r : client.complete_all(questions(8))) CHECK(r.ok());
  CHECK(server.stats().max_concurrent == 4);
}

TEST_CASE("with one in flight requests go one at a time") {
  FakeLlm server;
  Recorder rec;
  server.set_responder([](const json& request) { return reply_delay(20, echo(request)); });
  LlmClient client(options_for(server, rec));
  client.complete_all(questions(4));
  CHECK(server.stats().max_concurrent == 1);
}

TEST_CASE("results keep the input order whatever order the answers arrive in") {
  FakeLlm server;
  Recorder rec;
  // Earlier questions are answered later.
  server.set_responder([](const json& request) {
    int i = std::stoi(user_message(request).substr(std::string("question ").size()));
    return reply_delay((12 - i) * 15, echo(request));
  });
  LlmClientOptions o = options_for(server, rec);
  o.in_flight = 4;
  std::vector<int> progress;
  std::vector<LlmResult> r = LlmClient(o).complete_all(
      questions(12), [&](size_t done, size_t) { progress.push_back(static_cast<int>(done)); });
  REQUIRE(r.size() == 12);
  for (int i = 0; i < 12; ++i) CHECK(r[static_cast<size_t>(i)].content == answer_to(i));
  REQUIRE(progress.size() == 12);
  CHECK(progress.back() == 12);
}

TEST_CASE("the API key goes in the Authorization header and nowhere else") {
  const std::string key = "sk-test-S3CRET-0123456789";
  TempDir dir;
  FakeLlm server;
  Recorder rec;
  // A server that echoes the key in an error must not get it into our messages either.
  FakeReply echoing = reply_status(400);
  echoing.body = json{{"error", {{"message", "bad request from Bearer " + key}}}}.dump();
  server.script({reply_status(500), reply_status(429, "1"), echoing});
  server.set_responder(echo);
  LlmClientOptions o = options_for(server, rec);
  o.api_key = key;
  std::vector<LlmResult> results;
  {
    Store store = Store::open(dir / "key.db");
    LlmClient client(o, &store);
    results = client.complete_all(questions(3));
  }
  CHECK(results[0].status == LlmStatus::kFailed);
  CHECK(results[0].error.find("<redacted>") != std::string::npos);
  for (const LlmResult& r : results) CHECK(r.error.find(key) == std::string::npos);
  for (const std::string& line : rec.lines) CHECK(line.find(key) == std::string::npos);
  CHECK_FALSE(rec.lines.empty());
  FakeLlmStats s = server.stats();
  REQUIRE(s.requests.size() == 5);
  for (const FakeLlmRequest& req : s.requests) {
    CHECK(req.authorization == "Bearer " + key);
    CHECK(req.raw_body.find(key) == std::string::npos);
    size_t first = req.all_headers.find(key);
    CHECK(req.all_headers.find(key, first + 1) == std::string::npos);
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(file_bytes(entry.path()).find(key) == std::string::npos);
  }
}

TEST_CASE("a client without a URL or a model is an error") {
  CHECK_THROWS_AS(LlmClient({.base_url = "", .model = "m"}), Error);
  CHECK_THROWS_AS(LlmClient({.base_url = "http://localhost:8000", .model = ""}), Error);
}

TEST_CASE("an answer that echoes the API key is cached and returned without it") {
  const std::string key = "EchoedKeyWithoutAShape-778899";  // only the key's registration hides it
  TempDir dir;
  FakeLlm server;
  server.set_responder([&key](const json&) { return reply_text("{\"note\": \"you sent " + key + "\"}"); });
  Recorder rec;
  LlmClientOptions o = options_for(server, rec);
  o.api_key = key;
  {
    Store store = Store::open(dir / "echo.db");
    LlmClient client(o, &store);
    std::vector<LlmResult> results = client.complete_all(questions(2));
    REQUIRE(results[0].ok());
    // What is stored may be shown: the cache holds the answer with the key taken out.
    LlmClient again(o, &store);
    std::vector<LlmResult> cached = again.complete_all(questions(2));
    REQUIRE(cached[0].ok());
    CHECK(cached[0].content.find(key) == std::string::npos);
    CHECK(cached[0].content.find("<redacted>") != std::string::npos);
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(file_bytes(entry.path()).find(key) == std::string::npos);
  }
}
