// LLM labeler: the prompt built from the taxonomy, trimming, and answers that never leave the taxonomy.
#include <doctest/doctest.h>

#include "classify/llm_labeler.h"
#include "fake_llm.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;

namespace {

const Taxonomy& taxonomy() { return shipped_taxonomy(); }

json answer(const json& is_failure, const json& stage, const json& symptom, const json& root_cause) {
  return {{"is_failure", is_failure},
          {"stage", stage},
          {"symptom", symptom},
          {"root_cause", root_cause},
          {"rationale", "The log ends in a CUDA out-of-memory error while loading."}};
}

const json kGood = answer(true, "stage.inference", "sym.crash.cuda.oom", "rc.hardware.gpu_memory");

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::string numbered_lines(const std::string& prefix, int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += prefix + std::to_string(i) + "\n";
  return out;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the system prompt lists every stage, symptom and root cause with its definition") {
  LlmLabeler labeler(taxonomy());
  const std::string& prompt = labeler.system_prompt();
  for (const TaxonomyNode& node : taxonomy().nodes()) {
    CHECK_MESSAGE(prompt.find("- " + node.id + " — " + taxonomy().path_name(node)) != std::string::npos, node.id);
    CHECK(prompt.find(node.definition) != std::string::npos);
  }
}

TEST_CASE("the answer schema offers exactly each dimension's ids") {
  LlmLabeler labeler(taxonomy());
  const json& schema = labeler.schema();
  for (const char* dimension : {"stage", "symptom", "root_cause"}) {
    json ids = json::array();
    for (const TaxonomyNode& node : taxonomy().nodes()) {
      if (node.dimension == dimension) ids.push_back(node.id);
    }
    CHECK(schema["properties"][dimension]["anyOf"][0]["enum"] == ids);
  }
  CHECK(schema["required"].size() == 5);
  CHECK(schema["additionalProperties"] == false);
}

TEST_CASE("a valid answer becomes labels with its rationale") {
  LlmLabel label = LlmLabeler(taxonomy()).read_answer(kGood.dump());
  REQUIRE(label.ok);
  CHECK(label.is_failure);
  CHECK(label.stage == "stage.inference");
  CHECK(label.symptom == "sym.crash.cuda.oom");
  CHECK(label.root_cause == "rc.hardware.gpu_memory");
  CHECK(label.rationale == "The log ends in a CUDA out-of-memory error while loading.");
  CHECK(label.raw == kGood.dump());
}

TEST_CASE("an answer that is not JSON is rejected") {
  LlmLabel label = LlmLabeler(taxonomy()).read_answer("The symptom is a crash.");
  CHECK_FALSE(label.ok);
  CHECK(label.error == "answer rejected: not JSON");
  CHECK(label.symptom.empty());
  CHECK(label.raw == "The symptom is a crash.");
}

TEST_CASE("an answer with a missing or mistyped field is rejected") {
  LlmLabeler labeler(taxonomy());
  json missing = kGood;
  missing.erase("root_cause");
  CHECK(labeler.read_answer(missing.dump()).error == "answer rejected: no field 'root_cause'");
  json mistyped = kGood;
  mistyped["is_failure"] = "yes";
  CHECK_FALSE(labeler.read_answer(mistyped.dump()).ok);
  CHECK_FALSE(labeler.read_answer("[1, 2]").ok);
}

TEST_CASE("an id outside the taxonomy is rejected") {
  LlmLabel label =
      LlmLabeler(taxonomy())
          .read_answer(answer(true, "stage.inference", "sym.crash.cuda.segfault", "rc.hardware.gpu_memory").dump());
  CHECK_FALSE(label.ok);
  CHECK(label.error.find("symptom 'sym.crash.cuda.segfault' is not a node") != std::string::npos);
  CHECK(label.symptom.empty());
  CHECK(label.stage.empty());
}

TEST_CASE("an id of the wrong dimension is rejected") {
  LlmLabel label =
      LlmLabeler(taxonomy()).read_answer(answer(true, "stage.inference", "rc.hardware.gpu_memory", "rc.env").dump());
  CHECK_FALSE(label.ok);
  CHECK(label.error == "answer rejected: symptom 'rc.hardware.gpu_memory' is a root_cause node, not a symptom");
}

TEST_CASE("a non-failure may leave the labels null, a failure may not") {
  LlmLabeler labeler(taxonomy());
  LlmLabel question = labeler.read_answer(answer(false, nullptr, nullptr, nullptr).dump());
  REQUIRE(question.ok);
  CHECK_FALSE(question.is_failure);
  CHECK(question.symptom.empty());
  LlmLabel failure = labeler.read_answer(answer(true, "stage.inference", nullptr, "rc.env").dump());
  CHECK_FALSE(failure.ok);
  CHECK(failure.error.find("symptom is null") != std::string::npos);
}

TEST_CASE("JSON in a code fence or after a thinking block is read") {
  LlmLabeler labeler(taxonomy());
  CHECK(labeler.read_answer("```json\n" + kGood.dump() + "\n```").ok);
  CHECK(labeler.read_answer("<think>It is OOM.</think>\n\n" + kGood.dump()).ok);
}

TEST_CASE("the user message holds the title, the error lines, the logs' end and valid hints, within the cap") {
  IssueFeatures f = extract_features(
      "OOM when loading Qwen2-72B",
      "I load the model on one A100.\n```\n" + numbered_lines("loading shard ", 1, 5000) +
          "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n```\nAny idea?",
      {"Same here.", "Use device_map=auto; the model does not fit in one GPU."});
  RuleHints hints;
  hints.symptom = {{"sym.crash.cuda.oom", 0.9}, {"sym.not.a.node", 0.5}, {"rc.env", 0.4}};
  hints.root_cause = {{"rc.hardware.gpu_memory", 0.7}};
  LlmLabeler labeler(taxonomy());
  LlmRequest q = labeler.request(f, hints);
  CHECK(q.system == labeler.system_prompt());
  CHECK(q.schema == labeler.schema());
  CHECK(q.schema_name == "failure_labels");
  CHECK(q.user.find("Issue title: OOM when loading Qwen2-72B") == 0);
  CHECK(q.user.find("- torch.cuda.OutOfMemoryError: CUDA out of memory") != std::string::npos);
  CHECK(q.user.find("loading shard 5000\n") != std::string::npos);
  CHECK(q.user.find("lines cut") != std::string::npos);
  CHECK(q.user.find("device_map=auto") != std::string::npos);
  CHECK(q.user.find("- symptom: sym.crash.cuda.oom (0.90)\n") != std::string::npos);
  CHECK(q.user.find("- root_cause: rc.hardware.gpu_memory (0.70)") != std::string::npos);
  CHECK(q.user.find("sym.not.a.node") == std::string::npos);
  CHECK(q.user.size() < 6000 + 400);  // the cap plus section headings
}

TEST_CASE("a short log is kept whole") {
  std::string log = "$ python run.py\nTraceback (most recent call last):\nKeyError: 'qwen2'";
  CHECK(trim_for_prompt(log, {"KeyError: 'qwen2'"}, 6000) == log);
}

TEST_CASE("a long log keeps its first lines, its error lines and its last 40 lines") {
  std::string log = numbered_lines("step ", 1, 50) + "RuntimeError: NCCL timeout\n" + numbered_lines("step ", 51, 200);
  std::string t = trim_for_prompt(log, {"RuntimeError: NCCL timeout"}, 100000);
  CHECK(t.find("step 1\nstep 2\nstep 3\n[... 47 lines cut ...]\nRuntimeError: NCCL timeout\n[... 110 lines cut "
               "...]\nstep 161\n") == 0);
  CHECK(t.size() - t.rfind("step 200") == 8);
  CHECK(count(t, "\n") == 3 + 1 + 1 + 1 + 40 - 1);
}

TEST_CASE("blank lines separate logs, and each long one is cut on its own") {
  std::string log = numbered_lines("a", 1, 100) + "\n" + numbered_lines("b", 1, 100);
  std::string t = trim_for_prompt(log, {}, 100000);
  CHECK(count(t, "[... 57 lines cut ...]") == 2);
  CHECK(t.find("a100\n\nb1\n") != std::string::npos);
}

TEST_CASE("trimmed code stays within the cap, keeps the error lines and the end, and cuts no character in two") {
  std::string log;
  for (int i = 0; i < 3000; ++i)
    log += "显存不足 " + std::to_string(i) + " " + std::string(i % 7 == 0 ? 900 : 30, 'x') + "\n";
  log += "\n" + std::string(1 << 20, 'y') + "\n";  // a megabyte on one line
  std::vector<std::string> errors;
  for (int i = 0; i < 5; ++i) {
    errors.push_back("ValueError: bad shard " + std::to_string(i));
    log += numbered_lines("ok ", 1, 30) + errors.back() + "\n";
  }
  log += "推理失败：CUDA error: device-side assert triggered\n";
  for (size_t cap : {500u, 1999u, 6000u}) {
    std::string t = trim_for_prompt(log, errors, cap);
    CHECK(t.size() <= cap);
    CHECK(valid_utf8(t));
    CHECK(t.find("ValueError: bad shard 0") != std::string::npos);
    CHECK(t.size() - t.rfind("device-side assert triggered") == std::string("device-side assert triggered").size());
  }
}

TEST_CASE("labels read from a server's answers never fall outside the taxonomy") {
  FakeLlm server;
  FakeReply fenced = reply_text("```json\n" + kGood.dump() + "\n```");
  server.script({reply_json(kGood), reply_text("{\"is_failure\": true, \"stage\": "),
                 reply_json(answer(true, "stage.inference", "sym.crash.gpu_on_fire", "rc.env")),
                 reply_json(answer(true, "sym.crash", "sym.crash", "rc.env")),
                 reply_json(answer(true, "stage.inference", "sym.crash", "stage.inference")),
                 reply_json({{"is_failure", true}}), reply_text("I think this is a crash caused by the environment."),
                 fenced});
  LlmLabeler labeler(taxonomy());
  IssueFeatures f = extract_features("Crash", "It crashes.\nRuntimeError: CUDA error: out of memory");
  std::vector<LlmRequest> requests;
  for (int i = 0; i < 8; ++i) {
    f.title = "Crash " + std::to_string(i);  // distinct requests, so none is answered by another
    requests.push_back(labeler.request(f));
  }
  LlmClient client({.base_url = server.url(), .model = "m"});
  std::vector<LlmResult> results = client.complete_all(requests);
  int labelled = 0;
  for (const LlmResult& r : results) {
    REQUIRE(r.ok());
    LlmLabel label = labeler.read_answer(r.content);
    if (!label.ok) {
      CHECK(label.stage.empty());
      CHECK(label.symptom.empty());
      CHECK(label.root_cause.empty());
      continue;
    }
    ++labelled;
    for (auto [id, dimension] :
         {std::pair{label.stage, "stage"}, {label.symptom, "symptom"}, {label.root_cause, "root_cause"}}) {
      const TaxonomyNode* node = taxonomy().find(id);
      REQUIRE(node);
      CHECK(node->dimension == dimension);
    }
  }
  CHECK(labelled == 2);
}

TEST_CASE("the environment inventory reaches the prompt under its own heading") {
  IssueFeatures f =
      extract_features("Garbled output", "The answers are garbled.\n\nEnvironment:\n- vLLM 0.6.3\n- 2x A100\n");
  LlmRequest q = LlmLabeler(taxonomy()).request(f, {});
  CHECK(q.user.find("\nEnvironment:\n- vLLM 0.6.3\n- 2x A100\n") != std::string::npos);
  CHECK(q.user.find("Report:\nThe answers are garbled.") != std::string::npos);
}
