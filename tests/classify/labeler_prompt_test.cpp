// The labeller's prompt as data: taxonomy/prompts/labeler.json filled in for the taxonomy, a
// prompt of one's own reaching the requests, and a bad file refused naming what is wrong.
#include <doctest/doctest.h>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "classify/labeler_prompt.h"
#include "classify/llm_labeler.h"
#include "classify_support.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

const char* const kSections =
    R"("sections": {"title": "Title", "errors": "Errors", "report": "Text", "environment": "Env", "code": "Logs",
                    "comments": "Thread", "hints": "Guesses"})";

std::string prompt(const std::string& system, const std::string& sections = kSections) {
  return R"({"system": )" + system + R"(, "ids_heading": "# {{dimension}}", )" + sections + "}";
}

}  // namespace

TEST_CASE("the shipped prompt names the taxonomy, gives each dimension's definition and lists its ids") {
  const Taxonomy& t = shipped_taxonomy();
  std::string system = LabelerPrompt::load().system_message(t);
  CHECK(system.rfind(
            "You label failure reports from GitHub issues of open-source LLM repositories, using the taxonomy \"" +
                t.title() + "\" (" + t.id() + ", version " + t.version() + ").\n\n",
            0) == 0);
  CHECK(system.find("\n- stage: " + t.dimension("stage").definition + "\n") != std::string::npos);
  CHECK(system.find("\n\n## root_cause ids (" + t.dimension("root_cause").name + ")\n- rc.") != std::string::npos);
  CHECK(LlmLabeler(t).system_prompt() == system);
  CHECK(LlmLabeler(t).prompt_hash() == git_blob_hash(read_file(source_file("taxonomy/prompts/labeler.json"))));
}

TEST_CASE("a prompt of one's own gives the system message and the user message's headings") {
  TempDir dir;
  write_file(dir / "p.json", prompt(R"(["Label {{taxonomy_id}}.", "Stage: {{stage}}"])"));
  LlmLabelerOptions options;
  options.prompt_file = dir / "p.json";
  LlmLabeler labeler(shipped_taxonomy(), options);
  CHECK(labeler.system_prompt().rfind(
            "Label open-llm-failures.\nStage: " + shipped_taxonomy().dimension("stage").definition + "\n\n# stage\n",
            0) == 0);
  IssueFeatures f = extract_features("It hangs", "Nothing happens.\n```\nRuntimeError: stuck\n```");
  CHECK(labeler.request(f).user ==
        "Title: It hangs\n\nErrors:\n- RuntimeError: stuck\n\nText:\nNothing happens.\n\nLogs:\nRuntimeError: stuck\n");
}

TEST_CASE("a bad prompt file is refused naming the file and the field") {
  CHECK_THROWS_WITH_AS(
      LabelerPrompt::parse(prompt(R"(["ok", "Model {{model}}"])"), "p.json"),
      "p.json: 'system' line 2: unknown placeholder '{{model}}' ({{root_cause}}, {{stage}}, {{symptom}}, "
      "{{taxonomy_id}}, {{taxonomy_title}}, {{taxonomy_version}})",
      Error);
  CHECK_THROWS_WITH_AS(LabelerPrompt::parse(prompt(R"(["{{stage"])"), "p.json"),
                       "p.json: 'system' line 1: '{{' without '}}'", Error);
  CHECK_THROWS_WITH_AS(LabelerPrompt::parse(prompt("[]"), "p.json"), "p.json: 'system' must be a list of lines", Error);
  CHECK_THROWS_WITH_AS(LabelerPrompt::parse(prompt(R"(["x"])", R"("sections": {"title": "T"})"), "p.json"),
                       "p.json: 'sections': missing 'errors'", Error);
  CHECK_THROWS_WITH_AS(LabelerPrompt::parse(prompt(R"(["x"])", R"("sections": {"titel": "T"})"), "p.json"),
                       doctest::Contains("p.json: 'sections': unknown section 'titel'"), Error);
}
