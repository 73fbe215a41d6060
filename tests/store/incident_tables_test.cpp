// Tests of store/incident_tables.h: aggregations and incidents written and read back, and
// counting by incident in Store::annotation_groups (which reads these tables). The incidents
// are written here directly, so these tests do not depend on how `firstmile aggregate` links
// reports.
#include <doctest/doctest.h>

#include <map>

#include "base/error.h"
#include "store/incident_tables.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

struct Labels {
  const char* symptom;
  const char* root_cause;
  const char* stage = "stage.inference";
};

const Labels kOom{"sym.crash.cuda", "rc.env.dependency"};
const Labels kHang{"sym.hang.generation", "rc.config.inference"};
const Labels kCuda{"sym.crash.cuda", "rc.env.cuda"};

// Two repositories and ten reports:
//   incident 1 ('default'): a storm of five Qwen reports with the same labels (kOom);
//   incident 2 ('default'): three reports, two Llama ones labelled kHang and a Qwen one kCuda;
//   in no incident: a Qwen report (kCuda) and a Llama report with two failures (kOom, kHang).
// Aggregation 'tie' holds one incident of two reports with different labels (kOom and kCuda).
class IncidentStore {
 public:
  IncidentStore() : store_(Store::open_memory()) {
    store_.save_taxonomy(shipped_taxonomy());
    qwen_ = store_.upsert_repository({"QwenLM", "Qwen2.5", "Qwen", "Qwen2.5", "Mixed"});
    llama_ = store_.upsert_repository({"meta-llama", "llama3", "Llama", "llama3", "Dense"});
    for (int day = 1; day <= 5; ++day) storm_.push_back(report(qwen_, day, {kOom}));
    mixed_.push_back(report(llama_, 12, {kHang}));
    mixed_.push_back(report(qwen_, 10, {kCuda}));
    mixed_.push_back(report(llama_, 11, {kHang}));
    alone_.push_back(report(qwen_, 20, {kCuda}));
    alone_.push_back(report(llama_, 21, {kOom, kHang}));
    aggregation("default");
    incident("default", 1, "KeyError: 'qwen2' after upgrading transformers", "2024-05-01T08:00:00Z",
             "2024-05-05T08:00:00Z", {"QwenLM/Qwen2.5"}, "KeyError: 'qwen2'", "rc.env.dependency", storm_);
    incident("default", 2, "generation hangs with long prompts", "2024-05-10T08:00:00Z", "2024-05-12T20:00:00Z",
             {"meta-llama/llama3", "QwenLM/Qwen2.5"}, "", "rc.config.inference", mixed_);
    aggregation("tie");
    incident("tie", 1, "two reports", "2024-05-20T08:00:00Z", "2024-05-21T08:00:00Z", {"QwenLM/Qwen2.5"}, "", "",
             {alone_[0], storm_[0]});
  }

  Store& store() { return store_; }
  const std::vector<int64_t>& mixed() const { return mixed_; }

  AnnotationGroups groups(const std::string& incidents) {
    AnnotationQuery q;
    q.source = "gold";
    q.incidents = incidents;
    return store_.annotation_groups(q);
  }

 private:
  int64_t report(int64_t repository, int day, const std::vector<Labels>& failures) {
    IssueData issue;
    issue.repository_id = repository;
    issue.number = ++number_;
    issue.title = "report " + std::to_string(number_);
    issue.created_at = "2024-05-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T08:00:00Z";
    issue.url = "https://github.com/x/y/issues/" + std::to_string(number_);
    int64_t id = store_.upsert_issue(issue).first;
    int index = 0;
    for (const Labels& l : failures) {
      Annotation a;
      a.issue_id = id;
      a.failure_index = ++index;
      a.source = "gold:test";
      a.taxonomy = "open-llm-failures";
      a.symptom = l.symptom;
      a.root_cause = l.root_cause;
      a.stage = l.stage;
      store_.upsert_annotation(a);
    }
    return id;
  }

  void aggregation(const std::string& name) {
    AggregationInfo a;
    a.name = name;
    a.source = "gold:test";
    a.window_days = 14;
    a.route = "rules";
    a.threshold = 0.5;
    a.created_at = "2024-06-01T00:00:00Z";
    a.summary = R"({"reports": 10})";
    replace_aggregation(store_, a);
  }

  void incident(const std::string& aggregation, int number, const std::string& title, const std::string& first_at,
                const std::string& last_at, const std::vector<std::string>& repositories, const std::string& signature,
                const std::string& root_cause, const std::vector<int64_t>& members) {
    NewIncident n;
    n.number = number;
    n.title = title;
    n.first_at = first_at;
    n.last_at = last_at;
    n.repositories = repositories;
    n.signature = signature;
    n.root_cause = root_cause;
    n.members = members;
    insert_incident(store_, aggregation, n);
  }

  Store store_;
  int64_t qwen_ = 0, llama_ = 0;
  int64_t number_ = 0;
  std::vector<int64_t> storm_, mixed_, alone_;
};

int64_t count_where(const AnnotationGroups& g, const std::string& root_cause, const std::string& series = "") {
  int64_t n = 0;
  for (const AnnotationGroup& group : g.groups) {
    if (group.root_cause == root_cause && (series.empty() || group.series == series)) n += group.count;
  }
  return n;
}

int64_t total(const AnnotationGroups& g) {
  int64_t n = 0;
  for (const AnnotationGroup& group : g.groups) n += group.count;
  return n;
}

}  // namespace

TEST_CASE("load_incidents lists an aggregation's incidents by number with their stored fields") {
  IncidentStore s;
  std::vector<IncidentRow> rows = load_incidents(s.store(), "default");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].number == 1);
  CHECK(rows[0].size == 5);
  CHECK(rows[0].title == "KeyError: 'qwen2' after upgrading transformers");
  CHECK(rows[0].first_at == "2024-05-01T08:00:00Z");
  CHECK(rows[0].last_at == "2024-05-05T08:00:00Z");
  CHECK(rows[0].span_days == doctest::Approx(4.0));
  CHECK(rows[0].signature == "KeyError: 'qwen2'");
  CHECK(rows[0].repositories == std::vector<std::string>{"QwenLM/Qwen2.5"});
  CHECK(rows[1].number == 2);
  CHECK(rows[1].span_days == doctest::Approx(2.5));
  CHECK(rows[1].repositories == std::vector<std::string>{"meta-llama/llama3", "QwenLM/Qwen2.5"});
  CHECK(rows[1].signature.empty());
  CHECK(rows[0].members.empty());
}

TEST_CASE("an incident sums its members' reactions, unknown when none of theirs is known") {
  IncidentStore s;
  const std::vector<int64_t>& mixed = s.mixed();
  s.store().db().exec("UPDATE issues SET reactions_total = 7, reactions = '{}' WHERE id = " + std::to_string(mixed[0]));
  s.store().db().exec("UPDATE issues SET reactions_total = 0, reactions = '{}' WHERE id = " + std::to_string(mixed[1]));
  IncidentQuery q;
  q.members = true;
  std::vector<IncidentRow> rows = load_incidents(s.store(), "default", q);
  REQUIRE(rows.size() == 2);
  CHECK_FALSE(rows[0].reactions);
  CHECK(rows[0].reports_with_reactions == 0);
  CHECK(rows[1].reactions == 7);
  CHECK(rows[1].reports_with_reactions == 2);
  int64_t known = 0;
  for (const IncidentMember& m : rows[1].members) known += m.reactions.has_value();
  CHECK(known == 2);
}

TEST_CASE("an incident's root cause reads as its path in the stored taxonomy") {
  IncidentStore s;
  std::vector<IncidentRow> rows = load_incidents(s.store(), "default");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].root_cause == "rc.env.dependency");
  CHECK(rows[0].root_cause_path == "Environment Compatibility Issues / Dependency Library Compatibility");
}

TEST_CASE("min_size and limit keep the first incidents by number that are large enough") {
  IncidentStore s;
  IncidentQuery large;
  large.min_size = 4;
  CHECK(load_incidents(s.store(), "default", large).size() == 1);
  IncidentQuery first;
  first.limit = 1;
  std::vector<IncidentRow> rows = load_incidents(s.store(), "default", first);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].number == 1);
}

TEST_CASE("an incident's members come oldest first with repository, number, date, title and URL") {
  IncidentStore s;
  IncidentQuery q;
  q.members = true;
  std::vector<IncidentRow> rows = load_incidents(s.store(), "default", q);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].members.size() == 5);
  const std::vector<IncidentMember>& m = rows[1].members;
  REQUIRE(m.size() == 3);
  CHECK(m[0].repository == "QwenLM/Qwen2.5");
  CHECK(m[0].number == 7);
  CHECK(m[0].created_at == "2024-05-10T08:00:00Z");
  CHECK(m[0].title == "report 7");
  CHECK(m[0].url == "https://github.com/x/y/issues/7");
  CHECK(m[1].number == 8);
  CHECK(m[2].number == 6);
}

TEST_CASE("aggregation info carries the run's settings and how many incidents and reports it stored") {
  IncidentStore s;
  AggregationInfo a = load_aggregation(s.store(), "default");
  CHECK(a.source == "gold:test");
  CHECK(a.window_days == 14);
  CHECK(a.route == "rules");
  CHECK(a.threshold == 0.5);
  CHECK(a.incidents == 2);
  CHECK(a.reports == 8);
}

TEST_CASE("an unknown aggregation name is an error listing the names there") {
  IncidentStore s;
  CHECK_THROWS_WITH_AS(load_incidents(s.store(), "nope"), "no aggregation named 'nope' (aggregations: default, tie)",
                       Error);
}

TEST_CASE("a store without aggregations says to run firstmile aggregate first") {
  Store store = Store::open_memory();
  CHECK_THROWS_WITH_AS(load_aggregation(store, "default"), "no incidents yet: run `firstmile aggregate` first", Error);
}

TEST_CASE("counting by report is unchanged by stored incidents") {
  IncidentStore s;
  AnnotationGroups g = s.groups("");
  CHECK(total(g) == 11);
  CHECK(g.issues == 10);
  CHECK(count_where(g, "rc.env.dependency") == 6);
  CHECK(g.incidents == 0);
}

TEST_CASE("a storm of five reports with the same labels counts once by incident") {
  IncidentStore s;
  AnnotationGroups g = s.groups("default");
  CHECK(count_where(g, "rc.env.dependency", "Qwen") == 1);
}

TEST_CASE("a mixed incident counts once, for its majority labels, under the majority's repository") {
  IncidentStore s;
  AnnotationGroups g = s.groups("default");
  // The mixed incident votes kHang (2 Llama reports) over kCuda (1 Qwen report); the lone
  // Llama report adds its own kHang failure.
  CHECK(count_where(g, "rc.config.inference", "Llama") == 2);
  CHECK(count_where(g, "rc.config.inference", "Qwen") == 0);
  CHECK(count_where(g, "rc.env.cuda") == 1);  // the lone Qwen report only
}

TEST_CASE("reports in no incident count as themselves, once per failure, by incident") {
  IncidentStore s;
  AnnotationGroups g = s.groups("default");
  CHECK(count_where(g, "rc.env.dependency", "Llama") == 1);  // the lone report's first failure
  CHECK(total(g) == 5);                                      // two incidents, three failures of the two lone reports
  CHECK(g.incidents == 4);                                   // two stored incidents, two lone reports
  CHECK(g.multi_report_incidents == 2);
  CHECK(g.issues == 10);  // every report was read
}

TEST_CASE("a tie between label combinations goes to the smallest node ids") {
  IncidentStore s;
  AnnotationGroups g = s.groups("tie");
  // The tie incident: kCuda (rc.env.cuda) and kOom (rc.env.dependency), one vote each;
  // symptoms are equal, so the root-cause id decides: rc.env.cuda < rc.env.dependency.
  // Outside it: four storm reports (kOom), three mixed (2 kHang, 1 kCuda), the two-failure report.
  CHECK(count_where(g, "rc.env.cuda") == 2);
  CHECK(count_where(g, "rc.env.dependency") == 5);
  CHECK(g.multi_report_incidents == 1);
}

TEST_CASE("counting by an unknown aggregation is an error naming it") {
  IncidentStore s;
  CHECK_THROWS_WITH_AS(s.groups("nope"), "no aggregation named 'nope' (aggregations: default, tie)", Error);
}

TEST_CASE("filters apply before the vote: an incident with no selected member is not counted") {
  IncidentStore s;
  AnnotationQuery q;
  q.source = "gold";
  q.series = {"Llama"};
  q.incidents = "default";
  AnnotationGroups g = s.store().annotation_groups(q);
  // Llama: the mixed incident's two kHang reports (one vote) and the lone two-failure report.
  CHECK(total(g) == 3);
  CHECK(g.incidents == 2);
  CHECK(g.multi_report_incidents == 1);
}

TEST_CASE("an inserted incident stores its size, its repositories as JSON and empty fields as NULL") {
  IncidentStore s;
  Database& db = s.store().db();
  CHECK(db.query_int("SELECT size FROM incidents WHERE aggregation = 'default' AND number = 2") == 3);
  Query q =
      db.query("SELECT repositories, signature IS NULL, root_cause IS NULL FROM incidents WHERE aggregation = 'tie'");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == R"(["QwenLM/Qwen2.5"])");
  CHECK(q.column_int(1) == 1);
  CHECK(q.column_int(2) == 1);
}

TEST_CASE("incident numbers map every member of the aggregation to its incident") {
  IncidentStore s;
  std::map<int64_t, int64_t> numbers = incident_numbers(s.store(), "default");
  CHECK(numbers.size() == 8);
  CHECK(numbers.at(s.mixed()[0]) == 2);
  CHECK(incident_numbers(s.store(), "tie").size() == 2);
  CHECK(incident_numbers(s.store(), "nope").empty());
}

TEST_CASE("replacing an aggregation drops its incidents, members and links, and leaves the others") {
  IncidentStore s;
  IncidentLink link;
  link.issue_a = s.mixed()[0];
  link.issue_b = s.mixed()[1];
  link.score = 0.912;
  link.decided_by = "llm";
  link.linked = true;
  link.evidence = R"({"reason":"same flag"})";
  insert_incident_link(s.store(), "default", link);
  Database& db = s.store().db();
  Query stored =
      db.query("SELECT score, decided_by, linked, evidence FROM incident_links WHERE aggregation = 'default'");
  REQUIRE(stored.step());
  CHECK(stored.column_double(0) == 0.912);
  CHECK(stored.column_text(1) == "llm");
  CHECK(stored.column_int(2) == 1);
  CHECK(stored.column_text(3) == R"({"reason":"same flag"})");
  AggregationInfo again;
  again.name = "default";
  again.route = "hybrid";
  again.window_days = 7;
  again.created_at = "2024-07-01T00:00:00Z";
  replace_aggregation(s.store(), again);
  CHECK(db.query_int("SELECT count(*) FROM incidents WHERE aggregation = 'default'") == 0);
  CHECK(db.query_int("SELECT count(*) FROM incident_links WHERE aggregation = 'default'") == 0);
  CHECK(db.query_int("SELECT count(*) FROM incident_members") == 2);  // the 'tie' incident's
  AggregationInfo a = load_aggregation(s.store(), "default");
  CHECK(a.route == "hybrid");
  CHECK(a.window_days == 7);
  CHECK_FALSE(a.threshold.has_value());
  CHECK(a.summary == "{}");
  CHECK(a.incidents == 0);
}
