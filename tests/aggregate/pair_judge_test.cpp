// Tests of aggregate/pair_judge.h: the knowledge and prompt files, the prompt built from taxonomy,
// knowledge and prompt texts, order-insensitive requests, answers that never link two reports
// unless they are valid, and the asker between the grouping and a chat-completions server.
#include <doctest/doctest.h>

#include <chrono>

#include "aggregate/grouping.h"
#include "aggregate/pair_judge.h"
#include "aggregate_fixtures.h"
#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "fake_llm.h"
#include "support/files.h"
#include "support/taxonomies.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

const Taxonomy& taxonomy() { return shipped_taxonomy(); }

const Knowledge& shipped() {
  static const Knowledge k = Knowledge::load(source_file("taxonomy/knowledge"));
  return k;
}

const PairPrompt& words() {
  static const PairPrompt p = PairPrompt::load(source_file("taxonomy/prompts/pair_judge.json"));
  return p;
}

// The shipped prompt file with one text of a section replaced (`value` is JSON).
std::string prompt_with(const std::string& section, const std::string& key, const std::string& value) {
  json doc = parse_json(read_file(source_file("taxonomy/prompts/pair_judge.json")), "p");
  doc[section][key] = json::parse(value);
  return doc.dump();
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// One file of knowledge with a single change whose fields are as given.
Knowledge one_change(const std::string& fields) {
  return Knowledge::parse({{"k/changes.json", "// test\n{\"changes\": [{" + fields + "}]}"}});
}

const std::string kChange =
    R"("id": "x", "library": "vllm", "versions": "any", "description": "d", "tell_tale_errors": ["E"], "root_cause": "rc.env.dependency", "one_incident": true)";

PairReport qwen_report() {
  return {.repository = "QwenLM/Qwen2.5",
          .number = 412,
          .created_at = "2024-09-20T08:00:00Z",
          .title = "KeyError: 'qwen2' when loading Qwen2.5-7B-Instruct",
          .error_signature = "KeyError: '<str>'",
          .error_lines = {"KeyError: 'qwen2'"},
          .excerpt = "I load the model with AutoModelForCausalLM and get a KeyError.",
          .libraries = {"transformers 4.36.2", "torch 2.1.0"},
          .root_cause = "rc.env.dependency"};
}

PairReport llama_report() {
  return {.repository = "meta-llama/llama3",
          .number = 290,
          .created_at = "2024-07-24T10:00:00Z",
          .title = "rope_scaling error with Llama 3.1 8B",
          .error_signature = "ValueError: `rope_scaling` must be a dictionary with two fields",
          .error_lines = {"ValueError: `rope_scaling` must be a dictionary with two fields, `type` and `factor`"},
          .excerpt = "Loading Meta-Llama-3.1-8B-Instruct with transformers 4.40 fails.",
          .libraries = {"transformers 4.40.0"},
          .root_cause = "rc.env.dependency"};
}

json verdict_json(bool same, const std::string& reason = "Both fail on the qwen2 model type in transformers < 4.37.") {
  return {{"same_root_cause", same}, {"reason", reason}};
}

LlmClientOptions fast_client(const std::string& url, std::vector<std::chrono::milliseconds>* sleeps) {
  LlmClientOptions o{.base_url = url, .model = "judge"};
  o.retry_wait = std::chrono::milliseconds(1);
  o.sleep = [sleeps](std::chrono::milliseconds d) { sleeps->push_back(d); };
  return o;
}

}  // namespace

TEST_CASE("the shipped knowledge loads and names only root causes of the taxonomy") {
  const Knowledge& k = shipped();
  CHECK(k.changes.size() == 68);  // breaking_changes.json
  CHECK(k.guidance.size() == 6);  // root_causes.json
  CHECK(k.notes.size() == 13);
  CHECK(contains(k.origin, "breaking_changes.json"));
  CHECK(contains(k.origin, "root_causes.json"));
  int levels = taxonomy().dimension("root_cause").levels;
  for (const KnownChange& c : k.changes) {
    const TaxonomyNode* node = taxonomy().find(c.root_cause);
    REQUIRE_MESSAGE(node, c.id);
    CHECK_MESSAGE(node->dimension == "root_cause", c.id);
    CHECK_MESSAGE(node->level <= levels, c.id);
    CHECK_FALSE(c.tell_tale_errors.empty());
  }
  for (const RootCauseNote& n : k.notes) {
    const TaxonomyNode* node = taxonomy().find(n.root_cause);
    REQUIRE_MESSAGE(node, n.origin);
    CHECK(node->dimension == "root_cause");
  }
  CHECK_NOTHROW(k.check(taxonomy()));
  CHECK_NOTHROW(PairJudge(taxonomy(), k, words()));
}

TEST_CASE("a knowledge change with a missing field is refused naming the file and the change") {
  CHECK_THROWS_WITH_AS(one_change(R"("id": "x", "library": "vllm")"), "k/changes.json: change 'x': missing 'versions'",
                       Error);
  CHECK_THROWS_WITH_AS(one_change(R"("library": "vllm")"), "k/changes.json: change 1: missing 'id'", Error);
}

TEST_CASE("a knowledge change with an empty error list, a mistyped or an unknown field is refused") {
  std::string no_errors =
      R"("id": "x", "library": "vllm", "versions": "any", "description": "d", "tell_tale_errors": [], "root_cause": "rc.env")";
  CHECK_THROWS_WITH_AS(one_change(no_errors),
                       "k/changes.json: change 'x': 'tell_tale_errors' must be a non-empty list of error strings",
                       Error);
  CHECK_THROWS_WITH_AS(one_change(R"("id": 7)"), "k/changes.json: change 1: 'id' must be a string, got number", Error);
  CHECK_THROWS_WITH_AS(one_change(kChange + R"(, "fix": "upgrade")"),
                       doctest::Contains("k/changes.json: change 'x': unknown field 'fix'"), Error);
  // Whether it is one incident is said, as true or false, for every change.
  std::string unsaid = kChange.substr(0, kChange.find(", \"one_incident\""));
  CHECK_THROWS_WITH_AS(one_change(unsaid), doctest::Contains("change 'x': 'one_incident' must be true"), Error);
  CHECK_THROWS_WITH_AS(one_change(unsaid + R"(, "one_incident": "yes")"),
                       doctest::Contains("change 'x': 'one_incident' must be true"), Error);
  CHECK(one_change(kChange).changes.at(0).one_incident);
  CHECK_FALSE(one_change(unsaid + R"(, "one_incident": false)").changes.at(0).one_incident);
  // Whether any release shows it: optional, false when absent.
  CHECK_FALSE(one_change(kChange).changes.at(0).any_release);
  CHECK(one_change(kChange + R"(, "any_release": true)").changes.at(0).any_release);
  CHECK_THROWS_WITH_AS(one_change(kChange + R"(, "any_release": 1)"),
                       doctest::Contains("change 'x': 'any_release' must be true or false"), Error);
}

TEST_CASE("the shipped knowledge counts a kind of failure as no evidence of one incident") {
  auto change = [](const std::string& id) -> const KnownChange& {
    for (const KnownChange& c : shipped().changes) {
      if (c.id == id) return c;
    }
    FAIL("no change " << id);
    throw 0;
  };
  CHECK(change("transformers-4.37-qwen2").one_incident);
  CHECK(change("torch-nccl-missing-windows-macos").one_incident);
  CHECK(change("torch-nccl-missing-windows-macos").any_release);  // no Windows build has NCCL
  CHECK_FALSE(change("transformers-4.37-qwen2").any_release);
  // Each user's own setup, or a class of architectures: the judge reads them, the score does not.
  CHECK_FALSE(change("transformers-unknown-model-type").one_incident);
  CHECK_FALSE(change("torch-driver-too-old").one_incident);
  CHECK_FALSE(change("flash-attn-undefined-symbol").one_incident);
}

TEST_CASE("a change id used twice across knowledge files is refused") {
  std::string file = "{\"changes\": [{" + kChange + "}]}";
  CHECK_THROWS_WITH_AS(Knowledge::parse({{"k/a.json", file}, {"k/b.json", file}}),
                       "k/b.json: change 'x': duplicate change id", Error);
}

TEST_CASE("a knowledge file that is not an object of guidance, notes and changes is refused") {
  CHECK_THROWS_WITH_AS(Knowledge::parse({{"k/a.json", "[]"}}), doctest::Contains("k/a.json: expected an object"),
                       Error);
  CHECK_THROWS_WITH_AS(Knowledge::parse({{"k/a.json", "{\"rules\": []}"}}),
                       doctest::Contains("k/a.json: unknown field 'rules'"), Error);
  CHECK_THROWS_WITH_AS(Knowledge::parse({{"k/a.json", "{\"guidance\": [\"ok\", 3]}"}}),
                       "k/a.json: guidance 2: expected a non-empty string", Error);
  CHECK_THROWS_WITH_AS(Knowledge::parse({{"k/a.json", "{\"notes\": [{\"root_cause\": \"rc.env\"}]}"}}),
                       "k/a.json: note 1: missing 'note'", Error);
  CHECK_THROWS_WITH_AS(Knowledge::parse({{"k/a.json", "{\"changes\": [\n{,}]}"}}),
                       doctest::Contains("k/a.json: line 2"), Error);
}

TEST_CASE("loading a folder without knowledge files is refused") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(Knowledge::load(dir.path()), doctest::Contains("no knowledge files"), Error);
}

TEST_CASE("the judge refuses knowledge naming a root cause outside the taxonomy, naming file and entry") {
  Knowledge unknown = one_change(
      R"("id": "x", "library": "vllm", "versions": "any", "description": "d", "tell_tale_errors": ["E"], "root_cause": "rc.nope", "one_incident": true)");
  CHECK_THROWS_WITH_AS(PairJudge(taxonomy(), unknown, words()),
                       doctest::Contains("k/changes.json: change 'x': root cause 'rc.nope' is not a root_cause node"),
                       Error);
  Knowledge symptom = one_change(
      R"("id": "y", "library": "vllm", "versions": "any", "description": "d", "tell_tale_errors": ["E"], "root_cause": "sym.crash", "one_incident": true)");
  CHECK_THROWS_WITH_AS(PairJudge(taxonomy(), symptom, words()), doctest::Contains("change 'y': root cause 'sym.crash'"),
                       Error);
  Knowledge note = Knowledge::parse({{"k/rc.json", R"({"notes": [{"root_cause": "stage.inference", "note": "n"}]})"}});
  CHECK_THROWS_WITH_AS(PairJudge(taxonomy(), note, words()),
                       doctest::Contains("k/rc.json: note 1: root cause 'stage.inference'"), Error);
}

TEST_CASE("the system prompt holds every root-cause definition and no other dimension's nodes") {
  PairJudge judge(taxonomy(), shipped(), words());
  const std::string& prompt = judge.system_prompt();
  for (const TaxonomyNode& node : taxonomy().nodes()) {
    if (node.dimension == "root_cause") {
      CHECK_MESSAGE(contains(prompt, "- " + node.id + " — " + taxonomy().path_name(node) + ": " + node.definition),
                    node.id);
    } else {
      CHECK_FALSE_MESSAGE(contains(prompt, "- " + node.id + " — "), node.id);
    }
  }
  CHECK(contains(prompt, "ONE root cause"));
  CHECK(contains(prompt, "\"same_root_cause\""));
}

TEST_CASE("the system prompt holds the guidance, the notes and every known change with its tell-tale errors") {
  PairJudge judge(taxonomy(), shipped(), words());
  const std::string& prompt = judge.system_prompt();
  for (const std::string& g : shipped().guidance) CHECK(contains(prompt, "- " + g + "\n"));
  for (const RootCauseNote& n : shipped().notes) CHECK(contains(prompt, " For pairs: " + n.note));
  for (const KnownChange& c : shipped().changes) {
    CHECK_MESSAGE(contains(prompt, "- [" + c.id + "] " + c.library + " (" + c.versions + "): " + c.description), c.id);
    for (const std::string& e : c.tell_tale_errors) CHECK_MESSAGE(contains(prompt, "\"" + e + "\""), c.id);
  }
  CHECK(contains(prompt, "rope_scaling` must be a dictionary with two fields"));
  CHECK(contains(prompt, "KeyError: 'qwen2'"));
  // A kind of failure says so at the end of its line; a one-incident change does not.
  for (const KnownChange& c : shipped().changes) {
    size_t at = prompt.find("- [" + c.id + "] ");
    REQUIRE(at != std::string::npos);
    std::string line = prompt.substr(at, prompt.find('\n', at) - at);
    CHECK_MESSAGE(contains(line, words().kind_label) == !c.one_incident, c.id);
  }
}

TEST_CASE("the answer schema asks for exactly a boolean and a reason") {
  PairJudge judge(taxonomy(), shipped(), words());
  const json& schema = judge.schema();
  CHECK(schema["properties"]["same_root_cause"]["type"] == "boolean");
  CHECK(schema["properties"]["reason"]["type"] == "string");
  CHECK(schema["required"] == json::array({"same_root_cause", "reason"}));
  CHECK(schema["additionalProperties"] == false);
}

TEST_CASE("a pair gives the same request in either order") {
  PairJudge judge(taxonomy(), shipped(), words());
  LlmRequest ab = judge.request(qwen_report(), llama_report());
  LlmRequest ba = judge.request(llama_report(), qwen_report());
  CHECK(ab.system == ba.system);
  CHECK(ab.user == ba.user);
  CHECK(ab.schema == ba.schema);
  CHECK(ab.schema_name == "same_incident");
  LlmClient client({.base_url = "http://127.0.0.1:9", .model = "judge"});
  CHECK(client.request_hash(ab) == client.request_hash(ba));
  // QwenLM/Qwen2.5 sorts before meta-llama/llama3 (byte order: upper case first).
  CHECK(ab.user.find("QwenLM/Qwen2.5#412") < ab.user.find("meta-llama/llama3#290"));
}

TEST_CASE("reports of one repository are ordered by number") {
  PairJudge judge(taxonomy(), shipped(), words());
  PairReport early = qwen_report(), late = qwen_report();
  early.number = 9;
  late.number = 100;  // "100" < "9" as text: the order must be numeric
  late.title = "Another failure";
  LlmRequest q = judge.request(late, early);
  CHECK(q.user == judge.request(early, late).user);
  CHECK(q.user.find("## Report 1: QwenLM/Qwen2.5#9,") != std::string::npos);
  CHECK(q.user.find("## Report 2: QwenLM/Qwen2.5#100,") != std::string::npos);
}

TEST_CASE("the user message shows both reports' evidence and a known label as a hint") {
  LlmRequest q = PairJudge(taxonomy(), shipped(), words()).request(qwen_report(), llama_report());
  CHECK(q.user.find("Do these two failure reports share one root cause?") == 0);
  CHECK(contains(q.user, "## Report 1: QwenLM/Qwen2.5#412, opened 2024-09-20T08:00:00Z\n"));
  CHECK(contains(q.user, "Title: KeyError: 'qwen2' when loading Qwen2.5-7B-Instruct\n"));
  CHECK(contains(q.user, "Error signature: KeyError: '<str>'\n"));
  CHECK(contains(q.user, "Error lines:\n- KeyError: 'qwen2'\n"));
  CHECK(contains(q.user, "Libraries: transformers 4.36.2, torch 2.1.0\n"));
  CHECK(contains(q.user,
                 "Root-cause label (a hint, may be wrong): rc.env.dependency (Environment Compatibility Issues / "
                 "Dependency Library Compatibility)\n"));
  CHECK(contains(q.user, "Excerpt:\nLoading Meta-Llama-3.1-8B-Instruct"));
  CHECK(contains(q.user, "## Report 2: meta-llama/llama3#290"));
}

TEST_CASE("a label outside the root causes is left out of the user message") {
  PairReport a = qwen_report(), b = llama_report();
  a.root_cause = "sym.crash";
  b.root_cause = "rc.invented";
  LlmRequest q = PairJudge(taxonomy(), shipped(), words()).request(a, b);
  CHECK_FALSE(contains(q.user, "Root-cause label"));
}

TEST_CASE("each excerpt is cut to its cap, keeping its beginning and its end") {
  PairReport a = qwen_report(), b = llama_report();
  a.excerpt = "BEGIN-A " + std::string(20000, 'a') + " END-A";
  b.excerpt = "BEGIN-B " + std::string(20000, 'b') + " END-B";
  for (int i = 0; i < 50; ++i) a.error_lines.push_back("RuntimeError: line " + std::to_string(i));
  LlmRequest q = PairJudge(taxonomy(), shipped(), words()).request(a, b);
  for (const char* mark : {"BEGIN-A", "END-A", "BEGIN-B", "END-B", "[... cut ...]"})
    CHECK_MESSAGE(contains(q.user, mark), mark);
  CHECK(q.user.size() < 2 * 2500 + 1500);  // two excerpts at the cap plus the other fields
  CHECK(contains(q.user, "RuntimeError: line 6\n"));
  CHECK_FALSE(contains(q.user, "RuntimeError: line 7\n"));  // 8 error lines at most
}

TEST_CASE("a valid answer becomes a verdict with its reason") {
  PairJudge judge(taxonomy(), shipped(), words());
  PairVerdict yes = judge.read_answer(verdict_json(true).dump());
  REQUIRE(yes.ok);
  CHECK(yes.same);
  CHECK(yes.reason == "Both fail on the qwen2 model type in transformers < 4.37.");
  CHECK(yes.error.empty());
  PairVerdict no =
      judge.read_answer(R"({"reason": "  Different libraries:\n vLLM and peft. ", "same_root_cause": false})");
  REQUIRE(no.ok);
  CHECK_FALSE(no.same);
  CHECK(no.reason == "Different libraries: vLLM and peft.");
}

TEST_CASE("JSON in a code fence or after a thinking block is read") {
  PairJudge judge(taxonomy(), shipped(), words());
  CHECK(judge.read_answer("```json\n" + verdict_json(true).dump() + "\n```").ok);
  CHECK(judge.read_answer("<think>Both say KeyError: 'qwen2'.</think>\n\n" + verdict_json(true).dump()).same);
  CHECK(judge.read_answer("<think>x</think>```json\n" + verdict_json(false).dump() + "\n```").ok);
}

TEST_CASE("an answer that is not one JSON object is rejected") {
  PairJudge judge(taxonomy(), shipped(), words());
  PairVerdict prose = judge.read_answer("Yes, they share a root cause.");
  CHECK_FALSE(prose.ok);
  CHECK_FALSE(prose.same);
  CHECK(prose.error == "answer rejected: not JSON");
  CHECK(prose.raw == "Yes, they share a root cause.");
  CHECK(judge.read_answer("Answer: " + verdict_json(true).dump()).error == "answer rejected: not JSON");
  CHECK(judge.read_answer(verdict_json(true).dump() + " I am confident.").error == "answer rejected: not JSON");
  CHECK(judge.read_answer(verdict_json(true).dump() + verdict_json(false).dump()).error == "answer rejected: not JSON");
  CHECK(judge.read_answer("[true, \"same\"]").error == "answer rejected: not a JSON object");
  CHECK(judge.read_answer("").error == "answer rejected: not JSON");
  CHECK(judge.read_answer("{\"same_root_cause\": true, \"reason\": \"x\"").error == "answer rejected: not JSON");
}

TEST_CASE("an answer with a missing, mistyped or extra field is rejected") {
  PairJudge judge(taxonomy(), shipped(), words());
  CHECK(judge.read_answer(R"({"reason": "r"})").error == "answer rejected: no field 'same_root_cause'");
  CHECK(judge.read_answer(R"({"same_root_cause": true})").error == "answer rejected: no field 'reason'");
  CHECK(judge.read_answer(R"({"same_root_cause": "yes", "reason": "r"})").error ==
        "answer rejected: same_root_cause is not true or false");
  CHECK(judge.read_answer(R"({"same_root_cause": 1, "reason": "r"})").error ==
        "answer rejected: same_root_cause is not true or false");
  CHECK(judge.read_answer(R"({"same_root_cause": true, "reason": null})").error ==
        "answer rejected: reason is not a string");
  CHECK(judge.read_answer(R"({"same_root_cause": true, "reason": ["a"]})").error ==
        "answer rejected: reason is not a string");
  CHECK(judge.read_answer(R"({"same_root_cause": true, "reason": "r", "confidence": 0.9})").error ==
        "answer rejected: unexpected field 'confidence'");
  PairVerdict v = judge.read_answer(R"({"same_root_cause": true, "reason": " \n "})");
  CHECK(v.error == "answer rejected: reason is empty");
  CHECK_FALSE(v.same);
}

TEST_CASE("a long reason is cut to its cap without splitting a character") {
  std::string reason;
  for (int i = 0; i < 300; ++i) reason += "版本";  // 6 bytes each
  PairVerdict v = PairJudge(taxonomy(), shipped(), words()).read_answer(verdict_json(true, reason).dump());
  REQUIRE(v.ok);
  CHECK(v.reason.size() == 399);  // 133 characters of 3 bytes: the 134th would pass 400
  CHECK(reason.rfind(v.reason, 0) == 0);
}

TEST_CASE("verdicts come through the chat-completions server: a yes, a no, and a malformed answer that links nothing") {
  FakeLlm server;
  server.script({reply_json(verdict_json(true)), reply_json(verdict_json(false, "Different libraries.")),
                 reply_text("{\"same_root_cause\": tru")});
  PairJudge judge(taxonomy(), shipped(), words());
  std::vector<LlmRequest> requests;
  for (int i = 0; i < 3; ++i) {
    PairReport b = llama_report();
    b.number = 300 + i;  // distinct pairs, so none is answered by another
    requests.push_back(judge.request(qwen_report(), b));
  }
  std::vector<std::chrono::milliseconds> sleeps;
  LlmClient client(fast_client(server.url(), &sleeps));
  std::vector<LlmResult> results = client.complete_all(requests);
  REQUIRE(results.size() == 3);
  for (const LlmResult& r : results) REQUIRE(r.ok());
  PairVerdict yes = judge.read_answer(results[0].content), no = judge.read_answer(results[1].content),
              bad = judge.read_answer(results[2].content);
  CHECK((yes.ok && yes.same));
  CHECK((no.ok && !no.same && no.reason == "Different libraries."));
  CHECK_FALSE(bad.ok);
  CHECK_FALSE(bad.same);
  json sent = server.stats().requests[0].body;
  CHECK(sent["response_format"]["type"] == "json_schema");
  CHECK(sent["response_format"]["json_schema"]["name"] == "same_incident");
  CHECK(sent["response_format"]["json_schema"]["schema"] == judge.schema());
}

TEST_CASE("a 500 and a 429 are retried and the verdict comes from the answer that follows") {
  FakeLlm server;
  server.script({reply_status(500), reply_json(verdict_json(true)), reply_status(429, "2"),
                 reply_json(verdict_json(false, "One is a rope_scaling error, the other a missing model type."))});
  PairJudge judge(taxonomy(), shipped(), words());
  std::vector<std::chrono::milliseconds> sleeps;
  LlmClient client(fast_client(server.url(), &sleeps));
  PairReport other = qwen_report();
  other.number = 413;
  LlmResult first = client.complete(judge.request(qwen_report(), other));
  LlmResult second = client.complete(judge.request(qwen_report(), llama_report()));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first.attempts == 2);
  CHECK(second.attempts == 2);
  REQUIRE(sleeps.size() == 2);
  CHECK(sleeps[1] == std::chrono::seconds(2));  // retry-after
  CHECK(judge.read_answer(first.content).same);
  PairVerdict v = judge.read_answer(second.content);
  CHECK(v.ok);
  CHECK_FALSE(v.same);
}

TEST_CASE("the judge never yields an ok verdict from a bad answer of the server") {
  const std::vector<std::string> bad = {
      "",
      "yes",
      "{}",
      "null",
      "{\"same_root_cause\": \"true\", \"reason\": \"r\"}",
      "{\"same_root_cause\": true}",
      "{\"same\": true, \"reason\": \"r\"}",
      "{\"same_root_cause\": true, \"reason\": 5}",
      "{\"same_root_cause\": true, \"reason\": \"r\", \"extra\": 1}",
      "Sure! {\"same_root_cause\": true, \"reason\": \"r\"}",
      "```json\n{\"same_root_cause\": true, \"reason\": \"r\"}",
      "<think>{\"same_root_cause\": true, \"reason\": \"r\"}",
  };
  FakeLlm server;
  size_t next = 0;
  server.set_responder([&](const json&) { return reply_text(bad[next++ % bad.size()]); });
  PairJudge judge(taxonomy(), shipped(), words());
  std::vector<LlmRequest> requests;
  for (size_t i = 0; i < bad.size(); ++i) {
    PairReport b = llama_report();
    b.number = static_cast<int64_t>(1000 + i);
    requests.push_back(judge.request(qwen_report(), b));
  }
  std::vector<std::chrono::milliseconds> sleeps;
  LlmClient client(fast_client(server.url(), &sleeps));
  std::vector<LlmResult> results = client.complete_all(requests);
  REQUIRE(results.size() == bad.size());
  for (const LlmResult& r : results) {
    REQUIRE(r.ok());
    PairVerdict v = judge.read_answer(r.content);
    CHECK_FALSE_MESSAGE(v.ok, r.content);
    CHECK_FALSE(v.same);
    CHECK(v.reason.empty());
    CHECK(v.error.rfind("answer rejected: ", 0) == 0);
  }
}

TEST_CASE("the shipped prompt file gives the words of both messages") {
  const PairPrompt& p = words();
  CHECK(p.question == "Do these two failure reports share one root cause?");
  CHECK(p.taxonomy == "Root causes follow the taxonomy \"{title}\" ({id}, version {version}): {definition}");
  CHECK(p.cut_marker == "[... cut ...]");
  CHECK(p.hash == git_blob_hash(read_file(source_file("taxonomy/prompts/pair_judge.json"))));
  LlmRequest q = PairJudge(taxonomy(), shipped(), p).request(qwen_report(), llama_report());
  CHECK(contains(q.system, "Root causes follow the taxonomy \"" + taxonomy().title() + "\" (" + taxonomy().id() +
                               ", version " + taxonomy().version() + "): "));
  CHECK(contains(q.system, "\n## Root causes (" + taxonomy().dimension("root_cause").name + ")\n"));
}

TEST_CASE("the judge lays out the prompt file's words as written") {
  PairPrompt p = PairPrompt::parse(prompt_with("system", "changes_heading", "\"Bekannte Brüche\""), "p.json");
  LlmRequest q = PairJudge(taxonomy(), shipped(), p).request(qwen_report(), llama_report());
  CHECK(contains(q.system, "\n## Bekannte Brüche\n- ["));
  PairPrompt titled = PairPrompt::parse(prompt_with("user", "title_label", "\"Titel\""), "p.json");
  LlmRequest t = PairJudge(taxonomy(), shipped(), titled).request(qwen_report(), llama_report());
  CHECK(contains(t.user, "\nTitel: KeyError: 'qwen2' when loading Qwen2.5-7B-Instruct\n"));
  CHECK_FALSE(contains(t.user, "\nTitle: "));
}

TEST_CASE("a prompt file with an unknown, missing or empty text is refused naming the field") {
  CHECK_THROWS_WITH_AS(PairPrompt::parse(prompt_with("user", "footer", "\"x\""), "p.json"),
                       doctest::Contains("p.json: user: unknown field 'footer'"), Error);
  json doc = json::parse(prompt_with("system", "task", "\"x\""));
  doc["system"].erase("task");
  CHECK_THROWS_WITH_AS(PairPrompt::parse(doc.dump(), "p.json"), "p.json: system: missing 'task'", Error);
  CHECK_THROWS_WITH_AS(PairPrompt::parse(prompt_with("user", "question", "\"  \""), "p.json"),
                       "p.json: user: 'question' is empty", Error);
  CHECK_THROWS_WITH_AS(PairPrompt::parse(prompt_with("user", "question", "3"), "p.json"),
                       "p.json: user: 'question' must be a string, got number", Error);
  CHECK_THROWS_WITH_AS(PairPrompt::parse("{\"system\": {}}", "p.json"), "p.json: missing 'user'", Error);
}

TEST_CASE("a prompt text may use only the values its place fills in") {
  CHECK_THROWS_WITH_AS(PairPrompt::parse(prompt_with("system", "taxonomy", "\"{title} of {year}\""), "p.json"),
                       "p.json: system: 'taxonomy' uses {year} (it may use {title}, {id}, {version}, {definition})",
                       Error);
  CHECK_THROWS_WITH_AS(PairPrompt::parse(prompt_with("user", "question", "\"Same {dimension}?\""), "p.json"),
                       "p.json: user: 'question' uses {dimension}, but takes no value", Error);
  // JSON shown in a text is not a value to fill in.
  CHECK_NOTHROW(
      PairPrompt::parse(prompt_with("system", "answer", "\"Answer {\\\"same_root_cause\\\": true}\""), "p.json"));
}

TEST_CASE("the judge's provenance is the prompt file's hash and the knowledge files'") {
  PairJudge judge(taxonomy(), shipped(), words());
  std::vector<std::pair<std::string, std::string>> p = judge.provenance();
  REQUIRE(p.size() == 2);
  CHECK(p[0] == std::make_pair(std::string("pair_prompt_hash"), words().hash));
  CHECK(p[1] == std::make_pair(std::string("pair_knowledge_hash"), shipped().hash));
  std::string one = "{\"guidance\": [\"a\"]}", two = "{\"guidance\": [\"b\"]}";
  CHECK(Knowledge::parse({{"k/a.json", one}, {"k/b.json", two}}).hash == git_blob_hash(one + two));
}

TEST_CASE("hybrid grouping asks the chat-completions server only about uncertain pairs and uses only valid verdicts") {
  Knowledge knowledge = Knowledge::load(source_file("taxonomy/knowledge"));
  PairJudge judge(taxonomy(), knowledge, words());
  FakeLlm server;
  int answered = 0;
  server.set_responder([&answered](const json&) {
    // Every other answer is malformed: those pairs must fall back to the score.
    return ++answered % 2 ? reply_json({{"same_root_cause", true}, {"reason", "same error after the same upgrade"}})
                          : reply_text("I think so, yes.");
  });
  LlmClientOptions lo;
  lo.base_url = server.url();
  lo.model = "judge-7b";
  lo.max_retries = 0;
  LlmClient client(lo);
  StormCorpus corpus = generate_storms({.seed = 12, .reports = 300});
  std::vector<AggregateReport> reports = reports_of(corpus);
  GroupingOptions o;
  o.route = PairRoute::kHybrid;
  o.ask = llm_pair_asker(client, judge);
  Grouping g = group_reports(reports, shipped_similarity(), o);
  REQUIRE(g.routed > 0);
  CHECK(g.routed == g.uncertain);
  CHECK(static_cast<int64_t>(server.stats().requests.size()) == g.routed);
  CHECK(g.answered == (g.routed + 1) / 2);
  int64_t by_llm = 0;
  for (const PairDecision& d : g.pairs) {
    if (!d.by_llm) continue;
    ++by_llm;
    CHECK(d.linked);
    CHECK(d.reason == "same error after the same upgrade");
  }
  CHECK(by_llm == g.answered);
}
