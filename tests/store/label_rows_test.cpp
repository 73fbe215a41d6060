// label_rows: annotations read back by source, by issue, as "labelled by", and as first failures.
#include <doctest/doctest.h>

#include "store/label_rows.h"
#include "store/store.h"

using namespace firstmile;

namespace {

// Issue 1 (with text): gold failure 1 and 2, rules failure 1 (needs review, 0.4), manual "not a
// failure". Issue 2 (a placeholder without text): gold failure 1 with is_failure unknown.
struct Labelled {
  Store store = Store::open_memory();
  int64_t one = 0, two = 0;

  Labelled() {
    int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
    IssueData d;
    d.repository_id = repo;
    d.number = 1;
    d.title = "t";
    d.url = "https://github.com/o/r/issues/1";
    one = store.upsert_issue(d).first;
    two = store.ensure_issue(repo, 2, "https://github.com/o/r/issues/2");
    label(one, "gold:x", 1, 1, "sym.a");
    label(one, "gold:x", 2, 1, "sym.b");
    label(one, "rules", 1, 1, "sym.c", 0.4, true);
    label(one, "manual:ana", 1, 0, "");
    label(two, "gold:x", 1, std::nullopt, "sym.d");
  }
  void label(int64_t issue, const std::string& source, int index, std::optional<int> is_failure,
             const std::string& symptom, std::optional<double> confidence = std::nullopt, bool needs_review = false) {
    Annotation a;
    a.issue_id = issue;
    a.failure_index = index;
    a.source = source;
    a.taxonomy = "t";
    a.is_failure = is_failure;
    if (!symptom.empty()) a.symptom = symptom;
    a.confidence = confidence;
    a.needs_review = needs_review;
    store.upsert_annotation(a);
  }
};

}  // namespace

TEST_CASE("a source's labels come back with the issue's repository, number and URL") {
  Labelled l;
  std::vector<LabelRow> rows;
  for_each_label_of_source(l.store, "rules", [&](const LabelRow& r) { rows.push_back(r); });
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].issue_id == l.one);
  CHECK(rows[0].repository == "o/r");
  CHECK(rows[0].number == 1);
  CHECK(rows[0].url == "https://github.com/o/r/issues/1");
  CHECK(rows[0].symptom == "sym.c");
  CHECK(rows[0].stage == "");
  CHECK(rows[0].confidence == 0.4);
  CHECK(rows[0].needs_review);
  CHECK(rows[0].evidence == "{}");
}

TEST_CASE("an issue's labels come by source and failure index") {
  Labelled l;
  std::vector<LabelRow> rows = labels_of_issue(l.store, l.one);
  REQUIRE(rows.size() == 4);
  CHECK((rows[0].source + "#" + std::to_string(rows[0].failure_index)) == "gold:x#1");
  CHECK((rows[1].source + "#" + std::to_string(rows[1].failure_index)) == "gold:x#2");
  CHECK(rows[2].source == "manual:ana");
  CHECK(rows[2].is_failure == 0);
  CHECK(rows[3].source == "rules");
}

TEST_CASE("issues labelled by some sources say whether one of them calls it a failure, unknown counts as one") {
  Labelled l;
  CHECK(issues_labelled_by(l.store, {"gold"}) == std::map<int64_t, bool>{{l.one, true}, {l.two, true}});
  CHECK(issues_labelled_by(l.store, {"manual"}) == std::map<int64_t, bool>{{l.one, false}});
  CHECK(issues_labelled_by(l.store, {"manual", "rules"}) == std::map<int64_t, bool>{{l.one, true}});
  CHECK(issues_labelled_by(l.store, {"llm"}).empty());
}

TEST_CASE("first failures are those of issues with text, under the taxonomy, not marked as no failure") {
  Labelled l;
  std::vector<LabelRow> rows = first_failure_labels(l.store, "t");
  REQUIRE(rows.size() == 2);  // gold #1 and rules #1 of issue 1; manual says no failure; issue 2 has no text
  CHECK(rows[0].issue_id == l.one);
  CHECK(rows[1].issue_id == l.one);
  CHECK(first_failure_labels(l.store, "other").empty());
}
