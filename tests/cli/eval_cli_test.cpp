// End-to-end tests of firstmile eval, agreement and label export|import.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

// The small dataset as gold, and an annotator's sheet covering three of its five issues.
struct LabelledDb {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  LabelledDb() {
    REQUIRE(run_firstmile({"import-dataset", test_data("dataset-small").string(), "--name", "small", "--db", db})
                .exit_code == 0);
    write_file(dir / "ana.csv",
               "repository,number,url,title,body,is_failure,stage,symptom,root_cause,notes\r\n"
               "deepseek-ai/DeepSeek-V3,11,,,,yes,Inference,Crash - CUDA Error - Out of Memory,rc.hardware,\r\n"
               "deepseek-ai/DeepSeek-V3,12,,,,yes,stage.inference,Hang,,\"two\r\nlines, and a comma\"\r\n"
               "QwenLM/Qwen2.5,7,,,,yes,Inference,Crash / CUDA Error,,\r\n"
               "QwenLM/Qwen2.5,8,,,,,,,,not sure yet\r\n");
    CommandResult r = run_firstmile({"label", "import", (dir / "ana.csv").string(), "--as", "ana", "--db", db});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Imported 3 labelled rows as manual:ana (1 blank rows skipped") != std::string::npos);
  }
};

}  // namespace

TEST_CASE("firstmile --help lists eval, agreement and label") {
  CommandResult r = run_firstmile({"--help"});
  for (const char* sub : {"eval", "agreement", "label"}) CHECK(r.out.find(sub) != std::string::npos);
}

TEST_CASE("eval scores an imported sheet against the gold labels") {
  LabelledDb l;
  CommandResult r = run_firstmile({"eval", "--gold", "gold", "--pred", "manual:ana", "--db", l.db, "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.out);
  CHECK(json["gold"] == "gold:small");
  CHECK(json["coverage"]["gold_issues"] == 5);
  CHECK(json["coverage"]["gold_issues_without_prediction"] == 2);
  for (const auto& level : json["levels"]) {
    if (level["dimension"] == "symptom" && level["level"] == 1) {
      CHECK(level["n"] == 3);
      CHECK(level["accuracy"].get<double>() == doctest::Approx(2.0 / 3));
      CHECK(level["kappa"].get<double>() == doctest::Approx(0.5));
      REQUIRE(level["disagreements"].size() == 1);
      CHECK(level["disagreements"][0]["url"] == "https://github.com/QwenLM/Qwen2.5/issues/7");
    }
  }
  CommandResult table =
      run_firstmile({"eval", "--pred", "manual", "--db", l.db, "--dimension", "symptom", "--level", "2"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("Per class: symptom L2") != std::string::npos);
  CHECK(table.out.find("Confusion matrix") != std::string::npos);
  CHECK(table.out.find("QwenLM/Qwen2.5#7  gold: Incorrect Functionality / Generation Quality Anomaly  predicted: "
                       "Crash / CUDA Error") != std::string::npos);
}

TEST_CASE("eval --out writes the same CSV files on every run") {
  LabelledDb l;
  fs::path a = l.dir / "a", b = l.dir / "b";
  REQUIRE(
      run_firstmile({"eval", "--pred", "manual:ana", "--db", l.db, "--out", a.string(), "--format", "csv"}).exit_code ==
      0);
  REQUIRE(run_firstmile({"eval", "--pred", "manual:ana", "--db", l.db, "--out", b.string()}).exit_code == 0);
  for (const char* name :
       {"summary.csv", "coverage.csv", "per_class.csv", "disagreements.csv", "confusion_symptom_l3.csv"}) {
    REQUIRE(fs::exists(a / name));
    CHECK_MESSAGE(file_bytes(a / name) == file_bytes(b / name), name);
  }
  CHECK(
      file_bytes(a / "summary.csv")
          .rfind(
              "gold,pred,dimension,level,n,correct,pred_missing,accuracy,macro_f1,kappa,accuracy_low,accuracy_high\r\n",
              0) == 0);
}

TEST_CASE("agreement gives Cohen's kappa for two sources") {
  LabelledDb l;
  CommandResult r = run_firstmile(
      {"agreement", "gold", "manual:ana", "--dimension", "symptom", "--level", "1", "--format", "json", "--db", l.db});
  REQUIRE(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.out);
  CHECK(json["issues_all"] == 3);
  REQUIRE(json["levels"].size() == 1);
  CHECK(json["levels"][0]["cohens_kappa"]["kappa"].get<double>() == doctest::Approx(0.5));
  CHECK(json["levels"][0]["raw_agreement"].get<double>() == doctest::Approx(2.0 / 3));
  CommandResult one = run_firstmile({"agreement", "gold", "--db", l.db});
  CHECK(one.exit_code == 2);
}

TEST_CASE("a bad cell in a sheet exits 2 naming file, line and column, and leaves the database unchanged") {
  LabelledDb l;
  std::string before = file_bytes(l.db);
  write_file(l.dir / "bad.csv",
             "repository,number,is_failure,stage,symptom,root_cause,notes\r\n"
             "deepseek-ai/DeepSeek-V3,11,yes,Inference,Crash,,\r\n"
             "deepseek-ai/DeepSeek-V3,12,yes,Inference,Gremlins,,\r\n");
  CommandResult r = run_firstmile({"label", "import", (l.dir / "bad.csv").string(), "--as", "ben", "--db", l.db});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.csv: line 3, column 5 (symptom): unknown symptom 'Gremlins'") != std::string::npos);
  CHECK(file_bytes(l.db) == before);
  write_file(l.dir / "broken.csv", "repository,number,is_failure,stage,symptom,root_cause\r\no/r,1,\"yes,,,\r\n");
  CommandResult broken =
      run_firstmile({"label", "import", (l.dir / "broken.csv").string(), "--as", "ben", "--db", l.db});
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("broken.csv: line 2, column 3: quoted field is never closed") != std::string::npos);
  CHECK(file_bytes(l.db) == before);
}

TEST_CASE("label export writes a reproducible sample of issues with text, without pull requests") {
  LabelledDb l;
  write_file(l.dir / "issues.json", R"([
    {"html_url": "https://github.com/deepseek-ai/DeepSeek-V3/issues/11", "number": 11, "title": "OOM on 8 GPUs",
     "body": "torch.OutOfMemoryError: CUDA out of memory", "state": "closed", "updated_at": "2025-01-01T00:00:00Z"},
    {"html_url": "https://github.com/deepseek-ai/DeepSeek-V3/issues/12", "number": 12, "title": "Stuck, then killed",
     "body": "It hangs", "state": "open", "updated_at": "2025-01-01T00:00:00Z"},
    {"html_url": "https://github.com/QwenLM/Qwen2.5/issues/7", "number": 7, "title": "Repeats itself",
     "body": "Same line again and again", "state": "closed", "updated_at": "2025-01-01T00:00:00Z"},
    {"html_url": "https://github.com/QwenLM/Qwen2.5/pull/30", "number": 30, "title": "Fix docs", "body": "",
     "state": "closed", "updated_at": "2025-01-01T00:00:00Z", "pull_request": {"url": "x"}}])");
  REQUIRE(run_firstmile({"import", "issues", (l.dir / "issues.json").string(), "--db", l.db}).exit_code == 0);
  fs::path a = l.dir / "a.csv", b = l.dir / "b.csv";
  CommandResult r =
      run_firstmile({"label", "export", "--sample", "10", "--seed", "5", "--out", a.string(), "--db", l.db});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Wrote 3 of 3 issues") != std::string::npos);
  REQUIRE(run_firstmile({"label", "export", "--sample", "10", "--seed", "5", "--out", b.string(), "--db", l.db})
              .exit_code == 0);
  CHECK(file_bytes(a) == file_bytes(b));
  CHECK(file_bytes(a).find("Fix docs") == std::string::npos);
  CHECK(fs::exists(l.dir / "a.legend.csv"));
  CommandResult gold_only = run_firstmile({"label", "export", "--sample", "10", "--seed", "5", "--source-filter",
                                           "manual:ana", "--out", (l.dir / "c.csv").string(), "--db", l.db});
  CHECK(gold_only.out.find("Wrote 3 of 3 issues") != std::string::npos);
  // The sheet goes round the loop: filled in, it imports as another annotator.
  std::string sheet = file_bytes(a);
  CHECK(sheet.rfind("repository,number,url,title,body,is_failure,stage,symptom,root_cause,notes\r\n", 0) == 0);
  CHECK(
      run_firstmile({"label", "import", a.string(), "--as", "empty", "--db", l.db}).out.find("3 blank rows skipped") !=
      std::string::npos);
}
