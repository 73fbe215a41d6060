// stats/agreement.h — chance-corrected agreement between annotators.
//
//   Kappa k = cohens_kappa({{20, 5}, {10, 15}});   // confusion[i][j]: A said i, B said j
//   k.kappa == 0.4; k.observed == 0.7; k.expected == 0.5;
//   cohens_kappa_from_labels({"Crash", "Hang"}, {"Crash", "Crash"});   // one label per item
//   fleiss_kappa(ratings);                  // ratings[item][category]: raters who chose it
//   krippendorff_alpha_nominal(units);      // units[unit][coder]: a label, "" when not coded
//
// Each is (observed - expected agreement) / (1 - expected): 1 is perfect agreement, 0 is what
// chance alone gives, below 0 is worse than chance. Cohen's kappa is for two raters who each
// labelled every item; Fleiss' kappa for a fixed number of raters per item, not necessarily
// the same people; Krippendorff's alpha (nominal) for any number of coders with missing
// labels. Cohen's and Fleiss' kappa match statsmodels.stats.inter_rater.
//
// Degenerate data never give NaN: with nothing to compare, ok = false and every number 0; when
// everyone used a single category, chance agreement is 1 and the statistic is 0/0 — then
// ok = false, the value is reported as 1 (the observed agreement is then necessarily perfect)
// and the note says why. A malformed matrix (not square, ragged, negative) is a caller's
// mistake: firstmile::Error.
#pragma once

#include <string>
#include <vector>

namespace firstmile::stats {

struct Kappa {
  bool ok = false;
  std::string note;
  double kappa = 0;
  double observed = 0;  // share of agreement: the diagonal (Cohen), mean pairwise agreement (Fleiss)
  double expected = 0;  // agreement expected by chance from the category shares
  double n = 0;         // items
};

// `confusion` must be square: row i, column j counts the items rater A put in category i and
// rater B in category j.
Kappa cohens_kappa(const std::vector<std::vector<double>>& confusion);
// rater_a[i] and rater_b[i] label item i; the categories are all labels either rater used.
Kappa cohens_kappa_from_labels(const std::vector<std::string>& rater_a, const std::vector<std::string>& rater_b);

// `ratings[i][j]`: how many raters put item i in category j. Every item needs the same number
// of raters; fewer than 2 raters gives ok = false.
Kappa fleiss_kappa(const std::vector<std::vector<double>>& ratings);

struct Alpha {
  bool ok = false;
  std::string note;
  double alpha = 0;
  double observed_disagreement = 0;
  double expected_disagreement = 0;
  double pairable_values = 0;  // labels in units that at least two coders labelled
};

// `units[u]` holds the labels coders gave unit u, "" for a coder who did not label it. Units
// labelled by fewer than two coders cannot be compared and are left out, as Krippendorff does.
Alpha krippendorff_alpha_nominal(const std::vector<std::vector<std::string>>& units);

}  // namespace firstmile::stats
