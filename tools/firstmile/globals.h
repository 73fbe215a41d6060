// globals.h — options every subcommand shares, and the registration functions of each.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "taxonomy/taxonomy.h"

namespace firstmile {

struct Globals {
  std::string db = "firstmile.db";  // --db, or FIRSTMILE_DB
  std::string taxonomy;             // --taxonomy; empty: taxonomy/taxonomy.json
  std::vector<std::string> argv;    // the command line, recorded in runs
  int exit_code = 0;                // set by the subcommand that ran

  Taxonomy load_taxonomy() const;
};

void add_import_dataset(CLI::App& app, std::shared_ptr<Globals> g);
void add_check(CLI::App& app, std::shared_ptr<Globals> g);
void add_summary(CLI::App& app, std::shared_ptr<Globals> g);
void add_taxonomy(CLI::App& app, std::shared_ptr<Globals> g);
void add_import(CLI::App& app, std::shared_ptr<Globals> g);
void add_analyze(CLI::App& app, std::shared_ptr<Globals> g);
void add_mine(CLI::App& app, std::shared_ptr<Globals> g);
void add_classify(CLI::App& app, std::shared_ptr<Globals> g);
void add_aggregate(CLI::App& app, std::shared_ptr<Globals> g);
void add_git(CLI::App& app, std::shared_ptr<Globals> g);
void add_eval(CLI::App& app, std::shared_ptr<Globals> g);
void add_agreement(CLI::App& app, std::shared_ptr<Globals> g);
void add_label(CLI::App& app, std::shared_ptr<Globals> g);
void add_select(CLI::App& app, std::shared_ptr<Globals> g);
void add_incidents(CLI::App& app, std::shared_ptr<Globals> g);
void add_priors(CLI::App& app, std::shared_ptr<Globals> g);
void add_train(CLI::App& app, std::shared_ptr<Globals> g);
void add_gharchive_coverage(CLI::App& app, std::shared_ptr<Globals> g);
void add_package(CLI::App& app, std::shared_ptr<Globals> g);

}  // namespace firstmile
