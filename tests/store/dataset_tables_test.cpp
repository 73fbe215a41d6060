// Tests of store/dataset_tables.h.
#include <doctest/doctest.h>

#include "store/dataset_tables.h"
#include "store/store.h"

using namespace firstmile;

namespace {

DatasetRecordRow record(int64_t index, int64_t annotation_id) {
  return {.source = "gold:demo",
          .file = "Qwen/Qwen.json",
          .record_index = index,
          .number = index == 2 ? std::optional<int64_t>(7) : std::nullopt,
          .link = "https://github.com/QwenLM/Qwen/issues/1",
          .status = "closed",
          .symptom_label = "Crash",
          .root_cause_label = "Config",
          .stage_label = "Deployment",
          .model = "Qwen",
          .architecture = "Dense",
          .annotation_id = annotation_id};
}

}  // namespace

TEST_CASE("dataset records are written as read, and cleared per source") {
  Store store = Store::open_memory();
  Annotation a;
  a.issue_id = store.ensure_issue(store.upsert_repository({"QwenLM", "Qwen", "", "", ""}), 1,
                                  "https://github.com/QwenLM/Qwen/issues/1");
  a.source = "gold:demo";
  a.taxonomy = "t";
  int64_t annotation = store.upsert_annotation(a);
  save_dataset_record(store, record(1, annotation));
  save_dataset_record(store, record(2, annotation));
  Query q = store.db().query(
      "SELECT group_concat(record_index || ':' || coalesce(number, '-') || ':' || symptom_label, ',') "
      "FROM dataset_records WHERE source = 'gold:demo' AND annotation_id = " +
      std::to_string(annotation));
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "1:-:Crash,2:7:Crash");
  clear_dataset_records(store, "gold:other");
  CHECK(store.db().query_int("SELECT count(*) FROM dataset_records") == 2);
  clear_dataset_records(store, "gold:demo");
  CHECK(store.db().query_int("SELECT count(*) FROM dataset_records") == 0);
}

TEST_CASE("a dataset import is saved once per source, the later replacing the earlier") {
  Store store = Store::open_memory();
  int64_t run1 = store.begin_run("import-dataset", {}, nullptr);
  int64_t run2 = store.begin_run("import-dataset", {}, nullptr);
  save_dataset_import(store, {"gold:demo", "/data/demo", 3, 10, 12, run1, "2024-05-01T00:00:00Z"});
  save_dataset_import(store, {"gold:demo", "/data/demo2", 4, 11, std::nullopt, run2, "2024-05-02T00:00:00Z"});
  Query q =
      store.db().query("SELECT path, files, records, stated_records IS NULL, imported_at, run_id FROM dataset_imports");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "/data/demo2");
  CHECK(q.column_int(1) == 4);
  CHECK(q.column_int(2) == 11);
  CHECK(q.column_int(3) == 1);
  CHECK(q.column_text(4) == "2024-05-02T00:00:00Z");
  CHECK(q.column_int(5) == run2);
  CHECK_FALSE(q.step());
}

TEST_CASE("stale annotations of a dataset are those of its source written by other runs") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t run1 = store.begin_run("import-dataset", {}, nullptr);
  int64_t run2 = store.begin_run("import-dataset", {}, nullptr);
  auto annotate = [&](int64_t number, const std::string& source, std::optional<int64_t> run) {
    Annotation a;
    a.issue_id = store.ensure_issue(repo, number, "https://github.com/o/r/issues/" + std::to_string(number));
    a.source = source;
    a.taxonomy = "t";
    a.run_id = run;
    store.upsert_annotation(a);
  };
  annotate(1, "gold:demo", run1);
  annotate(2, "gold:demo", run2);
  annotate(3, "gold:demo", std::nullopt);
  annotate(4, "gold:other", run1);
  remove_stale_dataset_annotations(store, "gold:demo", run2);
  Query q = store.db().query(
      "SELECT group_concat(number) FROM (SELECT i.number FROM annotations a JOIN issues i ON i.id = a.issue_id "
      "ORDER BY i.number)");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "2,4");
}
