// analyze/study.cpp — building the study's tables from annotations and running the tests.
#include "analyze/study.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "analyze/label_view.h"
#include "base/error.h"
#include "base/text.h"
#include "stats/divergence.h"
#include "stats/proportion.h"
#include "store/store.h"

namespace firstmile {

namespace {

// Annotations with the same labels and attributes, reduced to what the tables need: their
// categories at the chosen level, and how many they are.
struct Labelled {
  int64_t count;
  std::string series, model;
  const TaxonomyNode* symptom;
  const TaxonomyNode* root_cause;
  const TaxonomyNode* stage;
  const TaxonomyNode* symptom_leaf;  // the label as given, at its own depth
  const TaxonomyNode* root_cause_leaf;
};

// The categories of `dimension` at `level`: nodes at that level, and leaves above it.
std::vector<const TaxonomyNode*> categories(const Taxonomy& t, const std::string& dimension, int level) {
  std::vector<const TaxonomyNode*> out;
  for (const TaxonomyNode& n : t.nodes()) {
    if (n.dimension == dimension && (n.level == level || (n.level < level && n.children.empty()))) out.push_back(&n);
  }
  return out;
}

int clamp_level(const Taxonomy& t, const std::string& dimension, int level) {
  return std::clamp(level, 1, t.dimension(dimension).levels);
}

std::vector<std::string> names_of(const std::vector<const TaxonomyNode*>& nodes) {
  std::vector<std::string> out;
  for (const TaxonomyNode* n : nodes) out.push_back(n->name);
  return out;
}

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, pattern, a, b, c);
  return buffer;
}

// Diagnostic divergence: symptom and root cause associated, and which symptom points to which cause.
std::string divergence_finding(const CrossTable& d) {
  if (!d.test.ok) return "Diagnostic divergence: not testable here (" + d.test.note + ").";
  std::string line =
      format("Diagnostic divergence: symptom and root cause are associated (chi-square %.1f, ", d.test.statistic) +
      "dof " + std::to_string(d.test.dof) + format(", p = %.3g, Cramer's V = %.2f).", d.test.p_value, d.test.cramers_v);
  for (size_t i = 0; i < d.table.rows(); ++i) {
    const auto& residuals = d.test.adjusted_residuals[i];
    size_t best = static_cast<size_t>(std::max_element(residuals.begin(), residuals.end()) - residuals.begin());
    if (residuals[best] > 1.96) {
      line += " " + d.table.row_labels()[i] + " over-represents " + d.table.column_labels()[best] +
              format(" (adjusted residual %.2f).", residuals[best]);
    }
  }
  return line;
}

// Systemic homogeneity: the series' root-cause profiles correlate.
std::string homogeneity_finding(const SeriesComparison& h) {
  if (h.cross.table.rows() < 2) {
    return "Systemic homogeneity: needs at least two series; the selection holds " +
           std::to_string(h.cross.table.rows()) + ".";
  }
  std::string line = "Systemic homogeneity: root-cause profiles of the series correlate (Pearson r:";
  double sum = 0;
  int pairs = 0;
  for (size_t a = 0; a < h.pearson.size(); ++a) {
    for (size_t b = a + 1; b < h.pearson.size(); ++b) {
      line += " " + h.cross.table.row_labels()[a] + "-" + h.cross.table.row_labels()[b] +
              (h.pearson[a][b].ok ? format(" %.2f", h.pearson[a][b].coefficient) : std::string(" n/a")) + ";";
      if (h.pearson[a][b].ok) {
        sum += h.pearson[a][b].coefficient;
        ++pairs;
      }
    }
  }
  if (pairs)
    line += format(" mean %.2f).", sum / pairs);
  else
    line += " none computable).";
  return line;
}

// Lifecycle escalation: root causes shift between the two stages, and which ones do.
std::string escalation_finding(const CrossTable& e) {
  if (e.table.rows() != 2 || !e.test.ok) {
    return "Lifecycle escalation: needs failures of both stages (" +
           (e.test.note.empty() ? std::string("one stage only") : e.test.note) + ").";
  }
  std::string line = "Lifecycle escalation: root causes shift between " + e.table.row_labels()[0] + " and " +
                     e.table.row_labels()[1] +
                     format(" (chi-square %.1f, p = %.3g).", e.test.statistic, e.test.p_value);
  for (size_t c = 0; c < e.table.columns(); ++c) {
    double residual = e.test.adjusted_residuals[0][c];
    if (std::abs(residual) <= 1.96) continue;
    double first = e.table.row_total(0) > 0 ? e.table.at(0, c) / e.table.row_total(0) : 0;
    double second = e.table.row_total(1) > 0 ? e.table.at(1, c) / e.table.row_total(1) : 0;
    line += " " + e.table.column_labels()[c] + format(": %.1f%% of ", 100 * first) + e.table.row_labels()[0] +
            format(" failures vs %.1f%% of ", 100 * second) + e.table.row_labels()[1] +
            format(" (adjusted residual %.2f).", residual);
  }
  return line;
}

class StudyBuilder {
 public:
  StudyBuilder(Store& store, LabelView& view, const StudyOptions& options)
      : store_(store), view_(view), taxonomy_(view.taxonomy()), options_(options) {}

  StudyReport build() {
    StudyReport r;
    r.source = options_.source.empty() ? store_.default_source() : options_.source;
    r.taxonomy = taxonomy_.id();
    r.level = std::max(1, options_.level);
    r.filters = describe_filters();
    load(r);
    if (r.unit == "incident") {
      std::string unit = "counted by incident (" + std::to_string(r.incidents) + " incidents from " +
                         std::to_string(r.issues) + " reports, aggregation '" + r.aggregation + "')";
      r.filters = r.filters.empty() ? unit : r.filters + "; " + unit;
    }

    symptom_categories_ = categories(taxonomy_, "symptom", clamp_level(taxonomy_, "symptom", r.level));
    root_cause_categories_ = categories(taxonomy_, "root_cause", clamp_level(taxonomy_, "root_cause", r.level));
    stage_categories_ = categories(taxonomy_, "stage", 1);

    r.symptoms = distribution("symptom", symptom_categories_, [](const Labelled& l) { return l.symptom; });
    r.root_causes = distribution("root_cause", root_cause_categories_, [](const Labelled& l) { return l.root_cause; });
    r.stages = distribution("stage", stage_categories_, [](const Labelled& l) { return l.stage; });
    r.symptom_leaves = leaf_distribution("symptom", [](const Labelled& l) { return l.symptom_leaf; });
    r.root_cause_leaves = leaf_distribution("root_cause", [](const Labelled& l) { return l.root_cause_leaf; });

    r.symptom_by_root_cause = cross("symptom_by_root_cause", "Symptom x root cause", names_of(symptom_categories_),
                                    names_of(root_cause_categories_), rows_, [](const Labelled& l) {
                                      return std::make_pair(l.symptom->name, l.root_cause->name);
                                    });
    r.series_by_symptom = series_comparison("series_by_symptom", "Series x symptom", symptom_categories_,
                                            [](const Labelled& l) { return l.symptom; });
    r.series_by_root_cause = series_comparison("series_by_root_cause", "Series x root cause", root_cause_categories_,
                                               [](const Labelled& l) { return l.root_cause; });
    r.stage_by_symptom =
        cross("stage_by_symptom", "Stage x symptom", names_of(stage_categories_), names_of(symptom_categories_), rows_,
              [](const Labelled& l) { return std::make_pair(l.stage->name, l.symptom->name); });
    r.stage_by_root_cause = cross("stage_by_root_cause", "Stage x root cause", names_of(stage_categories_),
                                  names_of(root_cause_categories_), rows_,
                                  [](const Labelled& l) { return std::make_pair(l.stage->name, l.root_cause->name); });
    for (const auto& [from, to] : options_.evolution) r.evolution.push_back(evolution(from, to));
    r.findings = findings(r);
    return r;
  }

 private:
  using Pick = const TaxonomyNode* (*)(const Labelled&);

  std::string describe_filters() const {
    std::vector<std::string> parts;
    if (!options_.series.empty()) parts.push_back("series " + join(options_.series, ", "));
    if (!options_.models.empty()) parts.push_back("model " + join(options_.models, ", "));
    if (!options_.stages.empty()) parts.push_back("stage " + join(options_.stages, ", "));
    if (!options_.since.empty()) parts.push_back("since " + options_.since);
    if (!options_.until.empty()) parts.push_back("until " + options_.until);
    return join(parts, "; ");
  }

  bool stage_selected(const TaxonomyNode* stage) const {
    if (options_.stages.empty()) return true;
    for (const std::string& s : options_.stages) {
      if (stage && (to_lower_ascii(s) == to_lower_ascii(stage->name) || s == stage->id)) return true;
    }
    return false;
  }

  // Reads the selected annotations, grouped in SQL, and places each group in the categories
  // at the chosen level.
  void load(StudyReport& r) {
    const int symptom_level = clamp_level(taxonomy_, "symptom", r.level);
    const int root_cause_level = clamp_level(taxonomy_, "root_cause", r.level);
    AnnotationQuery query{r.source,       options_.series, options_.models,
                          options_.since, options_.until,  options_.incidents};
    StageFilter keep_stage;
    if (!options_.stages.empty()) {
      keep_stage = [this](const std::string& taxonomy, const std::string& stage) {
        return stage_selected(view_.resolve(taxonomy, stage));
      };
    }
    AnnotationGroups selected = store_.annotation_groups(query, keep_stage);
    for (const AnnotationGroup& g : selected.groups) {
      const TaxonomyNode* stage = view_.resolve(g.taxonomy, g.stage);
      const TaxonomyNode* symptom = view_.resolve(g.taxonomy, g.symptom);
      const TaxonomyNode* root_cause = view_.resolve(g.taxonomy, g.root_cause);
      r.annotations += g.count;
      if (!symptom || !root_cause || !stage) {
        r.unlabelled += g.count;
        continue;
      }
      rows_.push_back({g.count, g.series, g.model, &taxonomy_.ancestor_at_level(*symptom, symptom_level),
                       &taxonomy_.ancestor_at_level(*root_cause, root_cause_level), stage, symptom, root_cause});
      labelled_ += g.count;
    }
    r.issues = selected.issues;
    if (!options_.incidents.empty()) {
      r.unit = "incident";
      r.aggregation = options_.incidents;
      r.incidents = selected.incidents;
      r.multi_report_incidents = selected.multi_report_incidents;
    }
  }

  // At the deepest level of the dimension, whatever level the report uses.
  Distribution leaf_distribution(const std::string& dimension, Pick pick) {
    int deepest = taxonomy_.dimension(dimension).levels;
    return distribution(dimension, categories(taxonomy_, dimension, deepest), pick, deepest);
  }

  Distribution distribution(const std::string& dimension, const std::vector<const TaxonomyNode*>& cats, Pick pick,
                            int level = 0) {
    if (level == 0) level = dimension == "stage" ? 1 : clamp_level(taxonomy_, dimension, options_.level);
    Distribution d{dimension, level, {}};
    std::map<const TaxonomyNode*, int64_t> counts;
    // A label that stops above the deepest level (e.g. a level-2 label where level 3 exists)
    // counts under its own node.
    for (const Labelled& l : rows_) counts[&taxonomy_.ancestor_at_level(*pick(l), level)] += l.count;
    double n = static_cast<double>(labelled_);
    for (const TaxonomyNode* c : cats) {
      CategoryShare s{c->id, c->name, taxonomy_.path_name(*c), counts[c], 0, 0, 0};
      stats::WilsonInterval w = stats::wilson_interval(static_cast<double>(s.count), n);
      if (w.ok) {
        s.share = w.proportion;
        s.lower = w.lower;
        s.upper = w.upper;
      }
      d.rows.push_back(std::move(s));
    }
    return d;
  }

  template <typename Cell>
  CrossTable cross(const std::string& name, const std::string& title, std::vector<std::string> row_labels,
                   std::vector<std::string> column_labels, const std::vector<Labelled>& rows, Cell cell) {
    CrossTable t{name, title, stats::ContingencyTable(std::move(row_labels), std::move(column_labels)), {}, false, {}};
    for (const Labelled& l : rows) {
      auto [row, column] = cell(l);
      t.table.add(row, column, static_cast<double>(l.count));
    }
    t.test = stats::chi_square_test(t.table);
    if (t.table.rows() == 2 && t.table.columns() == 2) {
      t.has_fisher = true;
      auto count = [&](size_t r, size_t c) { return static_cast<uint64_t>(t.table.at(r, c)); };
      t.fisher = stats::fisher_exact_test(count(0, 0), count(0, 1), count(1, 0), count(1, 1));
    }
    return t;
  }

  SeriesComparison series_comparison(const std::string& name, const std::string& title,
                                     const std::vector<const TaxonomyNode*>& cats, Pick pick) {
    std::set<std::string, bool (*)(const std::string&, const std::string&)> series(
        [](const std::string& a, const std::string& b) { return to_lower_ascii(a) < to_lower_ascii(b); });
    for (const Labelled& l : rows_) series.insert(l.series.empty() ? "(none)" : l.series);
    SeriesComparison s;
    s.cross = cross(name, title, std::vector<std::string>(series.begin(), series.end()), names_of(cats), rows_,
                    [pick](const Labelled& l) {
                      return std::make_pair(l.series.empty() ? std::string("(none)") : l.series, pick(l)->name);
                    });
    std::vector<std::vector<double>> vectors = s.cross.table.matrix();
    s.pearson = stats::correlation_matrix(vectors, stats::CorrelationMethod::kPearson);
    s.spearman = stats::correlation_matrix(vectors, stats::CorrelationMethod::kSpearman);
    s.jensen_shannon.assign(vectors.size(), std::vector<double>(vectors.size(), 0.0));
    for (size_t a = 0; a < vectors.size(); ++a) {
      for (size_t b = 0; b < vectors.size(); ++b) {
        s.jensen_shannon[a][b] = stats::jensen_shannon_divergence(vectors[a], vectors[b]).value;
      }
    }
    return s;
  }

  Evolution evolution(const std::string& from, const std::string& to) {
    std::vector<Labelled> pair;
    for (const Labelled& l : rows_) {
      if (l.model == from || l.model == to) pair.push_back(l);
    }
    Evolution e{from, to, {}, {}};
    auto model_of = [](const Labelled& l) { return l.model; };
    e.symptom = cross("evolution:" + from + "->" + to + ":symptom", from + " -> " + to + ": symptom", {from, to},
                      names_of(symptom_categories_), pair,
                      [&](const Labelled& l) { return std::make_pair(model_of(l), l.symptom->name); });
    e.root_cause = cross("evolution:" + from + "->" + to + ":root_cause", from + " -> " + to + ": root cause",
                         {from, to}, names_of(root_cause_categories_), pair,
                         [&](const Labelled& l) { return std::make_pair(model_of(l), l.root_cause->name); });
    return e;
  }

  // The three phenomena of the study, stated from whatever labels were analysed.
  std::vector<std::string> findings(const StudyReport& r) const {
    if (rows_.empty()) return {"No labelled failures match the selection; nothing to report."};
    return {divergence_finding(r.symptom_by_root_cause), homogeneity_finding(r.series_by_root_cause),
            escalation_finding(r.stage_by_root_cause)};
  }

  Store& store_;
  LabelView& view_;
  const Taxonomy& taxonomy_;
  const StudyOptions& options_;
  std::vector<Labelled> rows_;
  int64_t labelled_ = 0;  // annotations in rows_
  std::vector<const TaxonomyNode*> symptom_categories_, root_cause_categories_, stage_categories_;
};

}  // namespace

std::pair<std::string, std::string> parse_version_pair(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw Error("--evolution '" + text + "': expected EARLIER:LATER, e.g. llama:llama3");
  }
  return {text.substr(0, colon), text.substr(colon + 1)};
}

StudyReport analyze_study(Store& store, LabelView& view, const StudyOptions& options) {
  if (options.level < 1 || options.level > 3) throw Error("analyze: --level must be 1, 2 or 3");
  return StudyBuilder(store, view, options).build();
}

}  // namespace firstmile
