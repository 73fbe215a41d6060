// firstmile train end to end on the embedded sample: the text model written as a rule file,
// used by classify (its probability in the evidence) and retrained per fold by calibrate;
// bad input refused with nothing written.
#include <doctest/doctest.h>

#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a text model trained on the sample's gold labels drives classify and is retrained per fold") {
  TempDir dir;
  std::string db = import_sample(dir);
  fs::path rules = dir / "rules";
  fs::copy(source_file("taxonomy/rules"), rules);
  fs::remove(rules / "text_model.json");

  CommandResult out = run_firstmile({"train", "--db", db, "--dimension", "symptom", "--dimension", "root_cause"});
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  CHECK(contains(out.out, "\"text_model\""));
  CHECK(contains(out.out, "\"dimensions\":[\"symptom\",\"root_cause\"]"));

  CommandResult written = run_firstmile({"train", "--db", db, "--rules", rules.string(), "--weight", "3", "-o",
                                         (rules / "text_model.json").string()});
  REQUIRE_MESSAGE(written.exit_code == 0, written.err);
  CHECK(contains(written.err, "Trained on gold:sample ("));
  CHECK(contains(written.err, "  symptom: "));
  CHECK_FALSE(fs::exists(rules / "text_model.json.tmp"));

  CommandResult classify = run_firstmile({"classify", "--db", db, "--rules", rules.string(), "--source", "with-model"});
  REQUIRE_MESSAGE(classify.exit_code == 0, classify.err);
  {
    firstmile::Store store = firstmile::Store::open(db, firstmile::Database::kMustExist);
    int64_t failures =
        store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'with-model' AND is_failure = 1");
    CHECK(failures > 0);
    CHECK(store.db().query_int("SELECT count(*) FROM annotations WHERE source = 'with-model' AND is_failure = 1 AND "
                               "json_extract(evidence, '$.symptom.text_model_p') BETWEEN 0 AND 1") == failures);
  }
  CommandResult cal =
      run_firstmile({"calibrate", "--db", db, "--rules", rules.string(), "--folds", "3", "--group", "issue"});
  REQUIRE_MESSAGE(cal.exit_code == 0, cal.err);
  CHECK(contains(cal.out, "Text model: gold:sample ("));
  CHECK(contains(cal.out, "(retrained without each fold it scores)"));
  CHECK(contains(cal.out, "Held-out recall and precision per top-level class:"));
  CommandResult two = run_firstmile({"calibrate", "--db", db, "--rules", rules.string(), "--folds", "2"});
  CHECK(two.exit_code == 2);
  CHECK(contains(two.err, "use --folds 3 or more"));
  CommandResult plain = run_firstmile({"calibrate", "--db", db, "--rules", rules.string()});
  REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
  CHECK(contains(plain.out, "margins are in-sample"));
}

TEST_CASE("train refuses what it cannot learn from, and writes nothing") {
  TempDir dir;
  std::string db = import_sample(dir);
  fs::path out = dir / "model.json";
  CommandResult none = run_firstmile({"train", "--db", db, "--gold", "manual:nobody", "-o", out.string()});
  CHECK(none.exit_code == 2);
  CHECK(contains(none.err, "manual:nobody"));
  CommandResult bad = run_firstmile({"train", "--db", db, "--dimension", "mood", "-o", out.string()});
  CHECK(bad.exit_code != 0);
  CHECK(contains(bad.err, "mood"));
  CHECK_FALSE(fs::exists(out));
}
