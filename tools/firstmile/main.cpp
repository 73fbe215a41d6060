// main.cpp — the firstmile command line: global options, then one subcommand.
//
// Exit codes: 0 success, 1 ran and found problems (e.g. `check`), 2 bad input or failure
// (one line on stderr; nothing was changed).
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/error.h"
#include "base/redact.h"
#include "base/version.h"
#include "globals.h"

namespace {

// Of `names`, the one closest to `word` by edit distance, if it is close (at most a third of
// the word's letters, at least one), else "".
std::string nearest_name(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const std::string& name : names) {
    std::vector<size_t> row(name.size() + 1);
    for (size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= name.size(); ++j) {
        size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == name[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    if (row[name.size()] < best_distance) best_distance = row[name.size()], best = name;
  }
  return best;
}

}  // namespace

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
  add_gharchive_coverage(app, g);
  add_package(app, g);

  // A mistyped command gets its nearest name, not "A subcommand is required".
  // The first word that is neither an option nor the value of a global one.
  int command = 1;
  while (command < argc && argv[command][0] == '-') {
    const std::string option = argv[command];
    command += (option == "--db" || option == "--taxonomy") ? 2 : 1;
  }
  if (command < argc) {
    std::string asked = argv[command];
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), asked) == names.end()) {
      std::string nearest = nearest_name(asked, names);
      std::cerr << "firstmile: unknown command '" << asked << "'"
                << (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") << " (firstmile --help lists them)\n";
      return kExitError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print as CLI11 does; a usage error is one line, as every error.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e) == 0 ? kExitOk : kExitError;
    std::cerr << "firstmile: " << e.what() << "\n";
    return kExitError;
  } catch (const Error& e) {
    std::cerr << "firstmile: " << redact_secrets(e.what()) << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "firstmile: internal error: " << redact_secrets(e.what()) << "\n";
    return kExitError;
  }
  return g->exit_code;
}
