// The replay endpoint of bench/llm_replay.sh (tests/fake_llm/llm_replay.h) under `firstmile
// classify --route llm`: unanswered requests are recorded once each, recorded answers come back
// as labels naming the model that gave them. The answers here are made up by the test.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "base/error.h"
#include "fake_llm.h"
#include "llm_replay.h"
#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<json> read_lines(const fs::path& path) {
  std::vector<json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

// The first id the answer schema of a recorded request allows for `dimension`.
std::string first_id(const json& recorded, const std::string& dimension) {
  const json& property = recorded["response_format"]["json_schema"]["schema"]["properties"][dimension];
  return property["anyOf"][0]["enum"][0].get<std::string>();
}

std::vector<std::string> classify_llm(const FakeLlm& server, const std::string& db, const std::string& model) {
  return {"classify", "--db", db, "--route", "llm", "--llm-url", server.url(), "--llm-model", model};
}

}  // namespace

TEST_CASE("the replay endpoint records each unanswered request once and replays recorded answers as labels") {
  TempDir dir;
  std::string db = import_sample(dir);
  const fs::path record = dir / "requests.jsonl";
  int64_t issues = 0;
  {
    firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kMustExist);
    issues = store.db().query_int("SELECT count(*) FROM issues WHERE title IS NOT NULL AND is_pull_request = 0");
  }
  REQUIRE(issues >= 3);

  // Recording: nothing is answered, every request is retried at once and recorded once.
  std::vector<json> recorded;
  {
    LlmReplay replay({}, record);
    FakeLlm server;
    server.set_responder([&replay](const json& request) { return replay.respond(request); });
    CommandResult run = run_firstmile(classify_llm(server, db, "asked-model"));
    REQUIRE_MESSAGE(run.exit_code == 0, run.err);
    CHECK(contains(run.out, "HTTP 503 no answer is recorded for this request yet"));
    recorded = read_lines(record);
    CHECK(static_cast<int64_t>(recorded.size()) == issues);
    CHECK(replay.counts().recorded == issues);
    CHECK(replay.counts().answered == 0);
    CHECK(server.stats().requests.size() > recorded.size());  // retried, yet recorded once
    std::set<std::string> sent, keys;
    for (const FakeLlmRequest& r : server.stats().requests) sent.insert(replay_key(r.body["messages"]));
    for (const json& line : recorded) {
      CHECK(line["key"] == replay_key(line["messages"]));
      CHECK(line["model"] == "asked-model");
      CHECK(line["response_format"]["type"] == "json_schema");
      CHECK(line["messages"][0]["role"] == "system");
      keys.insert(line["key"].get<std::string>());
    }
    CHECK(keys == sent);
  }

  // Made-up answers for the first two recorded requests.
  const std::string stage = first_id(recorded[0], "stage"), symptom = first_id(recorded[0], "symptom"),
                    root_cause = first_id(recorded[0], "root_cause");
  std::string answers_text;
  for (size_t i = 0; i < 2; ++i) {
    json content = {{"is_failure", true},
                    {"stage", stage},
                    {"symptom", symptom},
                    {"root_cause", root_cause},
                    {"rationale", "made up by the test"}};
    answers_text += json{{"key", recorded[i]["key"]}, {"model", "made-up-model"}, {"content", content.dump()}}.dump();
    answers_text += "\n";
  }
  write_file(dir / "answers.jsonl", answers_text);
  const std::string record_before = file_bytes(record);

  LlmReplay replay(read_replay_answers(dir / "answers.jsonl"), record);
  FakeLlm server;
  server.set_responder([&replay](const json& request) { return replay.respond(request); });

  // Asked under another model's name, an answer is not given: the labels would misname it.
  CommandResult misnamed = run_firstmile(classify_llm(server, db, "asked-model"));
  REQUIRE_MESSAGE(misnamed.exit_code == 0, misnamed.err);
  CHECK(replay.counts().refused == 2);
  CHECK(replay.counts().answered == 0);

  CommandResult replayed = run_firstmile(classify_llm(server, db, "made-up-model"));
  REQUIRE_MESSAGE(replayed.exit_code == 0, replayed.err);
  CHECK(contains(replayed.out, " 2 answered"));
  CHECK(replay.counts().answered == 2);
  CHECK(replay.counts().recorded == 0);
  CHECK(file_bytes(record) == record_before);

  firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kMustExist);
  firstmile::Query q = store.db().query(
      "SELECT stage, symptom, root_cause, evidence FROM annotations WHERE source = 'llm:made-up-model' AND "
      "needs_review = 0");
  int labels = 0;
  while (q.step()) {
    ++labels;
    CHECK(q.column_text(0) == stage);
    CHECK(q.column_text(1) == symptom);
    CHECK(q.column_text(2) == root_cause);
    json evidence = json::parse(q.column_text(3));
    CHECK(evidence["llm"]["model"] == "made-up-model");
    CHECK(evidence["llm"]["rationale"] == "made up by the test");
  }
  CHECK(labels == 2);
  CHECK(store.db().query_int(
            "SELECT count(*) FROM annotations WHERE source = 'llm:made-up-model' AND needs_review = 1") == issues - 2);
}

TEST_CASE("a bad line of the answers file is refused with the file and line") {
  TempDir dir;
  const std::string key(64, 'a');
  const std::string good = json{{"key", key}, {"model", "m"}, {"content", "{}"}}.dump();
  auto refusal = [&](const std::string& text) -> std::string {
    write_file(dir / "answers.jsonl", text);
    try {
      read_replay_answers(dir / "answers.jsonl");
    } catch (const firstmile::Error& e) {
      return e.what();
    }
    return "";
  };
  write_file(dir / "ok.jsonl", good + "\n\n" + good + "\n");  // blank lines and repeats are fine
  CHECK(read_replay_answers(dir / "ok.jsonl").size() == 1);
  CHECK(contains(refusal(good + "\nnot json\n"), "answers.jsonl: line 2: not a JSON object"));
  CHECK(contains(refusal(R"({"key": "abc", "model": "m", "content": ""})"), "line 1: \"key\" must be 64"));
  CHECK(contains(refusal(json{{"key", key}, {"content", "{}"}}.dump()), "line 1: \"model\" must be a string"));
  CHECK(contains(refusal(good + "\n" + json{{"key", key}, {"model", "m"}, {"content", "[]"}}.dump()),
                 "line 2: key " + key + " was answered differently on line 1"));
  CHECK_THROWS_WITH_AS(read_replay_answers(dir / "missing.jsonl"), doctest::Contains("missing.jsonl: cannot read"),
                       firstmile::Error);
}
