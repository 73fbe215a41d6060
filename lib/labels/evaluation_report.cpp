// labels/evaluation_report.cpp — tables and files of an Evaluation.
#include "labels/evaluation_report.h"

#include <fstream>

#include "base/csv.h"
#include "base/error.h"
#include "base/text_table.h"
#include "labels/evidence_text.h"

namespace firstmile {

namespace {

std::string fixed(double value) { return format_fixed(value, 4); }

// A kappa the statistic cannot define (one category only: chance agreement 1) is marked "*".
std::string kappa_text(const stats::Kappa& k) { return k.n > 0 ? fixed(k.kappa) + (k.ok ? "" : "*") : "-"; }

const char* kUndefinedKappa = "  * a single category: chance agreement is 1, kappa is undefined and shown as 1\n";

std::string level_name(const LevelEvaluation& l) {
  return l.dimension + (l.dimension == "relevance" ? "" : " L" + std::to_string(l.level));
}

std::vector<std::string> summary_row(const LevelEvaluation& l) {
  return {l.dimension,
          std::to_string(l.level),
          std::to_string(l.compared),
          std::to_string(l.correct),
          std::to_string(l.pred_missing),
          fixed(l.accuracy),
          fixed(l.macro_f1),
          kappa_text(l.kappa)};
}

// The terminal table shows the accuracy's interval as one cell; CSV gives its two ends.
std::string interval_text(const LevelEvaluation& l) {
  return l.compared ? format_fixed(l.accuracy_low, 2) + "-" + format_fixed(l.accuracy_high, 2) : "-";
}

void print_coverage(const Evaluation& e, std::ostream& out) {
  const EvaluationCoverage& c = e.coverage;
  out << "Gold " << e.gold_source << " against " << e.pred_source << " (taxonomy " << e.taxonomy << ")\n"
      << "  gold: " << c.gold_issues << " issues, " << c.gold_failures << " failures; compared: " << c.issues_compared
      << " issues, " << c.failures_compared << " failures\n"
      << "  without a prediction: " << c.gold_issues_without_prediction << " issues, "
      << c.gold_failures_without_prediction
      << " failures; predicted issues without gold: " << c.predicted_issues_without_gold << "\n";
  if (e.exclude_review) out << "  predictions excluded for review: " << c.predictions_excluded_for_review << "\n";
  if (c.routed > 0) {
    out << "  routed to the LLM: " << c.routed << " of " << c.failures_compared << " ("
        << format_percent(c.failures_compared ? double(c.routed) / double(c.failures_compared) : 0) << ")";
    for (const auto& [d, n] : c.routed_by_dimension) out << ", " << n << " for " << d;
    out << "\n";
  }
}

void print_details(const LevelEvaluation& l, size_t max_disagreements, std::ostream& out) {
  out << "\nPer class: " << level_name(l) << "\n";
  TextTable classes({"class", "precision", "recall", "F1", "support", "predicted"});
  for (size_t c = 1; c < 6; ++c) classes.align_right(c);
  for (const ClassScore& s : l.classes) {
    classes.add_row({s.name, fixed(s.precision), fixed(s.recall), fixed(s.f1), std::to_string(s.support),
                     std::to_string(s.predicted)});
  }
  classes.print(out, "  ");

  out << "\nConfusion matrix (rows gold, columns predicted; columns numbered as the rows)\n";
  std::vector<std::string> header{"#", "gold \\ predicted"};
  for (size_t c = 0; c < l.classes.size(); ++c) header.push_back(std::to_string(c + 1));
  TextTable confusion(header);
  for (size_t c = 0; c < header.size(); ++c) {
    if (c != 1) confusion.align_right(c);
  }
  for (size_t r = 0; r < l.classes.size(); ++r) {
    std::vector<std::string> row{std::to_string(r + 1), l.classes[r].name};
    for (int64_t n : l.confusion[r]) row.push_back(n ? std::to_string(n) : ".");
    confusion.add_row(std::move(row));
  }
  confusion.print(out, "  ");

  out << "\nDisagreements: " << l.disagreements.size();
  if (l.disagreements.size() > max_disagreements) out << " (first " << max_disagreements << ")";
  out << "\n";
  for (size_t i = 0; i < l.disagreements.size() && i < max_disagreements; ++i) {
    const Disagreement& d = l.disagreements[i];
    out << "  " << d.repository << "#" << d.number << (d.failure_index > 1 ? "/" + std::to_string(d.failure_index) : "")
        << "  gold: " << d.gold << "  predicted: " << d.predicted;
    if (d.confidence) out << " (" << format_fixed(*d.confidence, 2) << ")";
    out << "\n    " << d.url << "\n";
    std::string evidence = evidence_text(d.evidence, l.dimension);
    if (!evidence.empty()) out << "    evidence: " << evidence << "\n";
  }
}

void write_file(const std::filesystem::path& path, const std::vector<std::vector<std::string>>& rows,
                std::vector<std::filesystem::path>& written) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error(path.string() + ": cannot write");
  CsvWriter csv(out);
  for (const auto& row : rows) csv.row(row);
  if (!out) throw Error(path.string() + ": write failed");
  written.push_back(path);
}

std::string optional_fixed(const std::optional<double>& value) { return value ? fixed(*value) : ""; }

}  // namespace

void print_evaluation(const Evaluation& e, const EvaluationPrintOptions& options, std::ostream& out) {
  const LevelEvaluation* chosen = e.find(options.dimension, options.level);
  if (!chosen) {
    throw Error("taxonomy '" + e.taxonomy + "' has no level " + std::to_string(options.level) + " of " +
                options.dimension);
  }
  print_coverage(e, out);
  out << "\n";
  TextTable summary(
      {"dimension", "level", "n", "correct", "pred missing", "accuracy", "macro-F1", "kappa", "accuracy 95% CI"});
  for (size_t c = 1; c < 9; ++c) summary.align_right(c);
  for (const LevelEvaluation& l : e.levels) {
    std::vector<std::string> row = summary_row(l);
    row.push_back(interval_text(l));
    summary.add_row(row);
  }
  summary.print(out, "  ");
  for (const LevelEvaluation& l : e.levels) {
    if (l.kappa.n > 0 && !l.kappa.ok) {
      out << kUndefinedKappa;
      break;
    }
  }
  print_details(*chosen, options.disagreements, out);
}

void print_evaluation_summary_csv(const Evaluation& e, std::ostream& out) {
  CsvWriter csv(out);
  csv.row({"dimension", "level", "n", "correct", "pred_missing", "accuracy", "macro_f1", "kappa", "accuracy_low",
           "accuracy_high"});
  for (const LevelEvaluation& l : e.levels) {
    std::vector<std::string> row = summary_row(l);
    row.push_back(fixed(l.accuracy_low));
    row.push_back(fixed(l.accuracy_high));
    csv.row(row);
  }
}

void print_evaluation_by_language(const std::vector<Evaluation>& by_language, std::ostream& out) {
  if (by_language.empty()) return;
  out << "Gold " << by_language.front().gold_source << " against " << by_language.front().pred_source
      << ", by the language of each report (title and prose)\n";
  for (const Evaluation& e : by_language) {
    out << "  " << e.language << ": " << e.coverage.issues_compared << " issues, " << e.coverage.failures_compared
        << " failures compared\n";
  }
  out << "\n";
  TextTable t({"language", "dimension", "level", "n", "correct", "accuracy", "macro-F1", "kappa", "accuracy 95% CI"});
  for (size_t c = 2; c < 9; ++c) t.align_right(c);
  for (const Evaluation& e : by_language) {
    for (const LevelEvaluation& l : e.levels) {
      const bool any = l.compared > 0;  // a language without reports has no accuracy, not 0
      t.add_row({e.language, l.dimension, std::to_string(l.level), std::to_string(l.compared),
                 std::to_string(l.correct), any ? fixed(l.accuracy) : "-", any ? fixed(l.macro_f1) : "-",
                 kappa_text(l.kappa), interval_text(l)});
    }
  }
  t.print(out, "  ");
}

nlohmann::json evaluation_to_json(const Evaluation& e) {
  const EvaluationCoverage& c = e.coverage;
  nlohmann::json uncovered = nlohmann::json::array();
  for (const IssueRef& i : c.uncovered)
    uncovered.push_back({{"repository", i.repository}, {"number", i.number}, {"url", i.url}});
  nlohmann::json out{{"gold", e.gold_source},
                     {"pred", e.pred_source},
                     {"language", e.language.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.language)},
                     {"taxonomy", e.taxonomy},
                     {"exclude_review", e.exclude_review},
                     {"coverage",
                      {{"gold_issues", c.gold_issues},
                       {"gold_failures", c.gold_failures},
                       {"issues_compared", c.issues_compared},
                       {"failures_compared", c.failures_compared},
                       {"gold_issues_without_prediction", c.gold_issues_without_prediction},
                       {"gold_failures_without_prediction", c.gold_failures_without_prediction},
                       {"predictions_excluded_for_review", c.predictions_excluded_for_review},
                       {"predicted_issues_without_gold", c.predicted_issues_without_gold},
                       {"uncovered", uncovered}}}};
  nlohmann::json levels = nlohmann::json::array();
  for (const LevelEvaluation& l : e.levels) {
    nlohmann::json classes = nlohmann::json::array();
    for (const ClassScore& s : l.classes) {
      classes.push_back({{"id", s.id},
                         {"name", s.name},
                         {"precision", s.precision},
                         {"recall", s.recall},
                         {"f1", s.f1},
                         {"support", s.support},
                         {"predicted", s.predicted}});
    }
    nlohmann::json disagreements = nlohmann::json::array();
    for (const Disagreement& d : l.disagreements) {
      nlohmann::json evidence = nlohmann::json::parse(d.evidence, nullptr, false);
      disagreements.push_back({{"repository", d.repository},
                               {"number", d.number},
                               {"failure_index", d.failure_index},
                               {"url", d.url},
                               {"gold", d.gold},
                               {"predicted", d.predicted},
                               {"confidence", d.confidence ? nlohmann::json(*d.confidence) : nlohmann::json()},
                               {"evidence", evidence.is_discarded() ? nlohmann::json(d.evidence) : evidence}});
    }
    levels.push_back({{"dimension", l.dimension},
                      {"level", l.level},
                      {"n", l.compared},
                      {"correct", l.correct},
                      {"pred_missing", l.pred_missing},
                      {"accuracy", l.accuracy},
                      {"accuracy_ci", {l.accuracy_low, l.accuracy_high}},
                      {"macro_f1", l.macro_f1},
                      {"kappa", l.kappa.kappa},
                      {"kappa_ok", l.kappa.ok},
                      {"classes", classes},
                      {"confusion", l.confusion},
                      {"disagreements", disagreements}});
  }
  out["levels"] = levels;
  return out;
}

nlohmann::json evaluations_to_json(const std::vector<Evaluation>& evaluations) {
  nlohmann::json all = nlohmann::json::array();
  for (const Evaluation& e : evaluations) all.push_back(evaluation_to_json(e));
  return all;
}

std::vector<std::filesystem::path> write_evaluation_csvs(const Evaluation& e, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot create the folder: " + ec.message());
  std::vector<std::filesystem::path> written;

  std::vector<std::vector<std::string>> summary{{"gold", "pred", "dimension", "level", "n", "correct", "pred_missing",
                                                 "accuracy", "macro_f1", "kappa", "accuracy_low", "accuracy_high"}};
  std::vector<std::vector<std::string>> per_class{
      {"dimension", "level", "class_id", "class", "precision", "recall", "f1", "support", "predicted"}};
  std::vector<std::vector<std::string>> disagreements{{"dimension", "level", "repository", "number", "failure_index",
                                                       "url", "gold", "predicted", "confidence", "evidence",
                                                       "evidence_json"}};
  for (const LevelEvaluation& l : e.levels) {
    std::vector<std::string> row{e.gold_source, e.pred_source};
    for (std::string& cell : summary_row(l)) row.push_back(std::move(cell));
    row.push_back(fixed(l.accuracy_low));
    row.push_back(fixed(l.accuracy_high));
    summary.push_back(std::move(row));
    std::string level = std::to_string(l.level);
    for (const ClassScore& s : l.classes) {
      per_class.push_back({l.dimension, level, s.id, s.name, fixed(s.precision), fixed(s.recall), fixed(s.f1),
                           std::to_string(s.support), std::to_string(s.predicted)});
    }
    for (const Disagreement& d : l.disagreements) {
      disagreements.push_back({l.dimension, level, d.repository, std::to_string(d.number),
                               std::to_string(d.failure_index), d.url, d.gold, d.predicted,
                               optional_fixed(d.confidence), evidence_text(d.evidence, l.dimension), d.evidence});
    }
    std::vector<std::vector<std::string>> confusion{{"gold \\ predicted"}};
    for (const ClassScore& s : l.classes) confusion[0].push_back(s.name);
    for (size_t r = 0; r < l.classes.size(); ++r) {
      std::vector<std::string> cells{l.classes[r].name};
      for (int64_t n : l.confusion[r]) cells.push_back(std::to_string(n));
      confusion.push_back(std::move(cells));
    }
    write_file(dir / ("confusion_" + l.dimension + "_l" + level + ".csv"), confusion, written);
  }
  const EvaluationCoverage& c = e.coverage;
  std::vector<std::vector<std::string>> coverage{
      {"measure", "count"},
      {"gold_issues", std::to_string(c.gold_issues)},
      {"gold_failures", std::to_string(c.gold_failures)},
      {"issues_compared", std::to_string(c.issues_compared)},
      {"failures_compared", std::to_string(c.failures_compared)},
      {"gold_issues_without_prediction", std::to_string(c.gold_issues_without_prediction)},
      {"gold_failures_without_prediction", std::to_string(c.gold_failures_without_prediction)},
      {"predictions_excluded_for_review", std::to_string(c.predictions_excluded_for_review)},
      {"predicted_issues_without_gold", std::to_string(c.predicted_issues_without_gold)}};
  write_file(dir / "summary.csv", summary, written);
  write_file(dir / "coverage.csv", coverage, written);
  write_file(dir / "per_class.csv", per_class, written);
  write_file(dir / "disagreements.csv", disagreements, written);
  return written;
}

}  // namespace firstmile
