// firstmile priors end to end on the embedded sample: written as a rule file that classify
// and explain then start their root causes from; bad input refused with nothing written.
#include <doctest/doctest.h>

#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE(
    "priors learnt from the sample's gold labels, leaving out the classified issues, drive classify and explain") {
  TempDir dir;
  std::string db = import_sample(dir);
  REQUIRE(run_firstmile({"classify", "--db", db}).exit_code == 0);

  // Standard output by default; every gold-labelled issue was classified, so --except leaves all out.
  CommandResult out = run_firstmile({"priors", "--db", db, "--gold", "gold", "--min-labels", "3"});
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  CHECK(contains(out.out, "\"given\""));
  CHECK(contains(out.out, "gold:sample ("));
  CommandResult all_out = run_firstmile({"priors", "--db", db, "--except", "rules"});
  CHECK(all_out.exit_code == 2);
  CHECK(contains(all_out.err, "no failure labelled with stage, symptom and root cause outside the issues of rules"));

  // Into a copy of the shipped rules, in place of the shipped priors.
  fs::path rules = dir / "rules";
  fs::copy(source_file("taxonomy/rules"), rules);
  CommandResult written = run_firstmile(
      {"priors", "--db", db, "--min-labels", "3", "--weight", "6", "-o", (rules / "priors.json").string()});
  REQUIRE_MESSAGE(written.exit_code == 0, written.err);
  CHECK(contains(written.err, "cells from gold:sample"));
  CHECK(contains(file_bytes(rules / "priors.json"), "\"weight\": 6"));
  CHECK_FALSE(fs::exists(rules / "priors.json.tmp"));

  CommandResult classify =
      run_firstmile({"classify", "--db", db, "--rules", rules.string(), "--source", "with-priors"});
  REQUIRE_MESSAGE(classify.exit_code == 0, classify.err);
  {
    firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kMustExist);
    // The priors move root causes only: the same issues are failure reports as under the
    // shipped rules, and every failure's root cause records the cell it started from.
    int64_t failures =
        store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'rules' AND is_failure = 1");
    CHECK(store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'with-priors' AND is_failure = 1") ==
          failures);
    CHECK(store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'with-priors' AND is_failure = 1 AND "
                               "json_extract(evidence, '$.root_cause.given.labels') IS NULL") == 0);
  }
  CommandResult explain = run_firstmile({"explain", "QwenLM/Qwen2.5#9001", "--db", db, "--rules", rules.string()});
  REQUIRE_MESSAGE(explain.exit_code == 0, explain.err);
  CHECK(contains(explain.out, "started from P(cause | "));
}

TEST_CASE("priors refuses an unknown source or an unwritable file, and leaves the old file") {
  TempDir dir;
  std::string db = (dir / "t.db").string();
  REQUIRE(run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--name", "sample", "--db", db})
              .exit_code == 0);
  CommandResult unknown = run_firstmile({"priors", "--db", db, "--gold", "manual:nobody"});
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "no annotation source matches 'manual:nobody'"));

  write_file(dir / "priors.json", "old");
  CommandResult bad = run_firstmile({"priors", "--db", db, "--min-labels", "0", "-o", (dir / "priors.json").string()});
  CHECK(bad.exit_code == 2);  // --min-labels must be positive
  CHECK(file_bytes(dir / "priors.json") == "old");
  CommandResult nowhere = run_firstmile({"priors", "--db", db, "-o", (dir / "no" / "such" / "priors.json").string()});
  CHECK(nowhere.exit_code == 2);
  CHECK(contains(nowhere.err, "cannot write"));
  CHECK(file_bytes(dir / "priors.json") == "old");
}
