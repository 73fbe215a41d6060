// labels/annotator_agreement.cpp — label tables per dimension and level, handed to stats/agreement.
#include "labels/annotator_agreement.h"

#include <map>
#include <ostream>
#include <set>

#include "base/error.h"
#include "base/text_table.h"
#include "store/store.h"

namespace firstmile {

namespace {

LevelAgreement agreement_at(const std::vector<SourceLabels>& labels, const std::set<FailureKey>& keys,
                            const std::string& dimension, int level, const Taxonomy& taxonomy) {
  LevelAgreement out;
  out.dimension = dimension;
  out.level = level;
  std::vector<std::vector<std::string>> units;  // [failure][source]: class, "" when missing
  for (const FailureKey& key : keys) {
    std::vector<std::string> unit;
    size_t labelled = 0;
    for (const SourceLabels& source : labels) {
      auto f = source.find(key);
      unit.push_back(f == source.end() ? "" : class_at_level(f->second, dimension, level, taxonomy));
      labelled += unit.back().empty() ? 0 : 1;
    }
    if (labelled >= 2) {
      ++out.alpha_items;
      units.push_back(unit);
    }
  }
  out.alpha = stats::krippendorff_alpha_nominal(units);

  // Kappas: the failures every source labelled (so of issues every source labelled).
  std::vector<std::vector<std::string>> complete;
  for (size_t u = 0; u < units.size(); ++u) {
    bool all = true;
    for (const std::string& c : units[u]) all = all && !c.empty();
    if (all) complete.push_back(units[u]);
  }
  out.items = static_cast<int64_t>(complete.size());
  if (labels.size() == 2) {
    std::vector<std::string> a, b;
    for (const auto& unit : complete) {
      a.push_back(unit[0]);
      b.push_back(unit[1]);
    }
    out.cohen = stats::cohens_kappa_from_labels(a, b);
  } else {
    std::set<std::string> categories;
    for (const auto& unit : complete) categories.insert(unit.begin(), unit.end());
    std::map<std::string, size_t> column;
    for (const std::string& c : categories) column.emplace(c, column.size());
    std::vector<std::vector<double>> ratings;
    for (const auto& unit : complete) {
      std::vector<double> row(categories.size(), 0.0);
      for (const std::string& c : unit) row[column[c]] += 1;
      ratings.push_back(std::move(row));
    }
    out.fleiss = stats::fleiss_kappa(ratings);
  }
  return out;
}

bool selected(const LevelAgreement& l, const std::string& dimension, int level) {
  return (dimension.empty() || l.dimension == dimension) && (level == 0 || l.level == level);
}

std::string number(double value, bool ok_or_n) { return ok_or_n ? format_fixed(value, 4) : "-"; }

// A kappa the statistic cannot define (one category only: chance agreement 1) is marked "*".
std::string kappa_text(const stats::Kappa& k) { return k.n > 0 ? format_fixed(k.kappa, 4) + (k.ok ? "" : "*") : "-"; }

}  // namespace

AnnotatorAgreement annotator_agreement(Store& store, const Taxonomy& taxonomy, const NodeResolver& resolve,
                                       const std::vector<std::string>& selectors) {
  if (selectors.size() < 2) throw Error("agreement needs at least two sources");
  AnnotatorAgreement out;
  out.taxonomy = taxonomy.id();
  std::vector<SourceLabels> labels;
  for (const std::string& selector : selectors) {
    std::string source = resolve_source(store, selector);
    for (const std::string& earlier : out.sources) {
      if (earlier == source) throw Error("source '" + source + "' is named twice");
    }
    out.sources.push_back(source);
    labels.push_back(load_source_labels(store, source, resolve));
  }
  std::map<int64_t, size_t> sources_per_issue;
  std::set<FailureKey> keys;
  for (const SourceLabels& source : labels) {
    std::set<int64_t> issues;
    for (const auto& [key, f] : source) {
      keys.insert(key);
      issues.insert(key.first);
    }
    for (int64_t issue : issues) ++sources_per_issue[issue];
  }
  for (const auto& [issue, count] : sources_per_issue) {
    if (count == labels.size()) ++out.issues_all;
    if (count >= 2) ++out.issues_two_or_more;
  }
  for (const std::string& dimension : label_dimensions()) {
    for (int level = 1; level <= dimension_levels(taxonomy, dimension); ++level) {
      out.levels.push_back(agreement_at(labels, keys, dimension, level, taxonomy));
    }
  }
  return out;
}

void print_agreement(const AnnotatorAgreement& a, const std::string& dimension, int level, std::ostream& out) {
  out << "Agreement between";
  for (const std::string& s : a.sources) out << " " << s;
  out << " (taxonomy " << a.taxonomy << ")\n  issues labelled by all: " << a.issues_all
      << "; by at least two: " << a.issues_two_or_more << "\n\n";
  bool two = a.sources.size() == 2;
  TextTable t({"dimension", "level", "n", "raw agreement", two ? "Cohen's kappa" : "Fleiss' kappa", "n (alpha)",
               "Krippendorff's alpha"});
  for (size_t c = 1; c < 7; ++c) t.align_right(c);
  bool undefined = false;
  for (const LevelAgreement& l : a.levels) {
    if (!selected(l, dimension, level)) continue;
    const stats::Kappa& k = two ? l.cohen : l.fleiss;
    undefined = undefined || (k.n > 0 && !k.ok);
    t.add_row({l.dimension, std::to_string(l.level), std::to_string(l.items), number(l.raw_agreement(), l.items > 0),
               kappa_text(k), std::to_string(l.alpha_items), number(l.alpha.alpha, l.alpha.pairable_values > 0)});
  }
  t.print(out, "  ");
  if (undefined) out << "  * a single category: chance agreement is 1, kappa is undefined and shown as 1\n";
}

nlohmann::json agreement_to_json(const AnnotatorAgreement& a, const std::string& dimension, int level) {
  auto kappa = [](const stats::Kappa& k) {
    return nlohmann::json{{"kappa", k.kappa},       {"ok", k.ok}, {"observed", k.observed},
                          {"expected", k.expected}, {"n", k.n},   {"note", k.note}};
  };
  nlohmann::json levels = nlohmann::json::array();
  for (const LevelAgreement& l : a.levels) {
    if (!selected(l, dimension, level)) continue;
    nlohmann::json row{{"dimension", l.dimension},
                       {"level", l.level},
                       {"n", l.items},
                       {"raw_agreement", l.raw_agreement()},
                       {"alpha_n", l.alpha_items},
                       {"krippendorff_alpha",
                        {{"alpha", l.alpha.alpha},
                         {"ok", l.alpha.ok},
                         {"note", l.alpha.note},
                         {"pairable_values", l.alpha.pairable_values}}}};
    if (a.sources.size() == 2) {
      row["cohens_kappa"] = kappa(l.cohen);
    } else {
      row["fleiss_kappa"] = kappa(l.fleiss);
    }
    levels.push_back(std::move(row));
  }
  return {{"sources", a.sources},
          {"taxonomy", a.taxonomy},
          {"issues_all", a.issues_all},
          {"issues_two_or_more", a.issues_two_or_more},
          {"levels", levels}};
}

}  // namespace firstmile
