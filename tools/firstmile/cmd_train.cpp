// cmd_train.cpp — `firstmile train`: the text model beside the rules, from labelled reports.
#include <iostream>

#include "base/atomic_file.h"
#include "classify/rules.h"
#include "classify/train.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct TrainArgs {
  TrainOptions options;
  std::string rules_dir;
  std::string out;
};

}  // namespace

void add_train(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand(
      "train",
      "Learn the text model (naive Bayes over words, error names and rule hits) from labelled reports and\n"
      "write it as a rule file (a \"text_model\" block): saved into the rules directory, classify adds its\n"
      "P(class | words) x --weight to the rules' scores. `firstmile calibrate --folds K` retrains it without\n"
      "each fold to say whether it helps on reports it has not seen.");
  cmd->add_option("--gold", args->options.gold, "Labelled source (selector)")->capture_default_str();
  cmd->add_option("--except", args->options.except,
                  "Leave out the issues this source labelled (e.g. the predictions you will evaluate)");
  cmd->add_option("--rules", args->rules_dir, "Rules directory whose hits are tokens (default: taxonomy/rules)");
  cmd->add_option("--alpha", args->options.model.alpha, "Laplace smoothing of word counts")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--min-documents", args->options.model.min_documents,
                  "Leave out tokens seen in fewer labelled reports")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--weight", args->options.model.weight, "Score a certain posterior adds to a top-level class")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--temperature", args->options.model.temperature,
                  "Divide the log-scores by this before the softmax (naive Bayes is overconfident)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--dimension", args->options.model.dimensions, "Model only these dimensions (repeatable)")
      ->check(CLI::IsMember({"stage", "symptom", "root_cause"}))
      ->capture_default_str();
  cmd->add_flag("!--no-rule-tokens", args->options.model.rule_tokens, "Do not use the rules that fired as tokens");
  cmd->add_option("-o,--out", args->out, "Write the rule file here (default: standard output)");
  cmd->fallthrough();
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, args->rules_dir);
    Store store = Store::open(g->db, Database::kReadOnly);
    TrainReport report = train_text_model(store, taxonomy, rules, args->options);
    std::string text = text_model_file(report.model);
    if (args->out.empty()) {
      std::cout << text;
      return;
    }
    write_file_atomically(args->out, text);
    print_trained(report, args->out, std::cerr);
  });
}

}  // namespace firstmile
