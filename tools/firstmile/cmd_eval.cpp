// cmd_eval.cpp — `firstmile eval`: one annotation source scored against another (the gold labels).
#include <iostream>

#include "analyze/label_view.h"
#include "base/json_file.h"
#include "globals.h"
#include "labels/evaluation.h"
#include "labels/evaluation_report.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct EvalArgs {
  EvaluationOptions options{.gold = "gold", .pred = "", .exclude_review = false, .language = ""};
  EvaluationPrintOptions print;
  std::string format = "table";
  std::string out;
  std::string crosswalk;
  std::string by;
};
}  // namespace

void add_eval(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval",
                                 "Score one annotation source against another: accuracy, macro-F1, "
                                 "Cohen's kappa, per class, confusion matrix, disagreements");
  cmd->add_option("--gold", args->options.gold, "Reference labels: gold, manual:NAME or an exact source")
      ->capture_default_str();
  cmd->add_option("--pred", args->options.pred, "Labels under test: rules, llm:MODEL, manual:NAME, ...")->required();
  cmd->add_option("--dimension", args->print.dimension,
                  "Dimension of the per-class table, matrix and disagreements: relevance, stage, symptom, root_cause")
      ->check(CLI::IsMember({"relevance", "stage", "symptom", "root_cause"}))
      ->capture_default_str();
  cmd->add_option("--level", args->print.level, "Taxonomy level of that dimension (1-3)")
      ->check(CLI::Range(1, 3))
      ->capture_default_str();
  cmd->add_option("--disagreements", args->print.disagreements, "List at most this many disagreements")
      ->capture_default_str();
  cmd->add_flag("--exclude-review", args->options.exclude_review,
                "Leave out predictions marked needs_review (they count as missing)");
  cmd->add_option("--format", args->format, "table, csv (the summary) or json (everything)")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Also write summary, coverage, per-class, confusion and disagreement CSVs here");
  cmd->add_option("--crosswalk", args->crosswalk, "Crosswalk file when labels were made under another taxonomy");
  cmd->add_option("--by", args->by,
                  "lang: the summary for English and for Chinese reports apart (the language of title and prose)")
      ->check(CLI::IsMember({"lang"}));
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    LabelView view(store, taxonomy, args->crosswalk);
    if (args->by == "lang") {
      std::vector<Evaluation> by_language = evaluate_by_language(store, taxonomy, view.resolver(), args->options);
      if (args->format == "json") {
        std::cout << json_text(evaluations_to_json(by_language), 2) << "\n";
      } else {
        print_evaluation_by_language(by_language, std::cout);
      }
      return;
    }
    Evaluation e = evaluate(store, taxonomy, view.resolver(), args->options);
    if (!args->out.empty()) {
      auto files = write_evaluation_csvs(e, args->out);
      std::cerr << "Wrote " << files.size() << " files to " << args->out << "\n";
    }
    if (args->format == "json") {
      std::cout << json_text(evaluation_to_json(e), 2) << "\n";
    } else if (args->format == "csv") {
      print_evaluation_summary_csv(e, std::cout);
    } else {
      print_evaluation(e, args->print, std::cout);
    }
  });
}

}  // namespace firstmile
