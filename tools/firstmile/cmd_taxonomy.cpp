// cmd_taxonomy.cpp — `firstmile taxonomy`: validate and show a taxonomy file.
#include <iostream>

#include "base/json_file.h"
#include "globals.h"

namespace firstmile {

namespace {
struct TaxonomyArgs {
  bool definitions = false;
  std::string format = "tree";
};
}  // namespace

void add_taxonomy(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<TaxonomyArgs>();
  auto* cmd = app.add_subcommand("taxonomy", "Validate the taxonomy (--taxonomy FILE) and print its hierarchy");
  cmd->add_flag("--definitions", args->definitions, "Print each node's definition too");
  cmd->add_option("--format", args->format, "tree or json")
      ->check(CLI::IsMember({"tree", "json"}))
      ->capture_default_str();
  cmd->callback([g, args] {
    Taxonomy t = g->load_taxonomy();
    if (args->format == "json") {
      std::cout << json_text(taxonomy_summary_json(t), 2) << "\n";
    } else {
      print_taxonomy_tree(t, args->definitions, std::cout);
    }
  });
}

}  // namespace firstmile
