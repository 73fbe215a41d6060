// cmd_import.cpp — `firstmile import issues FILE...` and `firstmile import gharchive FILE...`:
// GitHub issue JSON and GH Archive dumps from files, offline.
#include <iostream>

#include "base/progress_line.h"
#include "dataset/preset.h"
#include "globals.h"
#include "mine/gharchive.h"
#include "mine/issue_import.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct ImportIssuesArgs {
  std::vector<std::string> files;
  std::string preset = "open-llm-failures";
};

struct ImportGharchiveArgs {
  std::vector<std::string> files;
  std::vector<std::string> repositories;
  std::string preset = "open-llm-failures";
};

void add_import_gharchive(CLI::App& import, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<ImportGharchiveArgs>();
  auto* cmd = import.add_subcommand("gharchive",
                                    "GH Archive hourly dumps (.json.gz, one event per line): issue and comment events");
  cmd->add_option("files", args->files, "GH Archive files (gzip; concatenated members are fine)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--repo", args->repositories, "Only this repository, OWNER/NAME (case-insensitive; repeatable)");
  cmd->add_option("--preset", args->preset, "Repository preset giving series and models (name or file)")
      ->capture_default_str();
  cmd->fallthrough();
  cmd->callback([g, args] {
    Preset preset = load_preset(args->preset);
    std::vector<std::filesystem::path> files(args->files.begin(), args->files.end());
    GharchiveOptions options{args->repositories, g->argv, nullptr};
    ProgressLine progress;
    if (progress.enabled()) {
      options.progress = [&progress](const GharchiveProgress& p) { progress.show(gharchive_progress_text(p)); };
    }
    RemoveNewDatabaseOnFailure undo(g->db);  // one transaction: a failed import leaves no new database
    Store store = Store::open(g->db);
    GharchiveImportSummary s = import_gharchive(store, preset, files, options);
    progress.clear();
    print_gharchive_summary(s, g->db, std::cout);
  });
}

}  // namespace

void add_import(CLI::App& app, std::shared_ptr<Globals> g) {
  auto* import = app.add_subcommand("import", "Import data from files, offline (no network)");
  import->require_subcommand(1, 1);
  import->fallthrough();

  auto args = std::make_shared<ImportIssuesArgs>();
  auto* issues = import->add_subcommand(
      "issues", "GitHub issue and comment JSON: one array, concatenated arrays (gh api --paginate) or JSON Lines");
  issues->add_option("files", args->files, "Files of issues and/or comments (comments embedded or separate)")
      ->required()
      ->check(CLI::ExistingFile);
  issues->add_option("--preset", args->preset, "Repository preset giving series and models (name or file)")
      ->capture_default_str();
  issues->fallthrough();
  issues->callback([g, args] {
    Preset preset = load_preset(args->preset);
    std::vector<std::filesystem::path> files(args->files.begin(), args->files.end());
    RemoveNewDatabaseOnFailure undo(g->db);  // a refused import leaves no database where there was none
    Store store = Store::open(g->db);
    IssueImportSummary s = import_issue_files(store, preset, files, {g->argv});
    print_issue_import_summary(s, g->db, std::cout);
  });

  add_import_gharchive(*import, g);
}

}  // namespace firstmile
