// Tests of package/llm_provenance.h and the LLM log of package/table_files.h, on a real SQLite
// file holding LLM-made labels, the runs that made them and cached answers.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/content_hash.h"
#include "base/json_file.h"
#include "package/llm_provenance.h"
#include "package/pseudonyms.h"
#include "package/table_files.h"
#include "store/llm_cache.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

// Two LLM labels from a classify run that recorded `prompt_hash`, and one label of the rules.
Store store_with_llm_labels(const TempDir& dir, const std::string& prompt_hash) {
  Store store = Store::open(dir / "t.db");
  const Taxonomy& taxonomy = shipped_taxonomy();
  store.save_taxonomy(taxonomy);
  int64_t repo = store.upsert_repository({"QwenLM", "Qwen2.5", "Qwen", "", ""});
  int64_t run = store.begin_run("classify", {"classify", "--route", "llm"}, &taxonomy);
  store.finish_run(run, "ok", nlohmann::json{{"llm_prompt_hash", prompt_hash}}.dump());
  for (int64_t number : {1, 2, 3}) {
    int64_t issue = store.ensure_issue(repo, number, "https://github.com/QwenLM/Qwen2.5/issues/" + std::to_string(number));
    bool by_llm = number != 3;
    nlohmann::json evidence = {{"classifier", by_llm ? "llm" : "rules"}};
    if (by_llm) evidence["llm"] = {{"model", "qwen2.5-7b-instruct"}, {"rationale", "as @deepseek-dev said"}};
    Annotation a;
    a.issue_id = issue;
    a.source = by_llm ? "llm:qwen2.5-7b-instruct" : "rules";
    a.taxonomy = taxonomy.id();
    a.is_failure = 1;
    a.evidence = evidence.dump();
    a.run_id = run;
    store.upsert_annotation(a);
  }
  return store;
}

std::string labeler_prompt() { return file_bytes(source_file("taxonomy/prompts/labeler.json")); }

}  // namespace

TEST_CASE("every LLM-made label gets its model, its run's prompt hash and a copy of that prompt") {
  TempDir dir;
  Store store = store_with_llm_labels(dir, git_blob_hash(labeler_prompt()));
  LlmProvenance p = write_llm_provenance(store, {}, dir / "llm");
  REQUIRE(p.groups.size() == 1);
  CHECK(p.groups[0].source == "llm:qwen2.5-7b-instruct");
  CHECK(p.groups[0].model == "qwen2.5-7b-instruct");
  CHECK(p.groups[0].labels == 2);
  CHECK(p.groups[0].prompt_hash == git_blob_hash(labeler_prompt()));
  CHECK(p.groups[0].prompt_file == "llm/prompts/labeler.json");
  CHECK(file_bytes(dir / "llm" / "prompts" / "labeler.json") == labeler_prompt());
  std::string csv = file_bytes(dir / "llm" / "labels.csv");
  CHECK(csv.find("QwenLM/Qwen2.5,1,1,llm:qwen2.5-7b-instruct,qwen2.5-7b-instruct," + p.groups[0].prompt_hash) !=
        std::string::npos);
  CHECK(csv.find("QwenLM/Qwen2.5,3,") == std::string::npos);  // the rules' label
  CHECK(p.to_json()["labels"][0]["prompt_file"] == "llm/prompts/labeler.json");
}

TEST_CASE("a prompt changed since the labels were made is named missing, not copied") {
  TempDir dir;
  Store store = store_with_llm_labels(dir, git_blob_hash("an older prompt"));
  LlmProvenance p = write_llm_provenance(store, {}, dir / "llm");
  REQUIRE(p.groups.size() == 1);
  CHECK(p.groups[0].prompt_file.empty());
  CHECK(p.to_json()["labels"][0]["prompt_file"].is_null());
  CHECK_FALSE(fs::exists(dir / "llm" / "prompts" / "labeler.json"));
}

TEST_CASE("labels of sources not selected get no provenance, and none at all writes no llm folder") {
  TempDir dir;
  Store store = store_with_llm_labels(dir, git_blob_hash(labeler_prompt()));
  LlmProvenance p = write_llm_provenance(store, {"rules"}, dir / "llm");
  CHECK(p.groups.empty());
  CHECK_FALSE(fs::exists(dir / "llm"));
}

TEST_CASE("the LLM log holds the cached answers, people pseudonymised and keys redacted") {
  TempDir dir;
  Store store = store_with_llm_labels(dir, "x");
  const std::string key = "sk-abcdefghijklmnopqrstuvwxyz012345";
  save_cached_answers(store, {{.model = "qwen2.5-7b-instruct",
                               .request_hash = "abc",
                               .response = "{\"rationale\": \"@deepseek-dev quoted " + key + "\"}",
                               .prompt_tokens = 10,
                               .completion_tokens = 5}});
  Pseudonymizer p("0123456789abcdef-log", {{"deepseek-dev"}, {}, {}});
  CHECK(write_llm_log(store, p, dir / "llm") == 1);
  std::string log = file_bytes(dir / "llm" / "llm_log.jsonl");
  CHECK(log.find("deepseek-dev") == std::string::npos);
  CHECK(log.find(key) == std::string::npos);
  CHECK(log.find(p.person("deepseek-dev")) != std::string::npos);
  CHECK(log.find("<redacted>") != std::string::npos);
  CHECK(nlohmann::json::parse(log)["prompt_tokens"] == 10);
  CHECK(fs::exists(dir / "llm" / "llm_log.csv"));
}
