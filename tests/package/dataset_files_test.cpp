// Tests of package/dataset_files.h through `firstmile package`: a source that was not imported
// from a published dataset is written from its annotations, and reads back as the same labels.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/firstmile_process.h"

using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

using Label = std::tuple<std::string, int64_t, std::string, std::string, std::string>;

// (repository, number, symptom, root cause, stage) of a packaged source's failures.
std::set<Label> failures(const fs::path& package, const std::string& source) {
  std::set<Label> out;
  std::istringstream lines(file_bytes(package / "tables" / "annotations.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    auto a = nlohmann::json::parse(line);
    if (a["source"] != source || a["is_failure"] == 0 || a["symptom"].is_null() || a["root_cause"].is_null() ||
        a["stage"].is_null())
      continue;
    out.insert(Label{a["repository"].get<std::string>(), a["number"].get<int64_t>(), a["symptom"].get<std::string>(),
                     a["root_cause"].get<std::string>(), a["stage"].get<std::string>()});
  }
  return out;
}

}  // namespace

TEST_CASE("the rules' labels are written in the published layout and read back as the same labels") {
  TempDir dir;
  std::string db = import_sample(dir);
  REQUIRE(run_firstmile({"classify", "--route", "rules", "--db", db}).exit_code == 0);
  CommandResult r = run_firstmile({"package", (dir / "pkg").string(), "--source", "rules", "--keep-logins", "--db", db});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto manifest = nlohmann::json::parse(file_bytes(dir / "pkg" / "MANIFEST.json"));
  CHECK(manifest["dataset"]["source"] == "rules");
  CHECK(manifest["dataset"]["written_from"] == "annotations");
  std::set<Label> rules = failures(dir / "pkg", "rules");
  REQUIRE(rules.size() > 30);
  CHECK(manifest["dataset"]["records"] == rules.size());

  std::string again = (dir / "again.db").string();
  CommandResult imported = run_firstmile({"import-dataset", (dir / "pkg").string(), "--db", again});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  REQUIRE(run_firstmile({"package", (dir / "again").string(), "--keep-logins", "--db", again}).exit_code == 0);
  CHECK(failures(dir / "again", "gold:rules") == rules);
}
