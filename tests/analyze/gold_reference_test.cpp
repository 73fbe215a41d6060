// The published dataset, imported and summarised, against the independently computed
// reference counts in ../shared/reference (scipy/numpy). Skipped when ../shared is missing.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "analyze/label_view.h"
#include "analyze/summary.h"
#include "base/json_file.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

struct Gold {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = Store::open_memory();
  nlohmann::json reference;
  DatasetImportSummary imported;
  Gold() {
    std::filesystem::path dataset = require_shared("datasets/open-llm-failures");
    reference = read_json_file(require_shared("reference/open-llm-failures-stats.json"));
    DatasetImportOptions o;
    o.name = "open-llm-failures";
    imported = import_dataset(store, taxonomy, load_preset("open-llm-failures"), dataset, o);
  }
};

std::map<std::string, int64_t> counts_of(const Summary& s, const std::string& dimension) {
  std::map<std::string, int64_t> out;
  for (const auto& t : s.tables) {
    if (t.dimension != dimension) continue;
    for (const auto& c : t.rows) {
      if (c.count) out[c.name] = c.count;
    }
  }
  return out;
}

std::map<std::string, int64_t> reference_counts(const nlohmann::json& j) {
  std::map<std::string, int64_t> out;
  for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value().get<int64_t>();
  return out;
}

// Counts of full label paths ("Crash / CUDA Error / Out of Memory"), straight from the store.
std::map<std::string, int64_t> path_counts(Gold& g, const std::string& column) {
  std::map<std::string, int64_t> out;
  Query s = g.store.db().query(
      "SELECT n.path, count(*) FROM annotations a JOIN taxonomy_nodes n ON "
      "n.taxonomy = a.taxonomy AND n.id = a." +
      column + " GROUP BY n.path");
  while (s.step()) out[s.column_text(0)] = s.column_int(1);
  return out;
}

}  // namespace

TEST_CASE("the published dataset imports as 706 annotations on 703 issues with every label mapped") {
  Gold g;
  CHECK(g.imported.records == g.reference["records"].get<int64_t>());
  CHECK(g.imported.issues == g.reference["unique_links"].get<int64_t>());
  CHECK(g.imported.files == 14);
  CHECK(g.imported.unmapped_labels == 0);
  CHECK(g.imported.normalised_labels == 1);
  CHECK(g.imported.repositories == 14);
}

TEST_CASE("top-level counts of the published dataset equal the reference") {
  Gold g;
  LabelView view(g.store, g.taxonomy, {});
  Summary s = summarize(g.store, view, {});
  CHECK(s.annotations == 706);
  CHECK(s.issues == 703);
  CHECK(counts_of(s, "symptom") == reference_counts(g.reference["symptom_l1"]));
  CHECK(counts_of(s, "root_cause") == reference_counts(g.reference["root_cause_l1"]));
  CHECK(counts_of(s, "stage") == reference_counts(g.reference["stage"]));
}

TEST_CASE("full-path counts of the published dataset equal the reference") {
  Gold g;
  CHECK(path_counts(g, "symptom") == reference_counts(g.reference["symptom_path"]));
  CHECK(path_counts(g, "root_cause") == reference_counts(g.reference["root_cause_path"]));
}

TEST_CASE("series counts of the published dataset equal the reference's series tables") {
  Gold g;
  LabelView view(g.store, g.taxonomy, {});
  Summary s = summarize(g.store, view, {});
  const auto& table = g.reference["rq4_series_by_symptom"];
  std::map<std::string, int64_t> expected;
  for (size_t r = 0; r < table["rows"].size(); ++r) {
    int64_t total = 0;
    for (const auto& c : table["counts"][r]) total += c.get<int64_t>();
    expected[table["rows"][r].get<std::string>()] = total;
  }
  CHECK(counts_of(s, "series") == expected);
}
