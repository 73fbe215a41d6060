// Tests of aggregate/storms.h: the synthetic storms are one corpus per seed.
#include <doctest/doctest.h>

#include <algorithm>

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
  CHECK(std::any_of(a.reports.begin(), a.reports.end(), [](const StormReport& r) { return r.language == "zh"; }));
}
