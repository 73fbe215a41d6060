// main.cpp — the firstmile command line: global options, then one subcommand.
//
// Exit codes: 0 success, 1 ran and found problems (e.g. `check`), 2 bad input or failure
// (one line on stderr; nothing was changed).
#include <iostream>

#include <CLI/CLI.hpp>

#include "base/error.h"
#include "base/redact.h"
#include "base/version.h"
#include "globals.h"

int main(int argc, char** argv) {
  using namespace firstmile;
  CLI::App app{
      "firstmile: empirical studies of LLM deployment failures, from the shell.\n"
      "Mine issues, classify them, analyse and export the study's statistics."};
  app.set_version_flag("--version", std::string("firstmile ") + kToolVersion);
  app.require_subcommand(1, 1);
  app.fallthrough();  // global options may follow the subcommand: `firstmile summary --db t.db`

  auto g = std::make_shared<Globals>();
  for (int i = 1; i < argc; ++i) g->argv.emplace_back(argv[i]);
  app.add_option("--db", g->db, "SQLite database file")->envname("FIRSTMILE_DB")->capture_default_str();
  app.add_option("--taxonomy", g->taxonomy, "Taxonomy file (default: taxonomy/taxonomy.json)")
      ->envname("FIRSTMILE_TAXONOMY");

  add_import_dataset(app, g);
  add_check(app, g);
  add_summary(app, g);
  add_taxonomy(app, g);
  add_mine(app, g);
  add_classify(app, g);
  add_priors(app, g);
  add_train(app, g);
  add_aggregate(app, g);
  add_select(app, g);
  add_import(app, g);
  add_analyze(app, g);
  add_git(app, g);
  add_eval(app, g);
  add_agreement(app, g);
  add_label(app, g);
  add_incidents(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitError;
  } catch (const Error& e) {
    std::cerr << "firstmile: " << redact_secrets(e.what()) << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "firstmile: internal error: " << redact_secrets(e.what()) << "\n";
    return kExitError;
  }
  return g->exit_code;
}
