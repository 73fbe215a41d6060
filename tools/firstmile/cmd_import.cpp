// cmd_import.cpp — `firstmile import issues FILE...`: GitHub issue JSON from files, offline.
#include <iostream>

#include "dataset/preset.h"
#include "globals.h"
#include "mine/issue_import.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct ImportIssuesArgs {
  std::vector<std::string> files;
  std::string preset = "open-llm-failures";
};
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
    Store store = Store::open(g->db);
    IssueImportSummary s = import_issue_files(store, preset, files, {g->argv});
    std::cout << "Imported into " << g->db << " (run " << s.run_id << "): " << s.files << " files, " << s.issues
              << " issues (" << s.pull_requests << " pull requests), " << s.comments << " comments, "
              << s.repositories << " repositories\n"
              << "Issues: " << s.new_issues << " new, " << s.updated_issues << " updated, " << s.unchanged_issues
              << " unchanged";
    if (s.older_skipped) std::cout << ", " << s.older_skipped << " older than the database's copy (kept the newer)";
    std::cout << "\nComments: " << s.new_comments << " new";
    if (s.comments_without_issue_text) {
      std::cout << ", " << s.comments_without_issue_text << " on issues whose text is not loaded yet";
    }
    std::cout << "\n";
  });
}

}  // namespace firstmile
