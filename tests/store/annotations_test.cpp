// Tests of store/annotations.cpp: annotations and the sources they come from.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using firstmile::testing::TempDir;

TEST_CASE("an annotation upserted twice keeps its id and takes the new labels") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t issue = store.ensure_issue(repo, 1, "u");
  Annotation a;
  a.issue_id = issue;
  a.source = "manual:ann";
  a.taxonomy = "t";
  a.symptom = "sym.crash";
  int64_t first = store.upsert_annotation(a);
  a.symptom = "sym.hang";
  CHECK(store.upsert_annotation(a) == first);
  a.failure_index = 2;
  CHECK(store.upsert_annotation(a) != first);
  CHECK(store.db().query_int("SELECT count(*) FROM annotations WHERE symptom = 'sym.hang'") == 2);
}

TEST_CASE("source selectors match a kind or an exact source") {
  CHECK(source_matches("gold", "gold:open-llm-failures"));
  CHECK(source_matches("llm", "llm:qwen2.5-7b"));
  CHECK(source_matches("rules", "rules"));
  CHECK(source_matches("", "anything"));
  CHECK(source_matches("manual:ann", "manual:ann"));
  CHECK_FALSE(source_matches("manual:ann", "manual:bob"));
  CHECK_FALSE(source_matches("gold", "golden:x"));
  CHECK_FALSE(source_matches("llm", "rules"));
}

TEST_CASE("the default source is the one gold source, else the only source") {
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(store.default_source(), doctest::Contains("no annotations yet"), Error);
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t issue = store.ensure_issue(repo, 1, "u");
  Annotation a;
  a.issue_id = issue;
  a.taxonomy = "t";
  a.source = "rules";
  store.upsert_annotation(a);
  CHECK(store.default_source() == "rules");
  a.source = "gold:x";
  store.upsert_annotation(a);
  CHECK(store.default_source() == "gold:x");
  a.source = "gold:y";
  store.upsert_annotation(a);
  CHECK_THROWS_WITH_AS(store.default_source(), doctest::Contains("choose one with --source"), Error);
}
