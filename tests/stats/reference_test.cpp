// The statistics of lib/stats on the tables of ../shared/reference (computed independently with
// scipy 1.10), to relative 1e-6. Skipped when ../shared is missing. The tables here are read from
// the reference file; analyze's own tests rebuild them from the imported dataset.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/json_file.h"
#include "stats/chi_square.h"
#include "stats/correlation.h"
#include "stats/divergence.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::stats;
using firstmile::testing::require_shared;

namespace {

nlohmann::json reference() { return read_json_file(require_shared("reference/open-llm-failures-stats.json")); }

ContingencyTable table_of(const nlohmann::json& j) {
  return ContingencyTable(j["rows"].get<std::vector<std::string>>(), j["cols"].get<std::vector<std::string>>(),
                          j["counts"].get<std::vector<std::vector<double>>>());
}

void check_test(const nlohmann::json& j) {
  ChiSquare r = chi_square_test(table_of(j));
  const auto& expected = j["test"];
  REQUIRE(r.ok);
  CHECK(r.statistic == doctest::Approx(expected["chi2"].get<double>()).epsilon(1e-6));
  CHECK(r.dof == expected["dof"].get<int>());
  CHECK(r.p_value == doctest::Approx(expected["p"].get<double>()).epsilon(1e-6));
  CHECK(r.cramers_v == doctest::Approx(expected["cramers_v"].get<double>()).epsilon(1e-6));
  CHECK(r.n == expected["n"].get<double>());
  const auto& residuals = expected["adjusted_residuals"];
  for (size_t i = 0; i < residuals.size(); ++i) {
    for (size_t k = 0; k < residuals[i].size(); ++k) {
      // The reference rounds residuals to 6 decimals.
      CHECK(r.adjusted_residuals[i][k] == doctest::Approx(residuals[i][k].get<double>()).epsilon(1e-6).scale(1.0));
    }
  }
}

}  // namespace

TEST_CASE("chi-square tests on the reference tables match scipy") {
  nlohmann::json ref = reference();
  for (const char* name : {"rq3_symptom_by_root_cause", "rq4_series_by_symptom", "rq4_series_by_root_cause",
                           "rq5_stage_by_symptom", "rq5_stage_by_root_cause"}) {
    CAPTURE(name);
    check_test(ref[name]);
  }
}

TEST_CASE("series correlations and Jensen-Shannon divergences on the reference tables match scipy") {
  nlohmann::json ref = reference();
  for (const char* name : {"rq4_series_by_symptom", "rq4_series_by_root_cause"}) {
    CAPTURE(name);
    const auto& j = ref[name];
    auto rows = j["counts"].get<std::vector<std::vector<double>>>();
    auto pearson = correlation_matrix(rows, CorrelationMethod::kPearson);
    auto spearman = correlation_matrix(rows, CorrelationMethod::kSpearman);
    for (size_t a = 0; a < rows.size(); ++a) {
      for (size_t b = 0; b < rows.size(); ++b) {
        CHECK(pearson[a][b].coefficient == doctest::Approx(j["pearson"][a][b].get<double>()).epsilon(1e-6).scale(1.0));
        CHECK(spearman[a][b].coefficient ==
              doctest::Approx(j["spearman"][a][b].get<double>()).epsilon(1e-6).scale(1.0));
        double jsd = jensen_shannon_divergence(rows[a], rows[b]).value;
        CHECK(jsd == doctest::Approx(j["jsd_base2"][a][b].get<double>()).epsilon(1e-6).scale(1.0));
      }
    }
  }
}
