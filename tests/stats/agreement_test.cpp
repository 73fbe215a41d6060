// Tests of stats/agreement.h. Cohen's and Fleiss' kappa expected values from statsmodels 0.13
// (statsmodels.stats.inter_rater.cohens_kappa(table).kappa, fleiss_kappa(table, method="fleiss"));
// Krippendorff's alpha from the worked examples in Krippendorff, "Computing Krippendorff's
// Alpha-Reliability" (2011), checked with an independent Python implementation.
#include <doctest/doctest.h>

#include <cmath>

#include "base/error.h"
#include "stats/agreement.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("Cohen's kappa is 0.4 on a textbook table") {
  // 70% observed agreement, 50% by chance: (0.7 - 0.5) / (1 - 0.5) = 0.4
  Kappa k = cohens_kappa({{20, 5}, {10, 15}});
  REQUIRE(k.ok);
  CHECK(k.observed == doctest::Approx(0.7));
  CHECK(k.expected == doctest::Approx(0.5));
  CHECK(k.kappa == doctest::Approx(0.4));
  CHECK(k.n == 50);
}

TEST_CASE("Cohen's kappa on a 3x3 table matches statsmodels") {
  // cohens_kappa([[12, 3, 1], [2, 15, 4], [0, 5, 9]]).kappa -> 0.549469964664311
  CHECK(cohens_kappa({{12, 3, 1}, {2, 15, 4}, {0, 5, 9}}).kappa == doctest::Approx(0.549469964664311).epsilon(1e-12));
}

TEST_CASE("Cohen's kappa is 1 for perfect agreement and 0 for chance agreement") {
  CHECK(cohens_kappa({{10, 0}, {0, 10}}).kappa == doctest::Approx(1.0));
  Kappa chance = cohens_kappa({{25, 25}, {25, 25}});
  CHECK(chance.ok);
  CHECK(chance.kappa == doctest::Approx(0.0));
}

TEST_CASE("Cohen's kappa from label vectors equals the kappa of their confusion matrix") {
  std::vector<std::string> a{"Crash", "Crash", "Hang", "Hang", "Crash", "Slow", "Slow", "Hang"};
  std::vector<std::string> b{"Crash", "Hang", "Hang", "Hang", "Crash", "Slow", "Crash", "Slow"};
  // Rows a, columns b over (Crash, Hang, Slow).
  Kappa from_matrix = cohens_kappa({{2, 1, 0}, {0, 2, 1}, {1, 0, 1}});
  Kappa from_labels = cohens_kappa_from_labels(a, b);
  CHECK(from_labels.kappa == doctest::Approx(from_matrix.kappa).epsilon(1e-14));
  CHECK(from_labels.observed == doctest::Approx(5.0 / 8.0));
  CHECK_THROWS_AS(cohens_kappa_from_labels({"a"}, {"a", "b"}), Error);
}

TEST_CASE("Cohen's kappa when both raters used one category is defined, with a note") {
  Kappa single = cohens_kappa({{10, 0}, {0, 0}});
  CHECK_FALSE(single.ok);
  CHECK(single.kappa == 1.0);
  CHECK(single.expected == 1.0);
  CHECK(single.note.find("one category") != std::string::npos);
  Kappa none = cohens_kappa({{0, 0}, {0, 0}});
  CHECK_FALSE(none.ok);
  CHECK(none.kappa == 0);
  CHECK_FALSE(cohens_kappa_from_labels({}, {}).ok);
}

TEST_CASE("Cohen's kappa needs a square confusion matrix") {
  CHECK_THROWS_AS(cohens_kappa({{1, 2}, {3}}), Error);
  CHECK_THROWS_AS(cohens_kappa({{1, -2}, {3, 4}}), Error);
}

TEST_CASE("Fleiss' kappa reproduces the classic 10 items x 14 raters example") {
  // The worked example of Fleiss' kappa (Wikipedia): P-bar 0.378, P_e 0.213, kappa 0.210;
  // fleiss_kappa(table, method="fleiss") -> 0.20993070442195522
  Kappa k = fleiss_kappa({{0, 0, 0, 0, 14},
                          {0, 2, 6, 4, 2},
                          {0, 0, 3, 5, 6},
                          {0, 3, 9, 2, 0},
                          {2, 2, 8, 1, 1},
                          {7, 7, 0, 0, 0},
                          {3, 2, 6, 3, 0},
                          {2, 5, 3, 2, 2},
                          {6, 5, 2, 1, 0},
                          {0, 2, 2, 3, 7}});
  REQUIRE(k.ok);
  CHECK(k.kappa == doctest::Approx(0.20993070442195522).epsilon(1e-12));
  CHECK(k.observed == doctest::Approx(0.378).epsilon(1e-3));
  CHECK(k.expected == doctest::Approx(0.213).epsilon(1e-2));
  CHECK(k.n == 10);
}

TEST_CASE("Fleiss' kappa is 1 for unanimous items and matches statsmodels on a small table") {
  CHECK(fleiss_kappa({{3, 0}, {0, 3}, {3, 0}}).kappa == doctest::Approx(1.0));
  // fleiss_kappa([[3, 0], [0, 3], [2, 1], [1, 2]], method="fleiss") -> 0.3333333333333335
  CHECK(fleiss_kappa({{3, 0}, {0, 3}, {2, 1}, {1, 2}}).kappa == doctest::Approx(1.0 / 3.0).epsilon(1e-12));
}

TEST_CASE("Fleiss' kappa on degenerate ratings is defined, with a note") {
  Kappa one_category = fleiss_kappa({{4, 0}, {4, 0}});
  CHECK_FALSE(one_category.ok);
  CHECK(one_category.kappa == 1);
  CHECK_FALSE(one_category.note.empty());
  Kappa one_rater = fleiss_kappa({{1, 0}, {0, 1}});
  CHECK_FALSE(one_rater.ok);
  CHECK(one_rater.kappa == 0);
  CHECK(one_rater.note.find("2 raters") != std::string::npos);
  CHECK_FALSE(fleiss_kappa({}).ok);
}

TEST_CASE("Fleiss' kappa needs the same number of raters for every item") {
  CHECK_THROWS_AS(fleiss_kappa({{3, 0}, {1, 1}}), Error);
  CHECK_THROWS_AS(fleiss_kappa({{3, 0}, {3}}), Error);
}

TEST_CASE("Krippendorff's alpha reproduces the two-coder binary example") {
  // Krippendorff (2011), section A: alpha = 0.095 (exactly 1 - 0.9047619...).
  std::vector<std::string> a{"0", "1", "0", "0", "0", "0", "0", "0", "1", "0"};
  std::vector<std::string> b{"1", "1", "1", "0", "0", "1", "0", "0", "0", "0"};
  std::vector<std::vector<std::string>> units;
  for (size_t i = 0; i < a.size(); ++i) units.push_back({a[i], b[i]});
  Alpha alpha = krippendorff_alpha_nominal(units);
  REQUIRE(alpha.ok);
  CHECK(alpha.alpha == doctest::Approx(0.09523809523809512).epsilon(1e-12));
  CHECK(alpha.pairable_values == 20);
}

TEST_CASE("Krippendorff's alpha reproduces the four-coder example with missing values") {
  // Krippendorff (2011), section C, nominal: alpha = 0.743 (0.743421052631579).
  // units[u][c]; "" = coder c did not label unit u. Unit 12 has one label and is not pairable.
  std::vector<std::vector<std::string>> units{{"1", "1", "", "1"},  {"2", "2", "3", "2"}, {"3", "3", "3", "3"},
                                              {"3", "3", "3", "3"}, {"2", "2", "2", "2"}, {"1", "2", "3", "4"},
                                              {"4", "4", "4", "4"}, {"1", "1", "2", "1"}, {"2", "2", "2", "2"},
                                              {"", "5", "5", "5"},  {"", "", "1", "1"},   {"", "3", "", ""}};
  Alpha alpha = krippendorff_alpha_nominal(units);
  REQUIRE(alpha.ok);
  CHECK(alpha.alpha == doctest::Approx(0.743421052631579).epsilon(1e-12));
  CHECK(alpha.pairable_values == 40);
}

TEST_CASE("Krippendorff's alpha on degenerate data is defined, with a note") {
  Alpha unpairable = krippendorff_alpha_nominal({{"a", ""}, {"", "b"}});
  CHECK_FALSE(unpairable.ok);
  CHECK(unpairable.alpha == 0);
  CHECK(unpairable.note.find("two or more coders") != std::string::npos);
  Alpha same = krippendorff_alpha_nominal({{"a", "a"}, {"a", "a", "a"}});
  CHECK_FALSE(same.ok);
  CHECK(same.alpha == 1);
  CHECK(std::isfinite(same.observed_disagreement));
  CHECK(same.expected_disagreement == 0);
  CHECK_FALSE(krippendorff_alpha_nominal({}).ok);
}

TEST_CASE("Krippendorff's alpha is 1 for perfect agreement with variation") {
  Alpha a = krippendorff_alpha_nominal({{"a", "a"}, {"b", "b", ""}, {"c", "c", "c"}});
  REQUIRE(a.ok);
  CHECK(a.alpha == doctest::Approx(1.0));
}
