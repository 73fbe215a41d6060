// Tests of aggregate/aggregate_eval.h: pairwise scores, gold incidents from a CSV or from
// "Duplicate of" comments, and the evaluation `aggregate eval` prints.
#include <doctest/doctest.h>

#include <sstream>

#include "aggregate/aggregate_eval.h"
#include "base/error.h"
#include "store/incident_tables.h"
#include "store/mining_state.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

// acme/model #1-#6 (ids 1-6) and other/lib #1-#2 (ids 7-8); aggregation 'default' holds
// incident 1 = acme #1, #2, #3 and incident 2 = acme #4, #6.
class EvalStore {
 public:
  EvalStore() : store_(Store::open_memory()) {
    int64_t acme = store_.upsert_repository({"acme", "model", "", "", ""});
    int64_t other = store_.upsert_repository({"other", "lib", "", "", ""});
    for (int64_t n = 1; n <= 6; ++n) issue(acme, "acme/model", n);
    for (int64_t n = 1; n <= 2; ++n) issue(other, "other/lib", n);
    AggregationInfo a;
    a.name = "default";
    a.route = "rules";
    a.window_days = 14;
    a.created_at = "2024-06-01T00:00:00Z";
    replace_aggregation(store_, a);
    incident(1, {1, 2, 3});
    incident(2, {4, 6});
  }

  Store& store() { return store_; }

  void comment(int64_t issue_id, const std::string& body) {
    CommentData c;
    c.github_id = ++comments_;
    c.body = body;
    store_.upsert_comment(issue_id, c);
  }

 private:
  void issue(int64_t repository, const std::string& name, int64_t number) {
    IssueData d;
    d.repository_id = repository;
    d.number = number;
    d.title = "issue " + std::to_string(number);
    d.url = "https://github.com/" + name + "/issues/" + std::to_string(number);
    store_.upsert_issue(d);
  }

  void incident(int64_t number, const std::vector<int64_t>& members) {
    NewIncident n;
    n.number = number;
    n.title = "incident " + std::to_string(number);
    n.members = members;
    insert_incident(store_, "default", n);
  }

  Store store_;
  int64_t comments_ = 0;
};

constexpr int64_t kNamed = 1'000'000'000;  // the number the first incident name gets

}  // namespace

TEST_CASE("pairwise scores count pairs within groups, as COLA's metric does") {
  // Gold: {0,1,2} and {3,4}; 5 is noise. Predicted: {0,1}, {2,3,4}, 5 alone.
  PairwiseScores s = pairwise_scores({1, 1, 1, 2, 2, 0}, {1, 1, 2, 2, 2, 0});
  CHECK(s.reports == 6);
  CHECK(s.gold_pairs == 4);       // 3 + 1
  CHECK(s.predicted_pairs == 4);  // 1 + 3
  CHECK(s.true_pairs == 2);       // (0,1) and (3,4)
  CHECK(s.gold_incidents == 2);
  CHECK(s.predicted_incidents == 2);
  CHECK(s.precision == 0.5);
  CHECK(s.recall == 0.5);
  CHECK(s.f1 == 0.5);
  CHECK(s.purity == doctest::Approx(4.0 / 5.0));  // {0,1}: 2 of 2; {2,3,4}: 2 of 3
  CHECK(pairwise_scores({1, 1}, {0, 0}).f1 == 0);
  CHECK_THROWS_WITH_AS(pairwise_scores({1}, {1, 2}), "pairwise_scores: gold and predicted differ in length", Error);
}

TEST_CASE("gold from a CSV: URLs or OWNER/NAME#N, named or numbered incidents, the first row of an issue") {
  EvalStore s;
  TempDir dir;
  write_file(dir / "gold.csv",
             "issue,incident\n"
             "https://github.com/acme/model/issues/1,storm\n"
             "acme/model#2,storm\n"
             "acme/model#3,7\n"
             "acme/model#4,7\n"
             "acme/model#5,\n"
             "nobody/none#1,3\n"
             "acme/model#1,9\n");
  std::map<int64_t, int64_t> gold = load_gold_incidents(s.store(), (dir / "gold.csv").string());
  CHECK(gold == std::map<int64_t, int64_t>{{1, kNamed}, {2, kNamed}, {3, 7}, {4, 7}, {5, 0}});
}

TEST_CASE("a gold CSV row without an incident column or with no issue reference names its line") {
  EvalStore s;
  TempDir dir;
  write_file(dir / "short.csv", "acme/model#1,1\nacme/model#2\n");
  std::string path = (dir / "short.csv").string();
  std::string expected = path + ": line 2: expected two columns: the issue (URL or OWNER/NAME#N) and its incident";
  CHECK_THROWS_WITH_AS(load_gold_incidents(s.store(), path), expected.c_str(), Error);
  write_file(dir / "bad.csv", "acme/model#1,1\nissue 2,1\n");
  path = (dir / "bad.csv").string();
  expected = path + ": line 2: 'issue 2' is not an issue URL or OWNER/NAME#N";
  CHECK_THROWS_WITH_AS(load_gold_incidents(s.store(), path), expected.c_str(), Error);
}

TEST_CASE("gold 'duplicates' joins issues by Duplicate-of comments in any reference form") {
  EvalStore s;
  s.comment(2, "Duplicate of #1");
  s.comment(4, "This is a duplicate of other/lib#1");
  s.comment(8, "DUPLICATE OF\nhttps://github.com/acme/model/issues/4");
  s.comment(5, "duplicate of #99");                     // not in the database
  s.comment(6, "not a duplicate of anything, see #3");  // no reference after "of"
  std::map<int64_t, int64_t> gold = load_gold_incidents(s.store(), "duplicates");
  // {1, 2} named by 1; {4, other/lib#1 (id 7), other/lib#2 (id 8)} named by 4; the rest in none.
  CHECK(gold == std::map<int64_t, int64_t>{{1, 1}, {2, 1}, {3, 0}, {4, 4}, {5, 0}, {6, 0}, {7, 4}, {8, 4}});
}

TEST_CASE("gold 'duplicates' also joins issues by duplicate marks naming the original, an undone mark unjoins") {
  EvalStore s;
  s.comment(2, "Duplicate of #1");
  s.comment(6, "Duplicate of #4");
  // Rows as `mine --cross-references` stores GraphQL's MarkedAsDuplicateEvent and its undoing
  // (mine/graphql_cross_references.h): on the duplicate the original, on the original the duplicate.
  auto mark = [](const std::string& event, const std::string& at, const std::string& other, int64_t number) {
    TimelineEvent e;
    e.event = event;
    e.created_at = at;
    const std::string side = event.find("duplicate") != std::string::npos ? "canonical" : "duplicate";
    e.detail = "{\"" + side + "_repository\":\"" + other + "\",\"" + side + "_number\":" + std::to_string(number) + "}";
    return e;
  };
  replace_timeline(s.store(), 3, "2024-05-01T00:00:00Z",
                   {mark("marked_as_duplicate", "2024-05-02T00:00:00Z", "acme/model", 1)});
  replace_timeline(s.store(), 5, "2024-05-01T00:00:00Z",
                   {mark("marked_as_duplicate", "2024-05-02T00:00:00Z", "other/lib", 2),
                    mark("unmarked_as_duplicate", "2024-05-03T00:00:00Z", "other/lib", 2)});
  replace_timeline(s.store(), 6, "2024-05-01T00:00:00Z",
                   {mark("marked_as_duplicate", "2024-05-02T00:00:00Z", "acme/model", 4),
                    mark("unmarked_as_duplicate", "2024-05-03T00:00:00Z", "acme/model", 4)});
  replace_timeline(s.store(), 7, "2024-05-01T00:00:00Z",
                   {mark("marked_as_canonical", "2024-05-02T00:00:00Z", "other/lib", 2)});
  std::map<int64_t, int64_t> gold = load_gold_incidents(s.store(), "duplicates");
  // {1, 2 (comment), 3 (mark)}; 5 and 6 unmarked (6's comment notwithstanding); {7, 8} from the
  // original's side.
  CHECK(gold == std::map<int64_t, int64_t>{{1, 1}, {2, 1}, {3, 1}, {4, 0}, {5, 0}, {6, 0}, {7, 7}, {8, 7}});
}

TEST_CASE("predicted incidents are the members' numbers, an unknown aggregation says how to make it") {
  EvalStore s;
  CHECK(load_predicted_incidents(s.store(), "default") ==
        std::map<int64_t, int64_t>{{1, 1}, {2, 1}, {3, 1}, {4, 2}, {6, 2}});
  CHECK_THROWS_WITH_AS(load_predicted_incidents(s.store(), "nope"),
                       "no aggregation named 'nope' (run `firstmile aggregate --name nope` first)", Error);
}

TEST_CASE("the evaluation scores the issues the gold names and prints a line and a table") {
  EvalStore s;
  TempDir dir;
  std::string path = (dir / "gold.csv").string();
  write_file(path, "acme/model#1,a\nacme/model#2,a\nacme/model#3,b\nacme/model#4,b\nacme/model#5,0\n");
  AggregationScores scores = evaluate_aggregation(s.store(), "default", path);
  // Gold a = {1, 2}, b = {3, 4}; found 1 = {1, 2, 3}, 2 = {4} among the gold's issues.
  CHECK(scores.scores.reports == 5);
  CHECK(scores.scores.gold_pairs == 2);
  CHECK(scores.scores.predicted_pairs == 3);
  CHECK(scores.scores.true_pairs == 1);
  CHECK(scores.scores.f1 == doctest::Approx(0.4));
  CHECK(scores.scores.purity == 0.75);
  std::ostringstream table;
  print_aggregation_scores(scores, table);
  CHECK(table.str() == "Aggregation 'default' against " + path +
                           ": 5 reports, 2 gold incidents, 1 found\n"
                           "pairs: gold  found  right  precision  recall      F1  purity\n"
                           "-----------  -----  -----  ---------  ------  ------  ------\n"
                           "          2      3      1     0.3333  0.5000  0.4000  0.7500\n");
  nlohmann::json j = aggregation_scores_json(scores);
  CHECK(j["true_pairs"] == 1);
  CHECK(j["predicted_incidents"] == 1);
  CHECK(j.size() == 10);
}

TEST_CASE("a gold that names no issue of the database is an error") {
  EvalStore s;
  TempDir dir;
  std::string path = (dir / "gold.csv").string();
  write_file(path, "nobody/none#1,1\n");
  std::string expected = path + ": names no issue of ";
  CHECK_THROWS_WITH_AS(evaluate_aggregation(s.store(), "default", path), doctest::Contains(expected.c_str()), Error);
}

TEST_CASE("with the candidate pairs and their scores: Recall@k and candidate recall") {
  EvalStore s;
  TempDir dir;
  std::string gold = (dir / "gold.csv").string();
  // Gold a = {1, 2, 3}, b = {4, 5}; 6 in none. Four reports of a and b have a partner: 5 reports.
  write_file(gold, "acme/model#1,a\nacme/model#2,a\nacme/model#3,a\nacme/model#4,b\nacme/model#5,b\nacme/model#6,0\n");
  std::string pairs = (dir / "pairs.csv").string();
  // Candidates: (1,2) true, (1,6) false and scored higher, (3,6) false, (4,5) true, (2,3) true.
  write_file(pairs,
             "issue_a,issue_b,score,same_signature\n"
             "acme/model#1,acme/model#2,0.60,1\n"
             "acme/model#1,acme/model#6,0.90,0\n"
             "acme/model#3,acme/model#6,0.95,0\n"
             "acme/model#4,acme/model#5,0.20,0\n"
             "acme/model#2,acme/model#3,0.10,0\n");
  AggregationScores scores = evaluate_aggregation(s.store(), "default", gold, pairs);
  REQUIRE(scores.ranking);
  const RankingScores& r = *scores.ranking;
  // Gold pairs: 3 in a, 1 in b; candidates among them: (1,2), (2,3), (4,5).
  CHECK(r.gold_pairs == 4);
  CHECK(r.candidate_gold_pairs == 3);
  CHECK(r.candidate_recall == doctest::Approx(0.75));
  // Best candidate: 1 -> 6 (miss), 2 -> 1 (hit), 3 -> 6 (miss), 4 -> 5, 5 -> 4 (hits): 3 of 5 at 1;
  // within 5 every one of them has a partner among its candidates.
  CHECK(r.reports_with_partner == 5);
  CHECK(r.recall_at_1 == doctest::Approx(0.6));
  CHECK(r.recall_at_5 == doctest::Approx(1.0));
  std::ostringstream table;
  print_aggregation_scores(scores, table);
  CHECK(table.str().find("Candidates: 3 of 4 gold pairs (candidate recall 0.7500); of 5 reports with a gold "
                         "partner, one among the best-scored 1 / 5 / 10: 0.6000 / 1.0000 / 1.0000\n") !=
        std::string::npos);
  CHECK(aggregation_scores_json(scores)["recall_at_1"] == doctest::Approx(0.6));

  write_file(pairs, "issue_a,issue_b,score\nacme/model#1,nobody/none#9,0.5\n");
  CHECK_THROWS_WITH_AS(evaluate_aggregation(s.store(), "default", gold, pairs),
                       doctest::Contains("pairs.csv: line 2: 'nobody/none#9' is not an issue of this database"), Error);
}
