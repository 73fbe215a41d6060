// cmd_summary.cpp — `firstmile summary`: counts by series, model, stage, symptom and root cause.
#include <iostream>

#include "analyze/label_view.h"
#include "analyze/summary.h"
#include "base/json_file.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct SummaryArgs {
  SummaryOptions options;
  std::string format = "table";
  std::string crosswalk;
};
}  // namespace

void add_summary(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<SummaryArgs>();
  auto* cmd = app.add_subcommand("summary", "Counts by series, model, stage, symptom and root cause (top level)");
  cmd->add_option("--source", args->options.source,
                  "Annotations to count: gold, rules, llm, manual:NAME or an exact source (default: the gold source)");
  cmd->add_option("--series", args->options.series, "Only these series (repeatable)");
  cmd->add_option("--model", args->options.models, "Only these models (repeatable)");
  cmd->add_option("--format", args->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("--crosswalk", args->crosswalk,
                  "Crosswalk file when labels were made under another taxonomy than --taxonomy");
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    LabelView view(store, taxonomy, args->crosswalk);
    Summary s = summarize(store, view, args->options);
    if (args->format == "json") {
      std::cout << json_text(summary_to_json(s), 2) << "\n";
    } else if (args->format == "csv") {
      print_summary_csv(s, std::cout);
    } else {
      print_summary_table(s, std::cout);
    }
  });
}

}  // namespace firstmile
