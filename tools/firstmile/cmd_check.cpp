// cmd_check.cpp — `firstmile check`: a lint of what is loaded.
#include <iostream>

#include "dataset/check.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct CheckArgs {
  std::string source;
  std::string format = "text";
  size_t max_details = 10;
};
}  // namespace

void add_check(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check",
                                 "Lint the database: duplicate records, several failures per issue, "
                                 "normalised labels, stated counts, unmapped labels, issues without text");
  cmd->add_option("--source", args->source, "Only annotations of this source (gold, rules, llm, manual:NAME, ...)");
  cmd->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--details", args->max_details, "Detail lines per finding (0: all)")->capture_default_str();
  cmd->footer("Exit code 0: nothing but notes; 1: warnings or errors found; 2: could not run.");
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    CheckReport report = check_store(store, taxonomy, {args->source, args->max_details});
    print_check_report(report, g->db, args->format, std::cout);
    g->exit_code = report.exit_code();
  });
}

}  // namespace firstmile
