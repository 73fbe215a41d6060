// stats/agreement.cpp — Cohen's and Fleiss' kappa, Krippendorff's alpha for nominal labels.
#include "stats/agreement.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "base/error.h"

namespace firstmile::stats {

namespace {

void require_count(double value, const std::string& what) {
  if (!std::isfinite(value) || value < 0) throw Error(what + ": counts must be finite and not negative");
}

// The shared tail of the kappas: the degenerate cases, then (observed - expected) / (1 - expected).
Kappa chance_corrected(Kappa k) {
  // Rounding can leave chance agreement a hair off 1 when a single category was used.
  if (k.expected >= 1 - 1e-12) {
    k.expected = 1;
    k.kappa = 1;
    k.note = "undefined (0/0): every rating is in one category, so chance agreement is 1; reported as 1";
    return k;
  }
  k.ok = true;
  k.kappa = (k.observed - k.expected) / (1 - k.expected);
  return k;
}

}  // namespace

Kappa cohens_kappa(const std::vector<std::vector<double>>& confusion) {
  size_t categories = confusion.size();
  for (const auto& row : confusion) {
    if (row.size() != categories) throw Error("Cohen's kappa: the confusion matrix must be square");
    for (double v : row) require_count(v, "Cohen's kappa");
  }
  Kappa k;
  std::vector<double> rows(categories, 0), columns(categories, 0);
  double diagonal = 0;
  for (size_t i = 0; i < categories; ++i) {
    for (size_t j = 0; j < categories; ++j) {
      rows[i] += confusion[i][j];
      columns[j] += confusion[i][j];
      k.n += confusion[i][j];
    }
    diagonal += confusion[i][i];
  }
  if (k.n <= 0) {
    k.note = "not computed: no items";
    return k;
  }
  k.observed = diagonal / k.n;
  for (size_t i = 0; i < categories; ++i) k.expected += (rows[i] / k.n) * (columns[i] / k.n);
  return chance_corrected(k);
}

Kappa cohens_kappa_from_labels(const std::vector<std::string>& rater_a, const std::vector<std::string>& rater_b) {
  if (rater_a.size() != rater_b.size()) {
    throw Error("Cohen's kappa: the raters labelled different numbers of items (" + std::to_string(rater_a.size()) +
                " and " + std::to_string(rater_b.size()) + ")");
  }
  std::map<std::string, size_t> index;
  for (const auto* labels : {&rater_a, &rater_b}) {
    for (const auto& label : *labels) index.emplace(label, index.size());
  }
  std::vector<std::vector<double>> confusion(index.size(), std::vector<double>(index.size(), 0.0));
  for (size_t i = 0; i < rater_a.size(); ++i) confusion[index[rater_a[i]]][index[rater_b[i]]] += 1;
  return cohens_kappa(confusion);
}

Kappa fleiss_kappa(const std::vector<std::vector<double>>& ratings) {
  Kappa k;
  k.n = static_cast<double>(ratings.size());
  if (ratings.empty()) {
    k.note = "not computed: no items";
    return k;
  }
  size_t categories = ratings[0].size();
  double raters = 0;
  for (double v : ratings[0]) raters += v;
  std::vector<double> category_totals(categories, 0);
  double agreement_sum = 0;
  for (size_t i = 0; i < ratings.size(); ++i) {
    if (ratings[i].size() != categories) throw Error("Fleiss' kappa: every item needs a count for each category");
    double item_raters = 0, same_pairs = 0;
    for (size_t j = 0; j < categories; ++j) {
      require_count(ratings[i][j], "Fleiss' kappa");
      item_raters += ratings[i][j];
      category_totals[j] += ratings[i][j];
      same_pairs += ratings[i][j] * (ratings[i][j] - 1);
    }
    if (std::abs(item_raters - raters) > 1e-9 * std::max(1.0, raters)) {
      throw Error("Fleiss' kappa: item " + std::to_string(i + 1) + " has a different number of raters than item 1");
    }
    if (raters >= 2) agreement_sum += same_pairs / (raters * (raters - 1));
  }
  if (raters < 2) {
    k.note = "not computed: needs at least 2 raters per item";
    return k;
  }
  k.observed = agreement_sum / k.n;
  for (double total : category_totals) {
    double share = total / (k.n * raters);
    k.expected += share * share;
  }
  return chance_corrected(k);
}

Alpha krippendorff_alpha_nominal(const std::vector<std::vector<std::string>>& units) {
  // Coincidences: within a unit of m labels, each ordered pair of labels from different coders
  // counts 1 / (m - 1), so every pairable label contributes exactly 1 in total.
  std::map<std::string, size_t> index;
  for (const auto& unit : units) {
    for (const auto& label : unit) {
      if (!label.empty()) index.emplace(label, index.size());
    }
  }
  std::vector<std::vector<double>> coincidences(index.size(), std::vector<double>(index.size(), 0.0));
  for (const auto& unit : units) {
    std::vector<double> counts(index.size(), 0.0);
    double m = 0;
    for (const auto& label : unit) {
      if (label.empty()) continue;
      counts[index[label]] += 1;
      m += 1;
    }
    if (m < 2) continue;
    for (size_t c = 0; c < counts.size(); ++c) {
      for (size_t k = 0; k < counts.size(); ++k) {
        double pairs = c == k ? counts[c] * (counts[c] - 1) : counts[c] * counts[k];
        coincidences[c][k] += pairs / (m - 1);
      }
    }
  }
  Alpha a;
  std::vector<double> margins(index.size(), 0.0);
  double agreeing = 0;
  for (size_t c = 0; c < index.size(); ++c) {
    for (size_t k = 0; k < index.size(); ++k) margins[c] += coincidences[c][k];
    a.pairable_values += margins[c];
    agreeing += coincidences[c][c];
  }
  double n = a.pairable_values;
  if (n < 2) {
    a.note = "not computed: no unit was labelled by two or more coders";
    return a;
  }
  double squared_margins = 0;
  for (double margin : margins) squared_margins += margin * margin;
  a.observed_disagreement = (n - agreeing) / n;
  a.expected_disagreement = (n * n - squared_margins) / (n * (n - 1));
  if (a.expected_disagreement <= 1e-12) {
    a.expected_disagreement = 0;
    a.observed_disagreement = 0;
    a.alpha = 1;
    a.note = "undefined (0/0): every label is the same, so no disagreement is expected; reported as 1";
    return a;
  }
  a.ok = true;
  a.alpha = 1 - a.observed_disagreement / a.expected_disagreement;
  return a;
}

}  // namespace firstmile::stats
