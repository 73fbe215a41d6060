// The selection funnel's steps (selection.h) on small invented issues in a store in memory.
#include <doctest/doctest.h>

#include "base/error.h"
#include "classify/classifier.h"
#include "classify/rules.h"
#include "select/failure_filter.h"
#include "select/selection.h"
#include "store/mining_state.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;
using firstmile::testing::shipped_taxonomy;
using firstmile::testing::source_file;
using nlohmann::json;

namespace {

const Taxonomy& taxonomy() { return shipped_taxonomy(); }
const RuleClassifier& relevance() {
  static RuleSet rules = RuleSet::load(taxonomy(), source_file("taxonomy/rules"));
  static RuleClassifier c(taxonomy(), rules);
  return c;
}
const FailureFilter& keywords() {
  static FailureFilter f = FailureFilter::load(source_file("taxonomy/selection.json"));
  return f;
}

// A failure report the rules recognise: an error line in a fenced block.
const std::string kFailureBody = "It fails at once.\n\n```\nRuntimeError: CUDA error: out of memory\n```\n";

struct IssueSpec {
  std::string title = "Model fails to load";
  std::string body = kFailureBody;
  std::vector<std::string> labels = {};
  bool pull_request = false;
  std::string state_reason = {};
  std::string created_at = "2024-05-01T10:00:00Z";
};

class Study {
 public:
  Study() : store_(Store::open_memory()) {}
  Store& store() { return store_; }

  int64_t issue(const std::string& repository, int64_t number, const IssueSpec& spec = {}) {
    auto slash = repository.find('/');
    IssueData d;
    d.repository_id = store_.upsert_repository({repository.substr(0, slash), repository.substr(slash + 1), "", "", ""});
    d.number = number;
    d.title = spec.title;
    d.body = spec.body;
    d.labels = spec.labels;
    d.is_pull_request = spec.pull_request;
    if (!spec.state_reason.empty()) d.state_reason = spec.state_reason;
    d.created_at = spec.created_at;
    d.updated_at = spec.created_at;
    d.url = "https://github.com/" + repository + "/issues/" + std::to_string(number);
    return store_.upsert_issue(d).first;
  }
  void comment(int64_t issue_id, const std::string& body) {
    CommentData c;
    c.github_id = ++comments_;
    c.body = body;
    c.created_at = "2024-05-02T10:00:00Z";
    store_.upsert_comment(issue_id, c);
  }
  SelectionSummary select(SelectionOptions options = {}, const FailureFilter& filter = keywords()) {
    return select_issues(store_, filter, &relevance(), options);
  }
  // The selection row of an issue: step reached and excluded_by ("" when selected).
  std::pair<int64_t, std::string> row(int64_t issue_id, const std::string& name = "default") {
    Query q = store_.db().query(
        "SELECT step_reached, coalesce(excluded_by, '') FROM selections WHERE name = ? AND issue_id = ?");
    q.bind(1, name).bind(2, issue_id);
    std::pair<int64_t, std::string> out{0, ""};
    if (q.step()) out = {q.column_int(0), q.column_text(1)};
    return out;
  }
  std::string excluded_step(int64_t issue_id) {
    std::string e = row(issue_id).second;
    return e.empty() ? "" : json::parse(e)["step"].get<std::string>();
  }

 private:
  Store store_;
  int64_t comments_ = 0;
};

void label(Store& store, int64_t issue_id, const std::string& source, int is_failure) {
  Annotation a;
  a.issue_id = issue_id;
  a.source = source;
  a.taxonomy = "t";
  a.is_failure = is_failure;
  store.upsert_annotation(a);
}

int64_t count(const Funnel& f, SelectionStep step) { return f.total.counts[step_index(step)]; }

}  // namespace

TEST_CASE("pull requests leave the funnel at the second step") {
  Study s;
  s.issue("o/r", 1);
  int64_t pr = s.issue("o/r", 2, {.title = "Fix crash on load", .pull_request = true});
  Funnel f = s.select().funnel;
  CHECK(count(f, SelectionStep::kMined) == 2);
  CHECK(count(f, SelectionStep::kIssue) == 1);
  CHECK(count(f, SelectionStep::kNotDuplicate) == 1);
  CHECK(s.row(pr).first == 1);
  CHECK(s.excluded_step(pr) == "issue");
}

TEST_CASE("issues without text are not counted as mined") {
  Study s;
  s.issue("o/r", 1);
  int64_t repo = *s.store().find_repository("o", "r");
  s.store().ensure_issue(repo, 2, "https://github.com/o/r/issues/2");
  CHECK(count(s.select().funnel, SelectionStep::kMined) == 1);
}

TEST_CASE("the keyword filter keeps English and Chinese failure terms and drops issues with neither") {
  Study s;
  s.issue("o/r", 1, {.title = "Segfault when loading the int4 model", .body = "As the title says."});
  s.issue("o/r", 2, {.title = "加载模型报错", .body = "如题。"});
  int64_t other = s.issue("o/r", 3, {.title = "Thanks for the great model", .body = "Nice work."});
  Funnel f = s.select({.failure_step = false}).funnel;
  CHECK(count(f, SelectionStep::kIssue) == 3);
  CHECK(count(f, SelectionStep::kKeyword) == 2);
  CHECK(s.excluded_step(other) == "keyword");
}

TEST_CASE("a failure label lets an issue through the keyword filter without a keyword") {
  Study s;
  s.issue("o/r", 1, {.title = "Model says hello twice", .body = "See above.", .labels = {"Bug"}});
  CHECK(count(s.select({.failure_step = false}).funnel, SelectionStep::kKeyword) == 1);
}

TEST_CASE("a keyword list of one's own replaces the shipped one") {
  Study s;
  s.issue("o/r", 1, {.title = "Banana split", .body = "No keyword of the shipped list here."});
  int64_t crash = s.issue("o/r", 2, {.title = "Crash on start", .body = "Crash."});
  FailureFilter bananas = FailureFilter::parse(R"({"english": ["banana"]})", "bananas.json");
  CHECK(count(s.select({.failure_step = false}, bananas).funnel, SelectionStep::kKeyword) == 1);
  CHECK(s.excluded_step(crash) == "keyword");
}

TEST_CASE("questions and feature requests that mention a keyword are not failure reports") {
  Study s;
  s.issue("o/r", 1);
  int64_t request =
      s.issue("o/r", 2, {.title = "Feature request: please add a 3B model", .body = "It would be no problem to host."});
  int64_t question =
      s.issue("o/r", 3, {.title = "How to cite the paper?", .body = "Is there a BibTeX entry? Sorry if wrong place."});
  Funnel f = s.select().funnel;
  CHECK(count(f, SelectionStep::kKeyword) == 3);
  CHECK(count(f, SelectionStep::kFailureReport) == 1);
  CHECK(s.excluded_step(request) == "failure_report");
  CHECK(s.excluded_step(question) == "failure_report");
}

TEST_CASE("--by-source decides failure reports by the annotations of that source") {
  Study s;
  int64_t labelled = s.issue("o/r", 1);
  int64_t rejected = s.issue("o/r", 2);
  int64_t unlabelled = s.issue("o/r", 3);
  label(s.store(), labelled, "manual:ana", 1);
  label(s.store(), rejected, "manual:ana", 0);
  Funnel f = s.select({.by_source = "manual:ana"}).funnel;
  CHECK(count(f, SelectionStep::kFailureReport) == 1);
  CHECK(s.row(rejected).second.find("not a failure report") != std::string::npos);
  CHECK(s.row(unlabelled).second.find("not labelled by manual:ana") != std::string::npos);
}

TEST_CASE("--by-source with a source that labelled nothing is an error naming the sources there are") {
  Study s;
  int64_t id = s.issue("o/r", 1);
  label(s.store(), id, "manual:ana", 1);
  CHECK_THROWS_WITH_AS(s.select({.by_source = "gold"}), doctest::Contains("sources: manual:ana"), Error);
}

TEST_CASE("a comment 'Duplicate of #N' drops the issue when #N is selected") {
  Study s;
  s.issue("o/r", 1);
  int64_t dup = s.issue("o/r", 2);
  s.comment(dup, "duplicate OF #1");
  CHECK(count(s.select().funnel, SelectionStep::kNotDuplicate) == 1);
  json e = json::parse(s.row(dup).second);
  CHECK(e["step"] == "not_duplicate");
  CHECK(e["reason"]["duplicate_of"] == "o/r#1");
  CHECK(e["reason"]["marked_by"] == json::array({"comment"}));
}

TEST_CASE("a 'marked_as_duplicate' timeline event drops the issue whose comments name a selected original") {
  Study s;
  s.issue("o/r", 1);
  int64_t dup = s.issue("o/r", 2);
  s.comment(dup, "Same problem as https://github.com/o/r/issues/1, closing.");
  TimelineEvent marked;
  marked.event = "marked_as_duplicate";
  replace_timeline(s.store(), dup, std::nullopt, {marked});
  CHECK(count(s.select().funnel, SelectionStep::kNotDuplicate) == 1);
  CHECK(json::parse(s.row(dup).second)["reason"]["marked_by"] == json::array({"timeline"}));
}

TEST_CASE("state_reason 'duplicate' drops the issue whose comments name a selected original") {
  Study s;
  s.issue("o/r", 1);
  int64_t dup = s.issue("o/r", 2, {.state_reason = "duplicate"});
  s.comment(dup, "See #1.");
  CHECK(count(s.select().funnel, SelectionStep::kNotDuplicate) == 1);
  CHECK(s.excluded_step(dup) == "not_duplicate");
}

TEST_CASE("a 'duplicate' label on a not_planned issue drops it when its comments name a selected original") {
  Study s;
  s.issue("o/r", 1);
  int64_t dup = s.issue("o/r", 2, {.labels = {"bug", "Duplicate"}, .state_reason = "not_planned"});
  s.comment(dup, "Tracked in o/r#1");
  CHECK(count(s.select().funnel, SelectionStep::kNotDuplicate) == 1);
  CHECK(json::parse(s.row(dup).second)["reason"]["marked_by"] == json::array({"label"}));
}

TEST_CASE("a duplicate stays when its original is not in the selection or unknown") {
  Study s;
  s.issue("o/r", 1, {.title = "Thanks for the great model", .body = "Nice work."});
  int64_t of_dropped = s.issue("o/r", 2);
  s.comment(of_dropped, "Duplicate of #1");
  int64_t unknown = s.issue("o/r", 3, {.labels = {"duplicate"}});
  SelectionSummary r = s.select();
  CHECK(count(r.funnel, SelectionStep::kNotDuplicate) == 2);
  CHECK(r.duplicates_kept == 2);
  CHECK(s.row(of_dropped).first == 5);
  CHECK(s.row(unknown).first == 5);
}

TEST_CASE("issues marked duplicates of each other keep the oldest") {
  Study s;
  int64_t first = s.issue("o/r", 1);
  int64_t second = s.issue("o/r", 2);
  s.comment(first, "Duplicate of #2");
  s.comment(second, "Duplicate of #1");
  CHECK(count(s.select().funnel, SelectionStep::kNotDuplicate) == 1);
  CHECK(s.row(first).first == 5);
  CHECK(s.excluded_step(second) == "not_duplicate");
}

TEST_CASE("the funnel counts per repository and the rows add up to the total") {
  Study s;
  s.issue("a/one", 1);
  s.issue("a/one", 2, {.pull_request = true});
  s.issue("b/two", 1);
  s.issue("b/two", 2, {.title = "Thanks for the great model", .body = "Nice work."});
  s.issue("b/two", 3);
  Funnel f = s.select().funnel;
  REQUIRE(f.repositories.size() == 2);
  CHECK(f.repositories[0].repository == "a/one");
  CHECK(f.repositories[0].counts == StepCounts{2, 1, 1, 1, 1});
  CHECK(f.repositories[1].repository == "b/two");
  CHECK(f.repositories[1].counts == StepCounts{3, 3, 2, 2, 2});
  CHECK(f.total.counts == StepCounts{5, 4, 3, 3, 3});
}

TEST_CASE("--repo, --since and --until bound the issues in scope") {
  Study s;
  s.issue("a/one", 1, {.created_at = "2024-04-30T23:59:59Z"});
  s.issue("a/one", 2, {.created_at = "2024-05-01T10:00:00Z"});
  s.issue("a/one", 3, {.created_at = "2024-05-31T22:00:00Z"});
  s.issue("a/one", 4, {.created_at = "2024-06-01T00:00:00Z"});
  s.issue("b/two", 1);
  Funnel f = s.select({.repositories = {"a/one"}, .since = "2024-05-01", .until = "2024-05-31"}).funnel;
  CHECK(count(f, SelectionStep::kMined) == 2);
  CHECK(f.repositories.size() == 1);
}

TEST_CASE("re-running a selection replaces its rows and leaves other selections alone") {
  Study s;
  s.issue("a/one", 1);
  s.issue("b/two", 1);
  s.select({.name = "all"});
  s.select({.name = "a"});
  Funnel a = s.select({.name = "a", .repositories = {"a/one"}}).funnel;
  CHECK(count(a, SelectionStep::kMined) == 1);
  CHECK(count(load_funnel(s.store(), "all"), SelectionStep::kMined) == 2);
  CHECK(s.store().db().query_int("SELECT count(*) FROM selections WHERE name = 'a'") == 1);
  CHECK(load_funnel(s.store(), "a").run_id == a.run_id);
}

TEST_CASE("the same database and options give the same rows") {
  Study s;
  s.issue("o/r", 1);
  int64_t dup = s.issue("o/r", 2);
  s.comment(dup, "Duplicate of #1");
  s.issue("o/r", 3, {.title = "How to cite the paper?", .body = "Is there a BibTeX entry?"});
  auto rows = [&] {
    std::vector<std::pair<int64_t, std::string>> out;
    for (int64_t id = 1; id <= 3; ++id) out.push_back(s.row(id));
    return out;
  };
  s.select();
  auto first = rows();
  s.select();
  CHECK(rows() == first);
}
