// cmd_gharchive_coverage.cpp — `firstmile gharchive-coverage FILE...`: the holes of GH Archive dumps.
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/progress_line.h"
#include "base/text.h"
#include "globals.h"
#include "dataset/preset.h"
#include "mine/gharchive_coverage.h"
#include "mine/gharchive_fill.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct CoverageArgs {
  std::vector<std::string> files;
  std::vector<std::string> repositories;
  double min_expected = 10;
  std::string format = "text";
  bool fill = false;
  std::string api_url = "https://api.github.com";
  std::string preset = "open-llm-failures";
};
}  // namespace

void add_gharchive_coverage(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<CoverageArgs>();
  auto* cmd = app.add_subcommand(
      "gharchive-coverage",
      "Where GH Archive dumps have holes: hours without events or without issue events, a repository's silent "
      "hours, issue numbers never opened (reads the files; no database)");
  cmd->add_option("files", args->files, "GH Archive files (gzip or plain, one event a line)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--repo", args->repositories,
                  "Also analyse this repository, OWNER/NAME (case-insensitive; repeatable): its silent hours and "
                  "the numbers never opened");
  cmd->add_option("--min-expected", args->min_expected,
                  "List a run of empty hours only when its rate expects at least this many events in it")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_flag("--fill-from-api", args->fill,
                "Then fetch each number never opened from the GitHub API (one request each; GITHUB_TOKEN or "
                "GH_TOKEN) and store the issues found in --db, in one transaction");
  cmd->add_option("--api-url", args->api_url, "GitHub API URL (GitHub Enterprise: https://HOST/api/v3)")
      ->capture_default_str();
  cmd->add_option("--preset", args->preset, "Repository preset giving series and models (name or file)")
      ->capture_default_str();
  cmd->callback([g, args] {
    if (args->fill && args->repositories.empty())
      throw Error("--fill-from-api needs --repo: the numbers are looked for in the repositories named");
    if (args->fill && github_token_from_env().empty())
      throw Error("--fill-from-api needs a token in GITHUB_TOKEN or GH_TOKEN (one request per missing number)");
    CoverageOptions options;
    for (const std::string& r : args->repositories) options.repositories.insert(to_lower_ascii(r));
    options.min_expected = args->min_expected;
    ProgressLine progress;
    if (progress.enabled()) {
      const size_t total = args->files.size();
      options.progress = [&progress, total](int64_t files, int64_t bytes) {
        progress.show("gharchive-coverage: " + std::to_string(files) + " of " + std::to_string(total) + " files, " +
                      std::to_string(bytes >> 20) + " MB read");
      };
    }
    ArchiveCoverage c =
        gharchive_coverage(std::vector<std::filesystem::path>(args->files.begin(), args->files.end()), options);
    progress.clear();
    if (args->format == "json")
      std::cout << json_text(archive_coverage_json(c), 2) << "\n";
    else
      print_archive_coverage(c, std::cout);
    if (!args->fill) return;
    Preset preset = load_preset(args->preset);
    GithubClientOptions client;
    client.api_url = args->api_url;
    client.token = github_token_from_env();
    GithubClient github(client);
    Store store = Store::open(g->db);
    FillSummary s = fill_missing_issues(store, preset, github, c, g->argv);
    (args->format == "json" ? std::cerr : std::cout) << fill_summary_text(s);
  });
}

}  // namespace firstmile
