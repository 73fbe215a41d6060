// Tests of analyze/summary.h and analyze/label_view.h on the fixture dataset.
#include <doctest/doctest.h>

#include <sstream>

#include "analyze/label_view.h"
#include "analyze/summary.h"
#include "base/error.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

Store loaded_store(const Taxonomy& taxonomy) {
  Store store = Store::open_memory();
  DatasetImportOptions o;
  o.name = "small";
  import_dataset(store, taxonomy, load_preset(source_file("data/presets/open-llm-failures.json").string()),
                 test_data("dataset-small"), o);
  return store;
}

const SummaryTable& table(const Summary& s, const std::string& dimension) {
  for (const auto& t : s.tables) {
    if (t.dimension == dimension) return t;
  }
  throw Error("no table " + dimension);
}

int64_t count(const SummaryTable& t, const std::string& name) {
  for (const auto& c : t.rows) {
    if (c.name == name) return c.count;
  }
  return -1;
}

}  // namespace

TEST_CASE("summary counts annotations per top-level category and lists empty categories") {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = loaded_store(taxonomy);
  LabelView view(store, taxonomy, {});
  Summary s = summarize(store, view, {});
  CHECK(s.source == "gold:small");
  CHECK(s.annotations == 6);
  CHECK(s.issues == 5);
  CHECK(count(table(s, "series"), "DeepSeek") == 3);
  CHECK(count(table(s, "series"), "Qwen") == 2);
  CHECK(count(table(s, "symptom"), "Crash") == 2);
  CHECK(count(table(s, "symptom"), "Hang") == 1);
  CHECK(table(s, "symptom").rows.size() == 5);
  CHECK(count(table(s, "root_cause"), "Model Corruption Issues") == 0);
  CHECK(table(s, "root_cause").rows.size() == 9);
  CHECK(count(table(s, "stage"), "Fine-tuning") == 1);
}

TEST_CASE("summary filters by series and model") {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = loaded_store(taxonomy);
  LabelView view(store, taxonomy, {});
  CHECK(summarize(store, view, {"gold", {"Qwen"}, {}}).annotations == 2);
  CHECK(summarize(store, view, {"gold", {}, {"llama3", "DeepSeek-V3"}}).annotations == 4);
}

TEST_CASE("summary under the folded taxonomy goes through the crosswalk") {
  const Taxonomy& study = shipped_taxonomy();
  Taxonomy folded = Taxonomy::load(source_file("taxonomy/folded.json"));
  Store store = loaded_store(study);
  LabelView view(store, folded, {});
  Summary s = summarize(store, view, {});
  CHECK(s.taxonomy == "open-llm-failures-folded");
  CHECK(table(s, "symptom").rows.size() == 4);
  CHECK(table(s, "root_cause").rows.size() == 5);
  // Hang and Poor Performance fold into one category: 1 + 1.
  int64_t folded_total = 0;
  for (const auto& c : table(s, "symptom").rows) folded_total += c.count;
  CHECK(folded_total == 6);
  CHECK(count(table(s, "symptom"), "Crash") == 2);
}

TEST_CASE("summary json and csv carry the same counts as the table") {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = loaded_store(taxonomy);
  LabelView view(store, taxonomy, {});
  Summary s = summarize(store, view, {});
  auto json = summary_to_json(s);
  CHECK(json["annotations"] == 6);
  CHECK(json["symptom"]["Crash"] == 2);
  std::ostringstream csv;
  print_summary_csv(s, csv);
  CHECK(csv.str().find("gold:small,open-llm-failures,symptom,") != std::string::npos);
  CHECK(csv.str().find(",Crash,2,0.333333\r\n") != std::string::npos);
}

TEST_CASE("summary sums the reactions on the counted issues and their comments, once per issue") {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = loaded_store(taxonomy);
  LabelView view(store, taxonomy, {});
  std::ostringstream before;
  print_summary_table(summarize(store, view, {}), before);
  CHECK(before.str().find("Reactions") == std::string::npos);  // none known: no line
  // Reactions on two annotated issues (one of them with two failures: counted once), and on a
  // comment of one of them; an issue outside the annotations is not counted.
  Database& db = store.db();
  db.exec("UPDATE issues SET reactions_total = 3, reactions = '{}' WHERE id IN "
          "(SELECT issue_id FROM annotations GROUP BY issue_id ORDER BY count(*) DESC, issue_id LIMIT 2)");
  int64_t reacted = db.query_int("SELECT min(id) FROM issues WHERE reactions_total IS NOT NULL");
  db.exec("INSERT INTO comments (github_id, issue_id, reactions_total) VALUES (1, " + std::to_string(reacted) + ", 4)");
  int64_t repo = db.query_int("SELECT min(id) FROM repositories");
  db.exec("INSERT INTO issues (repository_id, number, url, reactions_total) VALUES (" + std::to_string(repo) +
          ", 999, 'https://github.com/o/r/issues/999', 100)");
  Summary s = summarize(store, view, {});
  CHECK(s.issues_with_reactions == 2);
  CHECK(s.issue_reactions == 6);
  CHECK(s.comment_reactions == 4);
  std::ostringstream out;
  print_summary_table(s, out);
  CHECK(out.str().find("Reactions: 6 on 2 of the " + std::to_string(s.issues) +
                       " issues whose reactions are known, 4 on their comments\n") != std::string::npos);
  CHECK(summary_to_json(s)["reactions"]["issues"] == 6);
}
