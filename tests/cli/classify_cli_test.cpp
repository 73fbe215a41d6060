// classify, calibrate and explain end to end on the embedded sample.
#include <doctest/doctest.h>

#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("classify, eval, calibrate, hybrid classify and explain run end to end on the sample") {
  TempDir dir;
  std::string db = import_sample(dir);
  CommandResult rules = run_firstmile({"classify", "--db", db});
  REQUIRE_MESSAGE(rules.exit_code == 0, rules.err);
  CHECK(contains(rules.out, "into source 'rules'"));
  {
    firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kMustExist);
    int64_t issues =
        store.db().query_int("SELECT count(*) FROM issues WHERE title IS NOT NULL AND is_pull_request = 0");
    CHECK(store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'rules'") == issues);
    CHECK(store.db().query_int("SELECT count(*) FROM annotations a JOIN runs r ON r.id = a.run_id WHERE a.source = "
                               "'rules' AND r.command = 'classify' AND a.evidence LIKE '%rules_hash%'") == issues);
  }
  CommandResult eval = run_firstmile({"eval", "--db", db, "--gold", "gold", "--pred", "rules", "--format", "csv"});
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.err);
  CHECK(contains(eval.out, "symptom,1,"));

  CommandResult cal = run_firstmile({"calibrate", "--db", db, "--max-route", "0.3"});
  REQUIRE_MESSAGE(cal.exit_code == 0, cal.err);
  CHECK(contains(cal.out, "Routing threshold"));
  CommandResult hybrid = run_firstmile({"classify", "--db", db, "--route", "hybrid"});
  REQUIRE_MESSAGE(hybrid.exit_code == 0, hybrid.err);
  CHECK(contains(hybrid.out, "Routed by expected gain (the LLM's accuracy against the rules' calibrated confidence)"));
  CHECK(contains(hybrid.out, "marked needs_review"));

  CommandResult explain = run_firstmile({"explain", "QwenLM/Qwen2.5#9001", "--db", db});
  REQUIRE_MESSAGE(explain.exit_code == 0, explain.err);
  CHECK(contains(explain.out, "symptom: "));
  CHECK(contains(explain.out, "Stored labels:"));
  CHECK(contains(explain.out, "gold:sample #1"));
  CHECK(contains(explain.out, "rules #1"));
}

TEST_CASE("classify and explain refuse bad input with a clear message") {
  TempDir dir;
  std::string db = import_sample(dir);
  CommandResult unknown = run_firstmile({"explain", "acme/none#1", "--db", db});
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "acme/none#1: not in"));
  CommandResult no_model =
      run_firstmile({"classify", "--db", db, "--route", "hybrid", "--llm-url", "http://127.0.0.1:1"});
  CHECK(no_model.exit_code == 2);
  CHECK(contains(no_model.err, "--llm-model"));
  fs::create_directories(dir / "rules");
  write_file(dir / "rules" / "bad.json",
             R"({"rules": [{"id": "x", "target": "sym.nope", "fields": ["title"], "patterns": ["a"]}]})");
  std::string before = file_bytes(db);
  CommandResult bad = run_firstmile({"classify", "--db", db, "--rules", (dir / "rules").string()});
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.err, "bad.json: rule 'x': target 'sym.nope'"));
  CHECK(file_bytes(db) == before);
}
