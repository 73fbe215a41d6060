// Tests of store/aggregation_input.h: the reports, comment threads and labels the aggregation
// reads, and the comments that may say "Duplicate of".
#include <doctest/doctest.h>

#include <algorithm>

#include "store/aggregation_input.h"
#include "store/store.h"

using namespace firstmile;

namespace {

// Repository acme/model (series Acme, model m1) with four issues: #1 (2024-03-02), #2 (no
// creation time), #3 (2024-03-01), a pull request #4 and #5 without text; comments on #1
// (two, the later one first by id) and on #3.
class InputStore {
 public:
  InputStore() : store_(Store::open_memory()) {
    repo_ = store_.upsert_repository({"acme", "model", "Acme", "m1", ""});
    first_ = issue(1, "2024-03-02T00:00:00Z", "body one");
    no_time_ = issue(2, std::nullopt, std::nullopt);
    third_ = issue(3, "2024-03-01T00:00:00Z", "body three");
    IssueData pull;
    pull.repository_id = repo_;
    pull.number = 4;
    pull.title = "a pull request";
    pull.is_pull_request = true;
    pull.url = "https://github.com/acme/model/pull/4";
    store_.upsert_issue(pull);
    store_.ensure_issue(repo_, 5, "https://github.com/acme/model/issues/5");
    comment(first_, 11, "2024-03-04T00:00:00Z", "later: Duplicate of #3");
    comment(first_, 12, "2024-03-03T00:00:00Z", "earlier");
    comment(third_, 13, "2024-03-05T00:00:00Z", "see #1, not a DUPLICATE");
  }

  Store& store() { return store_; }
  int64_t first() const { return first_; }
  int64_t no_time() const { return no_time_; }
  int64_t third() const { return third_; }

 private:
  int64_t issue(int64_t number, std::optional<std::string> created_at, std::optional<std::string> body) {
    IssueData d;
    d.repository_id = repo_;
    d.number = number;
    d.title = "issue " + std::to_string(number);
    d.body = std::move(body);
    d.created_at = std::move(created_at);
    d.url = "https://github.com/acme/model/issues/" + std::to_string(number);
    return store_.upsert_issue(d).first;
  }

  void comment(int64_t issue, int64_t github_id, const std::string& created_at, const std::string& body) {
    CommentData c;
    c.github_id = github_id;
    c.created_at = created_at;
    c.body = body;
    store_.upsert_comment(issue, c);
  }

  Store store_;
  int64_t repo_ = 0, first_ = 0, no_time_ = 0, third_ = 0;
};

}  // namespace

TEST_CASE("reports are the issues with text that are not pull requests, by creation time then id") {
  InputStore s;
  std::vector<ReportRow> rows;
  for_each_report(s.store(), [&rows](ReportRow& r) { rows.push_back(r); });
  REQUIRE(rows.size() == 3);
  // SQLite sorts NULL first: the issue without a creation time comes first.
  CHECK(rows[0].issue_id == s.no_time());
  CHECK(rows[0].created_at == "");
  CHECK(rows[0].body == "");
  CHECK(rows[1].issue_id == s.third());
  CHECK(rows[2].issue_id == s.first());
  CHECK(rows[2].repository == "acme/model");
  CHECK(rows[2].series == "Acme");
  CHECK(rows[2].model == "m1");
  CHECK(rows[2].number == 1);
  CHECK(rows[2].title == "issue 1");
  CHECK(rows[2].body == "body one");
  CHECK(rows[2].url == "https://github.com/acme/model/issues/1");
  std::vector<int64_t> ids = report_ids(s.store());
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<int64_t>{s.first(), s.no_time(), s.third()});
}

TEST_CASE("comment threads hold only the issues asked for, oldest comment first, each line ended") {
  InputStore s;
  std::unordered_map<int64_t, std::string> threads = comment_threads(s.store(), {s.first(), s.no_time()});
  CHECK(threads.size() == 1);  // the issue without comments has no thread
  CHECK(threads.at(s.first()) == "earlier\nlater: Duplicate of #3\n");
  CHECK(comment_threads(s.store(), {s.third()}).at(s.third()) == "see #1, not a DUPLICATE\n");
  CHECK(comment_threads(s.store(), {}).empty());
}

TEST_CASE("labels are those of each issue's first failure from the source asked for") {
  InputStore s;
  for (int failure : {1, 2}) {
    Annotation a;
    a.issue_id = s.first();
    a.failure_index = failure;
    a.source = "rules";
    a.taxonomy = "t";
    a.stage = failure == 1 ? "stage.inference" : "stage.training";
    a.root_cause = failure == 1 ? "rc.env.cuda" : "rc.config.inference";
    s.store().upsert_annotation(a);
  }
  Annotation other;
  other.issue_id = s.third();
  other.source = "gold:x";
  other.taxonomy = "t";
  s.store().upsert_annotation(other);
  CHECK(has_annotations(s.store(), "rules"));
  CHECK_FALSE(has_annotations(s.store(), "llm:m"));
  std::unordered_map<int64_t, ReportLabel> labels = first_failure_causes(s.store(), "rules");
  REQUIRE(labels.size() == 1);
  CHECK(labels.at(s.first()).stage == "stage.inference");
  CHECK(labels.at(s.first()).root_cause == "rc.env.cuda");
  std::unordered_map<int64_t, ReportLabel> gold = first_failure_causes(s.store(), "gold:x");
  CHECK(gold.at(s.third()).stage == "");
  CHECK(gold.at(s.third()).root_cause == "");
}

TEST_CASE("comments mentioning a duplicate in any case come with their issue's repository") {
  InputStore s;
  std::vector<DuplicateComment> found = comments_mentioning_duplicate(s.store());
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.issue_id < b.issue_id; });
  REQUIRE(found.size() == 2);
  CHECK(found[0].issue_id == s.first());
  CHECK(found[0].owner == "acme");
  CHECK(found[0].name == "model");
  CHECK(found[0].body == "later: Duplicate of #3");
  CHECK(found[1].body == "see #1, not a DUPLICATE");
}
