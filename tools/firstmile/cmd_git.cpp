// cmd_git.cpp — `firstmile git PATH|URL --repo OWNER/NAME`: a repository's git history into the database.
#include <iostream>

#include "base/progress_line.h"
#include "dataset/preset.h"
#include "globals.h"
#include "mine/git_history.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct GitArgs {
  GitImportOptions options;
  std::string cache;
  std::string preset = "open-llm-failures";
};
}  // namespace

void add_git(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<GitArgs>();
  auto* cmd = app.add_subcommand(
      "git", "Git history into the database: commits, changed files, issue links from messages, tags");
  cmd->add_option("source", args->options.source, "Local repository (bare or with a work tree), or a URL to clone")
      ->required();
  cmd->add_option("--repo", args->options.repository, "OWNER/NAME the history belongs to")->required();
  cmd->add_option("--ref", args->options.ref, "Branch, tag or revision to walk from (default: HEAD)");
  cmd->add_option("--since", args->options.since,
                  "Skip commits committed before this UTC date (YYYY-MM-DD[THH:MM:SSZ])");
  cmd->add_option("--threads", args->options.threads, "Threads diffing commits (default: one per core; 1 on a busy machine)");
  cmd->add_option("--cache", args->cache, "Where a URL is cloned (default: <db>.git-cache/OWNER/NAME)");
  cmd->add_option("--preset", args->preset, "Repository preset giving series and models (name or file)")
      ->capture_default_str();
  cmd->fallthrough();
  cmd->callback([g, args] {
    Preset preset = load_preset(args->preset);
    GitImportOptions options = args->options;
    options.cache_dir = args->cache;
    options.argv = g->argv;
    ProgressLine progress;
    if (progress.enabled()) {
      options.progress = [&progress](int64_t walked) { progress.show(git_progress_text(walked)); };
    }
    RemoveNewDatabaseOnFailure undo(g->db);  // one transaction: a failed import leaves no new database
    Store store = Store::open(g->db);
    GitImportSummary s = import_git_history(store, preset, options);
    progress.clear();
    print_git_summary(s, options, g->db, std::cout);
  });
}

}  // namespace firstmile
