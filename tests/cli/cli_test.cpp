// End-to-end tests of the firstmile binary: exit codes, messages, files left untouched.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {
std::string fixture() { return test_data("dataset-small").string(); }
}  // namespace

TEST_CASE("firstmile --help lists the subcommands") {
  CommandResult r = run_firstmile({"--help"});
  CHECK(r.exit_code == 0);
  for (const char* sub : {"import-dataset", "check", "summary", "taxonomy"}) {
    CHECK(r.out.find(sub) != std::string::npos);
  }
}

TEST_CASE("an unknown subcommand or flag exits 2") {
  CHECK(run_firstmile({"frobnicate"}).exit_code == 2);
  CHECK(run_firstmile({"summary", "--no-such-flag"}).exit_code == 2);
}

TEST_CASE("usage errors are one line saying what is wrong, a mistyped command its nearest name") {
  CommandResult typo = run_firstmile({"--db", "x.db", "sumary"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err == "firstmile: unknown command 'sumary'; did you mean 'summary'? (firstmile --help lists them)\n");
  CommandResult far = run_firstmile({"frobnicate"});
  CHECK(far.err == "firstmile: unknown command 'frobnicate' (firstmile --help lists them)\n");
  TempDir dir;
  CommandResult missing = run_firstmile({"import", "issues", (dir / "none.json").string(), "--db", (dir / "t.db").string()});
  CHECK(missing.exit_code == 2);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);  // no "Run with --help" line
  CHECK(missing.err.find("none.json") != std::string::npos);
  CommandResult folder = run_firstmile({"--taxonomy", dir.path().string(), "summary", "--db", (dir / "t.db").string()});
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "firstmile: " + dir.path().string() + ": is a folder, not a file\n");
  CommandResult bad_value = run_firstmile({"classify", "--route", "nope"});
  CHECK(bad_value.exit_code == 2);
  CHECK(std::count(bad_value.err.begin(), bad_value.err.end(), '\n') == 1);
  // --help and --version still print and succeed.
  CHECK(run_firstmile({"summary", "--help"}).exit_code == 0);
  CHECK(run_firstmile({"--version"}).out.rfind("firstmile ", 0) == 0);
}

TEST_CASE("import-dataset then summary --format json on one database file") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  CommandResult imported = run_firstmile({"import-dataset", fixture(), "--name", "small", "--db", db});
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.out.find("6 records, 5 issues") != std::string::npos);
  CommandResult summary = run_firstmile({"summary", "--db", db, "--format", "json"});
  REQUIRE(summary.exit_code == 0);
  auto json = nlohmann::json::parse(summary.out);
  CHECK(json["annotations"] == 6);
  CHECK(json["issues"] == 5);
  CHECK(json["series"]["DeepSeek"] == 3);
}

TEST_CASE("FIRSTMILE_DB names the database when --db is absent") {
  TempDir dir;
  std::string db = (dir / "env.db").string();
  setenv("FIRSTMILE_DB", db.c_str(), 1);
  CommandResult r = run_firstmile({"import-dataset", fixture()});
  unsetenv("FIRSTMILE_DB");
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(db));
}

TEST_CASE("a truncated dataset file exits 2 naming file and position, and leaves the database unchanged") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", fixture(), "--name", "small", "--db", db}).exit_code == 0);
  std::string before = file_bytes(db);
  fs::path bad = dir / "bad";
  fs::copy(test_data("dataset-small"), bad, fs::copy_options::recursive);
  std::string content = file_bytes(bad / "OwnerB/m2/m2.json");
  write_file(bad / "OwnerB/m2/m2.json", content.substr(0, content.size() / 2));
  CommandResult r = run_firstmile({"import-dataset", bad.string(), "--name", "small", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("m2.json: line ") != std::string::npos);
  CHECK(r.err.find("column") != std::string::npos);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("a wrong type in a dataset file exits 2 naming file, record and field, database unchanged") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", fixture(), "--name", "small", "--db", db}).exit_code == 0);
  std::string before = file_bytes(db);
  fs::path bad = dir / "bad";
  fs::copy(test_data("dataset-small"), bad, fs::copy_options::recursive);
  write_file(bad / "OwnerB/m2/m2.json",
             R"([{"link": "https://github.com/o/r/issues/1", "SYMPTOM": ["Hang"], "ROOT CAUSE": "x", "STAGE": "y"}])");
  CommandResult r = run_firstmile({"import-dataset", bad.string(), "--name", "small", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("m2.json: record 1: field 'SYMPTOM' must be a string, got array") != std::string::npos);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("an unknown label exits 2 naming file and record, --lenient imports it") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  fs::path bad = dir / "bad";
  fs::copy(test_data("dataset-small"), bad, fs::copy_options::recursive);
  write_file(bad / "OwnerB/m2/m2.json",
             R"([{"link": "https://github.com/QwenLM/Qwen/issues/1", "SYMPTOM": "Hang - Generation Process Stuck",
                  "ROOT CAUSE": "Gremlins", "STAGE": "Inference"}])");
  CommandResult refused = run_firstmile({"import-dataset", bad.string(), "--db", db});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("m2.json: record 1: field 'ROOT CAUSE': label 'Gremlins'") != std::string::npos);
  CHECK_FALSE(fs::exists(db));  // a refused import leaves no database where there was none
  write_file(dir / "broken.json", "[{\"number\": 1, ");
  CommandResult broken = run_firstmile({"import", "issues", (dir / "broken.json").string(), "--db", db});
  CHECK(broken.exit_code == 2);
  CHECK_FALSE(fs::exists(db));
  write_file(dir / "x.json.gz", "not gzip");
  CHECK(run_firstmile({"import", "gharchive", (dir / "x.json.gz").string(), "--db", db}).exit_code == 2);
  CHECK_FALSE(fs::exists(db));
  CHECK(run_firstmile({"git", (dir / "no-repo").string(), "--repo", "a/b", "--db", db}).exit_code == 2);
  CHECK_FALSE(fs::exists(db));
  CommandResult lenient = run_firstmile({"import-dataset", bad.string(), "--db", db, "--lenient"});
  CHECK(lenient.exit_code == 0);
  CHECK(lenient.out.find("Labels outside the taxonomy, imported unmapped: 1") != std::string::npos);
  CommandResult check = run_firstmile({"check", "--db", db});
  CHECK(check.exit_code == 1);
  CHECK(check.out.find("[unmapped-labels]") != std::string::npos);
}

TEST_CASE("check on a missing database exits 2 and says so") {
  TempDir dir;
  CommandResult r = run_firstmile({"check", "--db", (dir / "none.db").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no such database") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "none.db"));
}

TEST_CASE("a bad taxonomy file exits 2 naming the node") {
  TempDir dir;
  write_file(dir / "tax.json", R"({"taxonomy": "t", "version": "1", "dimensions": [{"id": "symptom"}],
    "nodes": [{"id": "a", "dimension": "symptom", "name": "A"}, {"id": "zz.b", "parent": "zz", "name": "B"}]})");
  CommandResult r = run_firstmile({"taxonomy", "--taxonomy", (dir / "tax.json").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("node 2 'zz.b': parent 'zz' is not defined before it") != std::string::npos);
}

TEST_CASE("summary --format csv is RFC 4180 with a header") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", fixture(), "--db", db}).exit_code == 0);
  CommandResult r = run_firstmile({"summary", "--db", db, "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("source,taxonomy,dimension,category_id,category,count,share\r\n", 0) == 0);
}

TEST_CASE("the embedded sample imports through the offline path with every label mapped") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  CommandResult issues = run_firstmile({"import", "issues", source_file("data/sample/issues.json").string(),
                                        source_file("data/sample/comments.json").string(), "--db", db});
  REQUIRE(issues.exit_code == 0);
  CHECK(issues.out.find("55 issues (3 pull requests), 44 comments") != std::string::npos);
  CommandResult labels =
      run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--name", "sample", "--db", db});
  REQUIRE(labels.exit_code == 0);
  CHECK(labels.out.find("45 records, 44 issues (0 new)") != std::string::npos);
  // Every labelled issue has its text: check finds notes only.
  CommandResult check = run_firstmile({"check", "--db", db, "--format", "json"});
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("issues-without-text") == std::string::npos);
  auto summary = nlohmann::json::parse(run_firstmile({"summary", "--db", db, "--format", "json"}).out);
  CHECK(summary["annotations"] == 45);
  CHECK(summary["unmapped"] == 0);
}

TEST_CASE("import issues with a malformed file exits 2 and leaves the database unchanged") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import", "issues", source_file("data/sample/issues.json").string(), "--db", db}).exit_code ==
          0);
  std::string before = file_bytes(db);
  write_file(dir / "bad.json", R"([{"html_url": "https://github.com/o/r/issues/1", "number": "one"}])");
  CommandResult r = run_firstmile({"import", "issues", (dir / "bad.json").string(), "--db", db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.json: line 1: element 1: field 'number' must be an integer, got string") != std::string::npos);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("import-dataset of the published dataset then summary --format json matches the reference counts") {
  fs::path dataset = require_shared("datasets/open-llm-failures");
  auto reference = nlohmann::json::parse(file_bytes(require_shared("reference/open-llm-failures-stats.json")));
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", dataset.string(), "--db", db}).exit_code == 0);
  CommandResult r = run_firstmile({"summary", "--db", db, "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto summary = nlohmann::json::parse(r.out);
  CHECK(summary["annotations"] == 706);
  CHECK(summary["issues"] == 703);
  CHECK(summary["annotations"] == reference["records"]);
  CHECK(summary["issues"] == reference["unique_links"]);
  for (const char* dimension : {"symptom_l1", "root_cause_l1", "stage"}) {
    std::string ours = std::string(dimension) == "stage"
                           ? "stage"
                           : std::string(dimension).substr(0, std::string(dimension).size() - 3);
    CHECK_MESSAGE(nlohmann::json(summary[ours]) == reference[dimension], dimension);
  }
}

TEST_CASE("analyze prints the findings and writes paper files with --out") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--name", "sample", "--db", db})
              .exit_code == 0);
  CommandResult r = run_firstmile({"analyze", "--db", db, "--out", (dir / "paper").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Diagnostic divergence") != std::string::npos);
  CHECK(r.out.find("Systemic homogeneity") != std::string::npos);
  CHECK(r.out.find("Lifecycle escalation") != std::string::npos);
  CHECK(fs::exists(dir / "paper" / "README.md"));
  CHECK(fs::exists(dir / "paper" / "fig_symptom_by_root_cause.svg"));
  CHECK(fs::exists(dir / "paper" / "table_symptom_by_root_cause.tex"));
  auto json = nlohmann::json::parse(run_firstmile({"analyze", "--db", db, "--format", "json"}).out);
  CHECK(json["annotations"] == 45);
  CHECK(json["rq3_symptom_by_root_cause"]["test"]["dof"] == 32);
}

TEST_CASE("analyze refuses a malformed version pair with exit code 2") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--db", db}).exit_code == 0);
  CommandResult r = run_firstmile({"analyze", "--db", db, "--evolution", "llama"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--evolution 'llama': expected EARLIER:LATER") != std::string::npos);
}

TEST_CASE("bytes that are not UTF-8: a path imports, a name or a sheet cell is refused where it is") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  const std::string odd = (dir / "bad\xff\xfename.json").string();  // a path is bytes
  write_file(odd, file_bytes(source_file("data/sample/issues.json")));
  CommandResult imported = run_firstmile({"import", "issues", odd, "--db", db});
  CHECK_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.err.find("internal error") == std::string::npos);
  CommandResult source = run_firstmile({"classify", "--db", db, "--source", "mine\xff"});
  CHECK(source.exit_code == 2);
  CHECK(source.err.find("classify --source: 'mine\xef\xbf\xbd' is not UTF-8 text") != std::string::npos);
  CommandResult name = run_firstmile({"aggregate", "--db", db, "--name", "n\xff"});
  CHECK(name.exit_code == 2);
  CHECK(name.err.find("is not UTF-8 text") != std::string::npos);
  for (const CommandResult* r : {&source, &name}) CHECK(r->err.find("internal error") == std::string::npos);
}
