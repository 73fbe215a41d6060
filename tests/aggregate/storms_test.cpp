// Tests of aggregate/storms.h: the synthetic storms are one corpus per seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "aggregate/storms.h"

using namespace firstmile;

TEST_CASE("the storm generator is deterministic for a seed and different across seeds") {
  StormCorpus a = generate_storms({.seed = 5, .reports = 300});
  StormCorpus b = generate_storms({.seed = 5, .reports = 300});
  StormCorpus c = generate_storms({.seed = 6, .reports = 300});
  REQUIRE(a.reports.size() == 300);
  CHECK(a.reports.front().title == b.reports.front().title);
  CHECK(a.reports.back().body == b.reports.back().body);
  CHECK(a.incidents == b.incidents);
  bool differs = false;
  for (size_t i = 0; i < 300; ++i) differs = differs || a.reports[i].title != c.reports[i].title;
  CHECK(differs);
  // 30% noise: 300 - 210 incident reports, one or two more when the last storm cannot take
  // the one or two reports left over (a storm has two at least) or 0.7 rounds down.
  int64_t noise =
      std::count_if(a.reports.begin(), a.reports.end(), [](const StormReport& r) { return r.incident == 0; });
  CHECK(noise >= 90);
  CHECK(noise <= 92);
  CHECK_FALSE(a.ran_out_of_causes);
  CHECK(a.noise_reports == noise);
  CHECK(std::any_of(a.reports.begin(), a.reports.end(), [](const StormReport& r) { return r.language == "zh"; }));
}

TEST_CASE("the real profile draws incidents as real storms are: small, chronic, often without an error, one owner") {
  StormCorpus c = generate_storms({.seed = 3, .reports = 2000, .noise_share = 0.8, .profile = "real"});
  REQUIRE(c.reports.size() == 2000);
  std::map<int64_t, std::vector<const StormReport*>> members;
  for (const StormReport& r : c.reports) {
    if (r.incident) members[r.incident].push_back(&r);
  }
  REQUIRE(members.size() >= 90);
  // 400 incident reports asked for, more than one incident per owner, cause and variant holds.
  CHECK(c.ran_out_of_causes);
  CHECK(c.noise_reports > 1600);
  size_t chronic = 0, without_error = 0, reports = 0;
  for (const auto& [id, m] : members) {
    CHECK(m.size() >= 2);
    CHECK(m.size() <= 5);
    std::set<std::string> owners, days;
    for (const StormReport* r : m) {
      owners.insert(r->owner);
      days.insert(r->created_at.substr(0, 10));
      without_error += r->body.find("Traceback") == std::string::npos;
      ++reports;
    }
    CHECK(owners.size() == 1);  // never across owners
    // Sorted ISO dates: the span from the first to the last, in days, read off the date strings.
    auto day = [](const std::string& d) {
      std::tm t{};
      t.tm_year = std::stoi(d.substr(0, 4)) - 1900;
      t.tm_mon = std::stoi(d.substr(5, 2)) - 1;
      t.tm_mday = std::stoi(d.substr(8, 2));
      return static_cast<double>(timegm(&t)) / 86400;
    };
    chronic += day(*days.rbegin()) - day(*days.begin()) > 30;
  }
  // Measured on the real storms: 0.47 of incidents span over 30 days, 0.50 of reports show no error.
  double chronic_share = static_cast<double>(chronic) / static_cast<double>(members.size());
  double without_share = static_cast<double>(without_error) / static_cast<double>(reports);
  CHECK(chronic_share > 0.25);
  CHECK(chronic_share < 0.6);
  CHECK(without_share > 0.35);
  CHECK(without_share < 0.65);
  // One cause and variant is one incident per owner, however long it lasts: no error line
  // (paths and the reporter's own numbers taken out) is pasted in two incidents of one owner.
  auto error_line = [](const std::string& body) {
    size_t at = body.find("main()\n");
    if (at == std::string::npos) return std::string();
    at += 7;
    std::string line = body.substr(at, body.find('\n', at) - at);
    static const std::regex path(R"(\S*site-packages/\w+)"), number(R"((^|[^\w.])\d+(?![\w.]))");
    // Standalone numbers become '#' (not those in "2.18.1" or "qwen2": variants).
    return std::regex_replace(std::regex_replace(line, path, "P"), number, "$1#");
  };
  std::map<std::string, std::set<int64_t>> incidents_of_line;
  for (const StormReport& r : c.reports) {
    if (std::string line = error_line(r.body); r.incident && !line.empty())
      incidents_of_line[r.owner + " | " + line].insert(r.incident);
  }
  CHECK(incidents_of_line.size() > 40);
  for (const auto& [line, incidents] : incidents_of_line) {
    INFO(line);
    CHECK(incidents.size() == 1);
  }
  // The burst profile keeps its corpus: an unknown profile is refused.
  CHECK_THROWS(generate_storms({.seed = 3, .reports = 10, .profile = "other"}));
}
