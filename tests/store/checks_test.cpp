// Tests of store/checks.h: each question on a small database built for it.
#include <doctest/doctest.h>

#include "store/checks.h"
#include "store/dataset_tables.h"
#include "store/store.h"

using namespace firstmile;

namespace {

struct Fixture {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"acme", "demo", "", "", ""});
  int64_t other = store.upsert_repository({"QwenLM", "Qwen", "", "", ""});

  int64_t annotate(int64_t repository, int64_t number, const std::string& source, int failure,
                   std::optional<std::string> symptom = "crash", std::string symptom_label = "Crash") {
    Annotation a;
    a.issue_id = store.ensure_issue(repository, number, "https://github.com/x/y/issues/" + std::to_string(number));
    a.failure_index = failure;
    a.source = source;
    a.taxonomy = "t1";
    a.symptom = symptom;
    a.symptom_label = symptom_label;
    a.root_cause = "config";
    a.root_cause_label = "Config";
    a.mapped = symptom.has_value();
    return store.upsert_annotation(a);
  }

  void record(const std::string& file, int64_t index, std::optional<int64_t> number, const std::string& link,
              const std::string& symptom, int64_t annotation) {
    save_dataset_record(store, {.source = "gold:demo",
                                .file = file,
                                .record_index = index,
                                .number = number,
                                .link = link,
                                .status = "",
                                .symptom_label = symptom,
                                .root_cause_label = "Config",
                                .stage_label = "Deployment",
                                .model = "",
                                .architecture = "",
                                .annotation_id = annotation});
  }
};

}  // namespace

TEST_CASE("dataset records: duplicates with their places in file order, labels, and numbers out of place") {
  Fixture f;
  int64_t a = f.annotate(f.repo, 1, "gold:demo", 1);
  f.record("b.json", 1, 1, "https://github.com/acme/demo/issues/1", "Crash", a);
  f.record("a.json", 2, 5, "https://github.com/acme/demo/issues/1", "Crash", a);
  f.record("a.json", 1, std::nullopt, "https://github.com/acme/demo/issues/1", "Crash  - OOM", a);
  std::vector<DuplicateRecord> duplicates = duplicate_dataset_records(f.store);
  REQUIRE(duplicates.size() == 1);
  CHECK(duplicates[0].source == "gold:demo");
  CHECK(duplicates[0].places == "a.json record 2; b.json record 1");
  std::vector<RecordLabels> labels = dataset_record_labels(f.store);
  REQUIRE(labels.size() == 3);
  CHECK(labels[0].file == "a.json");
  CHECK(labels[0].record_index == 1);
  CHECK(labels[0].symptom == "Crash  - OOM");
  std::vector<MisnumberedRecord> misnumbered = misnumbered_dataset_records(f.store);
  REQUIRE(misnumbered.size() == 1);
  CHECK(misnumbered[0].file == "a.json");
  CHECK(misnumbered[0].record_index == 2);
  CHECK(misnumbered[0].number == 5);
}

TEST_CASE("annotations: issues with several failures, unmapped labels, and node ids in use") {
  Fixture f;
  f.annotate(f.other, 9, "gold:demo", 1);
  f.annotate(f.other, 9, "gold:demo", 2);
  f.annotate(f.repo, 3, "gold:demo", 1, std::nullopt, "Explodes");
  f.annotate(f.repo, 3, "rules", 1);
  std::vector<SeveralFailures> several = issues_with_several_failures(f.store);
  REQUIRE(several.size() == 1);
  CHECK(several[0].issue == "QwenLM/Qwen#9");
  CHECK(several[0].failures == 2);
  std::vector<UnmappedAnnotation> unmapped = unmapped_annotations(f.store);
  REQUIRE(unmapped.size() == 1);
  CHECK(unmapped[0].issue == "acme/demo#3");
  CHECK_FALSE(unmapped[0].symptom.has_value());
  CHECK(unmapped[0].symptom_label == "Explodes");
  CHECK(unmapped[0].root_cause == "config");
  CHECK(unmapped[0].stage_label == "");
  std::string uses;
  for (const NodeUse& n : node_uses(f.store, "t1"))
    uses += n.source + ":" + n.node + "=" + std::to_string(n.annotations) + " ";
  CHECK(uses == "gold:demo:config=3 gold:demo:crash=2 rules:config=1 rules:crash=1 ");
  CHECK(node_uses(f.store, "t2").empty());
}

TEST_CASE("imports with their stated counts, and issues without text by repository and number") {
  Fixture f;
  int64_t run = f.store.begin_run("import-dataset", {}, nullptr);
  save_dataset_import(f.store, {"gold:demo", "/data/demo", 1, 10, 12, run, "2024-05-01T00:00:00Z"});
  save_dataset_import(f.store, {"gold:more", "/data/more", 1, 4, std::nullopt, run, "2024-05-01T00:00:00Z"});
  std::vector<DatasetImportCount> counts = dataset_import_counts(f.store);
  REQUIRE(counts.size() == 2);
  CHECK(counts[0].records == 10);
  CHECK(counts[0].stated_records == 12);
  CHECK(counts[0].path == "/data/demo");
  CHECK_FALSE(counts[1].stated_records.has_value());
  f.store.ensure_issue(f.repo, 12, "https://github.com/acme/demo/issues/12");
  f.store.ensure_issue(f.other, 2, "https://github.com/QwenLM/Qwen/issues/2");
  f.store.ensure_issue(f.repo, 2, "https://github.com/acme/demo/issues/2");
  // Owners and names compare without case (the columns' collation), numbers as numbers.
  CHECK(issues_without_text(f.store) == std::vector<std::string>{"acme/demo#2", "acme/demo#12", "QwenLM/Qwen#2"});
}
