// cmd_priors.cpp — `firstmile priors`: root-cause priors given symptom and stage, from labels.
#include <iostream>

#include "base/atomic_file.h"
#include "classify/prior_learning.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct PriorsArgs {
  PriorLearningOptions options;
  std::string out;
};

}  // namespace

void add_priors(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<PriorsArgs>();
  auto* cmd = app.add_subcommand(
      "priors",
      "Count P(root cause | symptom, stage) on labelled reports and write it as a rule file (a \"given\"\n"
      "block) that the classifier starts its root-cause scores from. The shipped taxonomy/rules/priors.json\n"
      "was written this way from the published labels. Use --except to leave out the issues you evaluate on.");
  cmd->add_option("--gold", args->options.gold, "Labelled source (selector)")->capture_default_str();
  cmd->add_option("--except", args->options.except,
                  "Leave out the issues this source labelled (e.g. the predictions you will evaluate)");
  cmd->add_option("--min-labels", args->options.min_labels,
                  "Smallest cell kept; rarer symptoms back off to their parent")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--smoothing", args->options.smoothing, "m of the m-estimate towards the parent cell")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--weight", args->options.weight, "Score a certain prior adds to a root cause")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("-o,--out", args->out, "Write the rule file here (default: standard output)");
  cmd->fallthrough();
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    LearntPriors learnt = learn_priors(store, taxonomy, args->options);
    std::string text = priors_file(learnt);
    if (args->out.empty()) {
      std::cout << text;
      return;
    }
    write_file_atomically(args->out, text);
    print_priors_written(learnt, args->out, std::cerr);
  });
}

}  // namespace firstmile
