// aggregate synth, aggregate, aggregate eval and incidents end to end.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;

TEST_CASE("synthetic storms go through import, aggregate, eval and incidents") {
  TempDir dir;
  std::string db = (dir / "t.db").string(), storms = (dir / "storms").string();
  CommandResult synth = run_firstmile({"aggregate", "synth", "--seed", "31", "--reports", "400", "--out", storms});
  REQUIRE_MESSAGE(synth.exit_code == 0, synth.err);
  REQUIRE(run_firstmile({"import", "issues", storms + "/issues.jsonl", "--db", db}).exit_code == 0);
  CommandResult agg = run_firstmile({"aggregate", "--db", db, "--route", "hybrid"});
  REQUIRE_MESSAGE(agg.exit_code == 0, agg.err);
  CHECK(agg.out.rfind("Aggregated 400 reports into ", 0) == 0);
  CHECK(agg.out.find(" candidate pairs (not all 79800), ") != std::string::npos);  // 400 * 399 / 2
  CHECK(agg.out.find(" decided by it (no LLM endpoint: the score decided)\n") != std::string::npos);
  CHECK(agg.out.find("\nList them: firstmile incidents --name default\n") != std::string::npos);
  CHECK(agg.out.find("root causes from") == std::string::npos);  // no classify run stored labels
  CHECK(agg.err.empty());  // no progress line when stderr is not a terminal
  CommandResult labelled = run_firstmile({"aggregate", "--db", db, "--source", "rules", "--name", "labelled"});
  REQUIRE_MESSAGE(labelled.exit_code == 0, labelled.err);
  CHECK(labelled.out.find("; root causes from 'rules (read now)'\n") != std::string::npos);
  CommandResult eval =
      run_firstmile({"aggregate", "eval", "--db", db, "--gold", storms + "/incidents.csv", "--format", "json"});
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.err);
  nlohmann::json j = nlohmann::json::parse(eval.out);
  CHECK(j["reports"] == 400);
  CHECK(j["f1"].get<double>() > 0.8);
  CommandResult list = run_firstmile({"incidents", "--db", db, "--format", "json"});
  REQUIRE_MESSAGE(list.exit_code == 0, list.err);
  nlohmann::json incidents = nlohmann::json::parse(list.out);
  CHECK(incidents["aggregation"]["route"] == "hybrid");
  CHECK(incidents["aggregation"]["summary"]["reports"] == 400);
  CHECK(incidents["incidents"].size() == incidents["aggregation"]["incidents"].get<size_t>());
}

TEST_CASE("aggregate synth says when a profile ran out of causes and the rest is noise") {
  TempDir dir;
  CommandResult few =
      run_firstmile({"aggregate", "synth", "--profile", "real", "--reports", "1000", "--out", (dir / "a").string()});
  REQUIRE_MESSAGE(few.exit_code == 0, few.err);
  CHECK(few.err.empty());
  // The real profile has one incident per owner, cause and variant: about a hundred.
  CommandResult many =
      run_firstmile({"aggregate", "synth", "--profile", "real", "--reports", "3000", "--out", (dir / "b").string()});
  REQUIRE_MESSAGE(many.exit_code == 0, many.err);
  CHECK(many.err.find("of the reports are noise, more than --noise asks: the real profile ran out of causes (one "
                      "incident per owner, cause and variant)") != std::string::npos);
}

TEST_CASE("aggregate links two reports of one known cause however far apart, and says how many") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  auto issue = [](const std::string& repo, int number, const std::string& day, const std::string& title,
                  const std::string& body) {
    return nlohmann::json{{"number", number},
                          {"title", title},
                          {"body", body},
                          {"state", "open"},
                          {"user", {{"login", "u"}}},
                          {"labels", nlohmann::json::array()},
                          {"comments", 0},
                          {"created_at", day + "T00:00:00Z"},
                          {"updated_at", day + "T00:00:00Z"},
                          {"html_url", "https://github.com/meta-llama/" + repo + "/issues/" + std::to_string(number)}};
  };
  nlohmann::json issues = nlohmann::json::array(
      {issue("llama", 673, "2023-08-15", "Llama 2 on Windows 10 fails at startup",
             "Ran the 7B example with torchrun.\n```\nRuntimeError: Distributed package doesn't have NCCL built in\n```"),
       issue("llama3", 200, "2024-05-08", "Llama 3 run stops on a laptop",
             "torchrun warned:\n```\nUserWarning: NCCL support is not compiled\n```\nthen a traceback."),
       issue("llama", 900, "2023-12-01", "Question about the license", "May I use the weights commercially?")});
  write_file(dir / "issues.json", issues.dump());
  REQUIRE(run_firstmile({"import", "issues", (dir / "issues.json").string(), "--db", db}).exit_code == 0);
  CommandResult agg = run_firstmile({"aggregate", "--db", db});
  REQUIRE_MESSAGE(agg.exit_code == 0, agg.err);
  CHECK(agg.out.rfind("Aggregated 3 reports into 1 incidents (2 reports;", 0) == 0);
  CHECK(agg.out.find(" linked (1 as one known cause)") != std::string::npos);
  CommandResult list = run_firstmile({"incidents", "--db", db, "--format", "json"});
  REQUIRE_MESSAGE(list.exit_code == 0, list.err);
  nlohmann::json j = nlohmann::json::parse(list.out);
  CHECK(j["aggregation"]["summary"]["known_cause_links"] == 1);
}

TEST_CASE("aggregate --pairs-out writes every candidate pair's evidence, which eval --pairs ranks") {
  TempDir dir;
  std::string db = (dir / "t.db").string(), storms = (dir / "storms").string(), pairs = (dir / "pairs.csv").string();
  REQUIRE(run_firstmile({"aggregate", "synth", "--seed", "5", "--reports", "200", "--out", storms}).exit_code == 0);
  REQUIRE(run_firstmile({"import", "issues", storms + "/issues.jsonl", "--db", db}).exit_code == 0);
  CommandResult agg = run_firstmile({"aggregate", "--db", db, "--pairs-out", pairs});
  REQUIRE_MESSAGE(agg.exit_code == 0, agg.err);
  std::string csv = file_bytes(pairs);
  CHECK(csv.rfind("issue_a,issue_b,score,same_signature,", 0) == 0);
  CHECK(csv.find(",days_apart,") != std::string::npos);
  // Last, aggregate's own decision (not evidence): whether the pair was linked as one known cause.
  const size_t header_end = csv.find("\r\n"), row_end = csv.find("\r\n", header_end + 2);
  CHECK(csv.substr(0, header_end).ends_with(",embedding_similarity,known_cause_link"));
  std::string first_row = csv.substr(header_end + 2, row_end - header_end - 2);
  CHECK((first_row.ends_with(",0") || first_row.ends_with(",1")));
  // One line per candidate pair, as many as the summary counts.
  size_t rows = static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')) - 1;
  CHECK(agg.out.find("\n" + std::to_string(rows) + " candidate pairs (not all 19900)") != std::string::npos);
  CommandResult eval = run_firstmile(
      {"aggregate", "eval", "--db", db, "--gold", storms + "/incidents.csv", "--pairs", pairs, "--format", "json"});
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.err);
  nlohmann::json j = nlohmann::json::parse(eval.out);
  CHECK(j["candidate_recall"].get<double>() > 0.5);
  CHECK(j["recall_at_10"].get<double>() >= j["recall_at_1"].get<double>());
  // A wall of one day leaves fewer candidates than none.
  CommandResult walled = run_firstmile({"aggregate", "--db", db, "--max-days-apart", "1", "--name", "walled"});
  REQUIRE_MESSAGE(walled.exit_code == 0, walled.err);
  auto candidates = [](const std::string& out) {
    size_t at = out.find('\n') + 1;
    return std::stoll(out.substr(at, out.find(' ', at) - at));
  };
  CHECK(candidates(walled.out) < candidates(agg.out));
  CommandResult unwritable = run_firstmile({"aggregate", "--db", db, "--pairs-out", (dir / "no/such/dir.csv").string()});
  CHECK(unwritable.exit_code == 2);
  CHECK(unwritable.err.find("cannot write") != std::string::npos);
}

TEST_CASE("aggregate eval --gold duplicates joins the sample's 'Duplicate of #9001' comment to its issue") {
  TempDir dir;
  std::string db = import_sample(dir, /*gold=*/false);
  REQUIRE(run_firstmile({"aggregate", "--db", db}).exit_code == 0);
  CommandResult eval = run_firstmile({"aggregate", "eval", "--db", db, "--gold", "duplicates", "--format", "json"});
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.err);
  nlohmann::json j = nlohmann::json::parse(eval.out);
  CHECK(j["reports"] == 52);        // the sample's issues that are not pull requests
  CHECK(j["gold_incidents"] == 1);  // QwenLM/Qwen2.5#9005 with #9001
  CHECK(j["gold_pairs"] == 1);
}

TEST_CASE("aggregate refuses an LLM endpoint on the rules route and an unknown aggregation in eval") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import", "issues", source_file("data/sample/issues.json").string(), "--db", db}).exit_code ==
          0);
  CommandResult rules = run_firstmile({"aggregate", "--db", db, "--llm-url", "http://127.0.0.1:1", "--llm-model", "m"});
  CHECK(rules.exit_code == 2);
  CHECK(rules.err.find("--route hybrid or llm") != std::string::npos);
  CommandResult eval = run_firstmile({"aggregate", "eval", "--db", db, "--gold", "duplicates", "--name", "nope"});
  CHECK(eval.exit_code == 2);
  CHECK(eval.err.find("no aggregation named 'nope'") != std::string::npos);
}

TEST_CASE("aggregate synth --profile real writes storms shaped like real ones, four fifths singletons") {
  TempDir dir;
  std::string storms = (dir / "real").string();
  CommandResult synth =
      run_firstmile({"aggregate", "synth", "--seed", "4", "--reports", "500", "--profile", "real", "--out", storms});
  REQUIRE_MESSAGE(synth.exit_code == 0, synth.err);
  std::string truth = file_bytes(std::filesystem::path(storms) / "incidents.csv");
  size_t rows = static_cast<size_t>(std::count(truth.begin(), truth.end(), '\n')) - 1;
  size_t none = 0;  // rows whose incident is 0 (the CSV ends its rows with CRLF)
  for (size_t at = truth.find(",0\r\n"); at != std::string::npos; at = truth.find(",0\r\n", at + 1)) ++none;
  CHECK(rows == 500);
  CHECK(none >= 395);  // 0.8 of 500, and the remainder a last incident could not take
  CHECK(none <= 405);
  CommandResult bad = run_firstmile({"aggregate", "synth", "--profile", "weird", "--out", storms});
  CHECK(bad.exit_code != 0);
}

TEST_CASE("aggregate refuses an --embed-url that is not http(s) and one without a model, before any work") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import", "issues", source_file("data/sample/issues.json").string(), "--db", db}).exit_code ==
          0);
  CommandResult scheme = run_firstmile({"aggregate", "--db", db, "--embed-url", "localhost:8000/v1"});
  CHECK(scheme.exit_code == 2);
  CHECK(scheme.err.find("--embed-url must be an http:// or https:// URL") != std::string::npos);
  CommandResult model = run_firstmile({"aggregate", "--db", db, "--embed-url", "http://127.0.0.1:1", "--embed-model", ""});
  CHECK(model.exit_code == 2);
  CHECK(model.err.find("--embed-url needs --embed-model") != std::string::npos);
  CommandResult help = run_firstmile({"aggregate", "--help"});
  CHECK(help.out.find("--embed-model") != std::string::npos);
  CHECK(help.out.find("SENT there") != std::string::npos);
}
