// cmd_import.cpp — `firstmile import issues FILE...` and `firstmile import gharchive FILE...`:
// GitHub issue JSON and GH Archive dumps from files, offline.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/text_table.h"
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

// One line on a terminal, rewritten in place: "412.0 MB read (38%), 51234 events, 49876 issues".
void show_progress(const GharchiveProgress& p) {
  double percent = p.compressed_bytes_total > 0 ? 100.0 * static_cast<double>(p.compressed_bytes) /
                                                      static_cast<double>(p.compressed_bytes_total)
                                                : 0.0;
  std::fprintf(stderr, "\r%.1f MB read (%.0f%%), %lld events, %lld issues ",
               static_cast<double>(p.compressed_bytes) / 1e6, percent, static_cast<long long>(p.events),
               static_cast<long long>(p.issues));
  std::fflush(stderr);
}

void add_import_gharchive(CLI::App& import, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<ImportGharchiveArgs>();
  auto* cmd = import.add_subcommand(
      "gharchive", "GH Archive hourly dumps (.json.gz, one event per line): issue and comment events");
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
    bool terminal = isatty(STDERR_FILENO) != 0;
    if (terminal) options.progress = show_progress;
    Store store = Store::open(g->db);
    GharchiveImportSummary s;
    try {
      s = import_gharchive(store, preset, files, options);
    } catch (...) {
      if (terminal) std::cerr << "\n";
      throw;
    }
    if (terminal) std::cerr << "\n";
    std::cout << "Imported into " << g->db << " (run " << s.run_id << "): " << s.files << " files, "
              << format_fixed(static_cast<double>(s.bytes) / 1e6, 1) << " MB, " << s.lines << " events read, " << s.events
              << " issue and comment events imported, " << s.repositories << " repositories\n"
              << "Issues: " << s.issues << " snapshots (" << s.pull_requests << " of pull requests): " << s.new_issues
              << " new, " << s.updated_issues << " updated, " << s.unchanged_issues << " unchanged";
    if (s.older_issues) std::cout << ", " << s.older_issues << " older than the database's copy (kept the newer)";
    if (s.superseded_issues) std::cout << ", " << s.superseded_issues << " superseded by a later snapshot (not written)";
    std::cout << "\nComments: " << s.comments << " events: " << s.new_comments << " new, " << s.updated_comments
              << " updated, " << s.deleted_comments << " deleted";
    if (s.older_comments) std::cout << ", " << s.older_comments << " older than the database's copy (kept the newer)";
    if (s.superseded_comments) std::cout << ", " << s.superseded_comments << " superseded by a later edit (not written)";
    std::cout << "\n";
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

  add_import_gharchive(*import, g);
}

}  // namespace firstmile
