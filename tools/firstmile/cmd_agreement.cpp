// cmd_agreement.cpp — `firstmile agreement`: how far annotators (sources) agree with each other.
#include <iostream>

#include "analyze/label_view.h"
#include "base/json_file.h"
#include "globals.h"
#include "labels/annotator_agreement.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct AgreementArgs {
  std::vector<std::string> sources;
  std::string dimension;
  int level = 0;
  std::string format = "table";
  std::string crosswalk;
};
}  // namespace

void add_agreement(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<AgreementArgs>();
  auto* cmd = app.add_subcommand("agreement",
                                 "Agreement between two or more annotation sources: Cohen's kappa "
                                 "(two), Fleiss' kappa (three or more), Krippendorff's alpha");
  cmd->add_option("sources", args->sources, "Two or more sources: manual:NAME, gold, rules, llm:MODEL, ...")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--dimension", args->dimension, "Only this dimension: relevance, stage, symptom, root_cause")
      ->check(CLI::IsMember({"relevance", "stage", "symptom", "root_cause"}));
  cmd->add_option("--level", args->level, "Only this taxonomy level (1-3)")->check(CLI::Range(1, 3));
  cmd->add_option("--format", args->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_option("--crosswalk", args->crosswalk, "Crosswalk file when labels were made under another taxonomy");
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    LabelView view(store, taxonomy, args->crosswalk);
    AnnotatorAgreement a = annotator_agreement(store, taxonomy, view.resolver(), args->sources);
    if (args->format == "json") {
      std::cout << json_text(agreement_to_json(a, args->dimension, args->level), 2) << "\n";
    } else {
      print_agreement(a, args->dimension, args->level, std::cout);
    }
  });
}

}  // namespace firstmile
