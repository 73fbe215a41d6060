// The funnel (funnel.h) read back from a selection's rows and printed: three issues written
// by hand as a `select` run would: A/one #1 selected (it reached step 5), A/one #2 a pull
// request (it reached step 1 only), b/two #1 through the keyword filter (step 3) but not a
// failure report.
#include <doctest/doctest.h>

#include <sstream>

#include "base/error.h"
#include "select/funnel.h"
#include "store/selections.h"
#include "store/store.h"

using namespace firstmile;
using nlohmann::json;

namespace {

struct Written {
  Store store = Store::open_memory();
  int64_t run_id = 0;

  Written() {
    int64_t one = store.upsert_repository({"A", "one", "", "", ""});
    int64_t two = store.upsert_repository({"b", "two", "", "", ""});
    std::vector<SelectionRow> rows = {{store.ensure_issue(one, 1, "u1"), 5, std::nullopt},
                                      {store.ensure_issue(one, 2, "u2"), 1, R"({"step": "issue"})"},
                                      {store.ensure_issue(two, 1, "u3"), 3, R"({"step": "failure_report"})"}};
    run_id = store.begin_run("select", {}, nullptr);
    replace_selection(store, "default", rows, run_id);
    json options = {{"keywords", "k.json"}, {"failure_report", "rules"}, {"duplicates", "dropped"}};
    store.finish_run(run_id, "ok", json{{"name", "default"}, {"options", options}}.dump());
  }
};

}  // namespace

TEST_CASE("the funnel counts, per repository and in total, the issues that reached each step") {
  Written w;
  Funnel f = load_funnel(w.store, "default");
  CHECK(f.run_id == w.run_id);
  std::vector<std::pair<std::string, StepCounts>> rows;
  for (const FunnelRow& r : f.repositories) rows.emplace_back(r.repository, r.counts);
  // Repositories by name, without case.
  CHECK(rows ==
        std::vector<std::pair<std::string, StepCounts>>{{"A/one", {2, 1, 1, 1, 1}}, {"b/two", {1, 1, 1, 0, 0}}});
  CHECK(f.total.counts == StepCounts{3, 2, 2, 1, 1});
}

TEST_CASE("the funnel of an unknown selection is an error naming the selections there are") {
  Written w;
  CHECK_THROWS_WITH_AS(load_funnel(w.store, "other"), "no selection named 'other' (selections: default)", Error);
  Store empty = Store::open_memory();
  CHECK_THROWS_WITH_AS(load_funnel(empty, "default"), "no selection named 'default' (run `firstmile select` first)",
                       Error);
}

TEST_CASE("the funnel prints as a table with each step's share of mined") {
  Written w;
  std::ostringstream out;
  print_funnel(load_funnel(w.store, "default"), "table", out);
  CHECK(out.str() == "Selection 'default' (run " + std::to_string(w.run_id) +
                         "): keywords k.json; failure reports by rules; duplicates dropped\n"
                         "repository       mined  issues (not PRs)  keyword  failure report  not duplicate\n"
                         "--------------  ------  ----------------  -------  --------------  -------------\n"
                         "A/one                2                 1        1               1              1\n"
                         "b/two                1                 1        1               0              0\n"
                         "total                3                 2        2               1              1\n"
                         "share of mined  100.0%             66.7%    66.7%           33.3%          33.3%\n");
}

TEST_CASE("the funnel prints as CSV and JSON with one column per step") {
  Written w;
  Funnel f = load_funnel(w.store, "default");
  std::ostringstream csv;
  print_funnel(f, "csv", csv);
  CHECK(csv.str() ==
        "selection,repository,mined,issue,keyword,failure_report,not_duplicate\r\n"
        "default,A/one,2,1,1,1,1\r\ndefault,b/two,1,1,1,0,0\r\ndefault,total,3,2,2,1,1\r\n");
  std::ostringstream text;
  print_funnel(f, "json", text);
  json j = json::parse(text.str());
  CHECK(j == funnel_to_json(f));
  CHECK(j["total"]["not_duplicate"] == 1);
  CHECK(j["steps"].size() == 5);
  CHECK(j["options"]["keywords"] == "k.json");
}
