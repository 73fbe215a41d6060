// analyze/study.h — the study's research questions, computed from the labels in the database.
//
//   LabelView view(store, taxonomy, {});
//   StudyOptions o;  o.source = "gold";  o.evolution = {{"llama", "llama3"}};
//   StudyReport r = analyze_study(store, view, o);
//   r.symptoms.rows[0].count;                 // RQ1: symptom distribution
//   r.symptom_by_root_cause.test.p_value;     // RQ3: diagnostic divergence
//   r.series_by_root_cause.pearson[0][2];     // RQ4: systemic homogeneity
//   r.stage_by_root_cause.test.adjusted_residuals;   // RQ5: lifecycle escalation
//   for (const std::string& line : r.findings) std::cout << line << "\n";
//
// Whichever labels are selected (gold, rules, llm, manual, ...) are counted once per failure,
// or, with `incidents` set, once per incident (see Store::annotation_groups): a storm of
// reports about one breakage then weighs as one.
// Categories are taken at `level` of the taxonomy (a category with no children deeper down
// stands for itself at deeper levels); every category of the taxonomy is listed, in its order.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "stats/chi_square.h"
#include "stats/contingency.h"
#include "stats/correlation.h"
#include "stats/fisher.h"

namespace firstmile {

class Store;
class LabelView;

struct StudyOptions {
  std::string source;               // selector; empty: the store's default source
  std::vector<std::string> series;  // filters; empty: all
  std::vector<std::string> models;
  std::vector<std::string> stages;                             // stage names or ids
  std::string since, until;                                    // issue creation time, ISO 8601 prefix (e.g. 2024-01-01)
  int level = 1;                                               // taxonomy level of categories
  std::vector<std::pair<std::string, std::string>> evolution;  // (earlier model, later model)
  std::string incidents;                                       // aggregation name: count by incident; empty: by report
};

struct CategoryShare {
  std::string id, name, path;
  int64_t count = 0;
  double share = 0;             // of all annotations counted
  double lower = 0, upper = 0;  // 95% Wilson interval of the share
};

struct Distribution {
  std::string dimension;  // "symptom", "root_cause", "stage"
  int level = 1;
  std::vector<CategoryShare> rows;
};

struct CrossTable {
  std::string name;   // stable key: "symptom_by_root_cause", ...
  std::string title;  // "Symptom x root cause"
  stats::ContingencyTable table;
  stats::ChiSquare test;
  bool has_fisher = false;  // 2x2 tables also get Fisher's exact test
  stats::FisherExact fisher;
};

struct SeriesComparison {
  CrossTable cross;                                                // series x category
  std::vector<std::vector<stats::Correlation>> pearson, spearman;  // between series' count vectors
  std::vector<std::vector<double>> jensen_shannon;                 // divergence in bits
};

struct Evolution {
  std::string from, to;
  CrossTable symptom, root_cause;
};

struct StudyReport {
  std::string source, taxonomy;
  std::string filters;  // human-readable, empty when none; names the unit when not 'report'
  int level = 1;
  std::string unit = "report";         // what one count is: "report" (a failure) or "incident"
  std::string aggregation;             // unit "incident": the aggregation whose incidents were counted
  int64_t incidents = 0;               // unit "incident": incidents counted, a report in none being its own
  int64_t multi_report_incidents = 0;  // of those, stored incidents (two or more reports)
  int64_t annotations = 0;             // counts: failures, or with unit "incident" one per incident
  int64_t issues = 0;
  int64_t unlabelled = 0;  // annotations lacking a symptom, root cause or stage (left out of tables)

  Distribution symptoms, root_causes, stages;                // RQ1, RQ2, at `level`
  Distribution symptom_leaves, root_cause_leaves;            // at the deepest level, for hierarchy figures
  CrossTable symptom_by_root_cause;                          // RQ3
  SeriesComparison series_by_symptom, series_by_root_cause;  // RQ4
  CrossTable stage_by_symptom, stage_by_root_cause;          // RQ5
  std::vector<Evolution> evolution;                          // RQ6
  std::vector<std::string> findings;                         // the three phenomena in plain words, with their numbers
};

// "EARLIER:LATER" (e.g. "llama:llama3"), as `--evolution` takes it; throws Error otherwise.
std::pair<std::string, std::string> parse_version_pair(const std::string& text);

StudyReport analyze_study(Store& store, LabelView& view, const StudyOptions& options);

}  // namespace firstmile
