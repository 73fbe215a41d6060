// aggregate synth, aggregate, aggregate eval and incidents end to end.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support.h"

using namespace firstmile::testing;

TEST_CASE("synthetic storms go through import, aggregate, eval and incidents") {
  TempDir dir;
  std::string db = (dir / "t.db").string(), storms = (dir / "storms").string();
  CommandResult synth = run_firstmile({"aggregate", "synth", "--seed", "31", "--reports", "400", "--out", storms});
  REQUIRE_MESSAGE(synth.exit_code == 0, synth.err);
  REQUIRE(run_firstmile({"import", "issues", storms + "/issues.jsonl", "--db", db}).exit_code == 0);
  CommandResult agg = run_firstmile({"aggregate", "--db", db, "--route", "hybrid"});
  REQUIRE_MESSAGE(agg.exit_code == 0, agg.err);
  CHECK(agg.out.find("incidents") != std::string::npos);
  CHECK(agg.out.find("no LLM endpoint: the score decided") != std::string::npos);
  CommandResult eval = run_firstmile({"aggregate", "eval", "--db", db, "--gold", storms + "/incidents.csv", "--format", "json"});
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.err);
  nlohmann::json j = nlohmann::json::parse(eval.out);
  CHECK(j["reports"] == 400);
  CHECK(j["f1"].get<double>() > 0.8);
  CommandResult list = run_firstmile({"incidents", "--db", db, "--format", "json"});
  REQUIRE_MESSAGE(list.exit_code == 0, list.err);
  CHECK(list.out.find("\"size\"") != std::string::npos);
}

TEST_CASE("aggregate refuses an LLM endpoint on the rules route and an unknown aggregation in eval") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import", "issues", source_file("data/sample/issues.json").string(), "--db", db}).exit_code == 0);
  CommandResult rules = run_firstmile({"aggregate", "--db", db, "--llm-url", "http://127.0.0.1:1", "--llm-model", "m"});
  CHECK(rules.exit_code == 2);
  CHECK(rules.err.find("--route hybrid or llm") != std::string::npos);
  CommandResult eval = run_firstmile({"aggregate", "eval", "--db", db, "--gold", "duplicates", "--name", "nope"});
  CHECK(eval.exit_code == 2);
  CHECK(eval.err.find("no aggregation named 'nope'") != std::string::npos);
}
