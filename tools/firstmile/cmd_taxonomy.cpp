// cmd_taxonomy.cpp — `firstmile taxonomy`: validate and show a taxonomy file.
#include <iostream>

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
  cmd->add_option("--format", args->format, "tree or json")->check(CLI::IsMember({"tree", "json"}))->capture_default_str();
  cmd->callback([g, args] {
    Taxonomy t = g->load_taxonomy();
    if (args->format == "json") {
      std::cout << nlohmann::json{{"taxonomy", t.id()}, {"version", t.version()}, {"hash", t.hash()},
                                  {"nodes", t.to_json()}}.dump(2) << "\n";
      return;
    }
    std::cout << t.id() << " version " << t.version() << " (" << t.origin() << ", git blob " << t.hash().substr(0, 12)
              << "): " << t.nodes().size() << " nodes\n";
    for (const TaxonomyDimension& d : t.dimensions()) {
      std::cout << "\n" << d.name << " (" << d.id << ", " << d.levels << (d.levels == 1 ? " level" : " levels") << ")\n";
      for (const TaxonomyNode& n : t.nodes()) {
        if (n.dimension != d.id) continue;
        std::cout << std::string(static_cast<size_t>(2 * n.level), ' ') << n.name << "  [" << n.id << "]\n";
        if (args->definitions && !n.definition.empty()) {
          std::cout << std::string(static_cast<size_t>(2 * n.level + 4), ' ') << n.definition << "\n";
        }
      }
    }
  });
}

}  // namespace firstmile
