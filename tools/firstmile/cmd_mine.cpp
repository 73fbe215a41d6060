// cmd_mine.cpp — `firstmile mine OWNER/REPO... [--preset NAME] [--since DATE] [--until DATE]`: GitHub → SQLite.
#include <iostream>

#include "base/progress_line.h"
#include "dataset/preset.h"
#include "globals.h"
#include "mine/github_client.h"
#include "mine/miner.h"
#include "select/failure_filter.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct MineArgs {
  std::vector<std::string> repositories;
  std::string preset;
  std::string since, until;
  std::string api_url = "https://api.github.com";
  bool cross_references = false;
  bool timeline_all = false;
  std::string cross_references_via = "auto";
  bool no_events = false;
  bool verbose = false;
  bool quiet = false;
  int retries = 6;
  int retry_wait_ms = 1000;
  long timeout = 60;
};

// What to mine: the repositories given, or the preset's; events; which timelines.
MineOptions mine_options(const MineArgs& args, const Preset& preset, const Globals& g) {
  MineOptions options;
  options.repositories = args.repositories;
  if (!args.preset.empty() && options.repositories.empty()) {
    for (const PresetRepository& r : preset.repositories) options.repositories.push_back(r.owner + "/" + r.name);
  }
  options.since = args.since;
  options.until = args.until;
  options.events = !args.no_events;
  options.timelines = args.timeline_all       ? TimelineMode::kAll
                      : args.cross_references ? TimelineMode::kFailureLike
                                              : TimelineMode::kNone;
  options.cross_reference_api = args.cross_references_via == "graphql" ? CrossReferenceApi::kGraphql
                                : args.cross_references_via == "rest"  ? CrossReferenceApi::kRest
                                                                       : CrossReferenceApi::kAuto;
  options.argv = g.argv;
  return options;
}

// Requests go to --api-url with the token from the environment; notices (waits, retries)
// end the progress line and go to stderr unless --quiet.
GithubClientOptions client_options(const MineArgs& args, ProgressLine& progress) {
  GithubClientOptions client;
  client.api_url = args.api_url;
  client.token = github_token_from_env();
  client.max_retries = args.retries;
  client.retry_wait = std::chrono::milliseconds(args.retry_wait_ms);
  client.timeout_seconds = args.timeout;
  if (args.verbose) client.log = [](const std::string& line) { std::cerr << line << "\n"; };
  client.notice = [&progress, quiet = args.quiet](const std::string& line) {
    progress.clear();
    if (!quiet) std::cerr << "firstmile: " << line << "\n";
  };
  return client;
}

void add_mine_flags(CLI::App* cmd, MineArgs& args) {
  cmd->add_option("repositories", args.repositories, "Repositories as OWNER/NAME");
  cmd->add_option("--preset", args.preset,
                  "Mine every repository of this preset (e.g. open-llm-failures), with its series and models");
  cmd->add_option("--since", args.since,
                  "First mine of a repository: only issues and comments updated since DATE (2024-05-01 or "
                  "2024-05-01T12:00:00Z); later runs continue from where the last one ended");
  cmd->add_option("--until", args.until,
                  "The data as of DATE (2024-12-31, through its last second, or 2024-12-31T12:00:00Z): issues and "
                  "comments created after it are not stored, so a re-run gives the same rows");
  auto* cross = cmd->add_flag("--cross-references", args.cross_references,
                              "Also fetch the references from other issues (and the original of a duplicate) of "
                              "each issue that looks like a failure report: with a token one GraphQL query per 100 "
                              "issues, else one timeline request per issue (the cost is printed first)");
  auto* all = cmd->add_flag("--timeline", args.timeline_all, "As --cross-references, for every issue");
  cmd->add_option("--cross-references-via", args.cross_references_via,
                  "graphql (100 issues a query; needs a token), rest (the timeline, one request per issue), or "
                  "auto: graphql when a token is there")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "graphql", "rest"}));
  // --no-timelines kept from when timelines were the only source of events: it fetches neither.
  cmd->add_flag("--no-events,--no-timelines", args.no_events,
                "Skip the repository-wide issue events listing (closings, labels, renames, duplicates)")
      ->excludes(cross)
      ->excludes(all);
  cmd->add_option("--api-url", args.api_url, "GitHub API URL (GitHub Enterprise: https://HOST/api/v3)")
      ->capture_default_str();
  cmd->add_option("--retries", args.retries, "Retries of a request on 5xx, network errors and secondary limits")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  cmd->add_option("--retry-wait", args.retry_wait_ms, "First retry wait in ms (doubles each retry, with jitter)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  cmd->add_option("--timeout", args.timeout, "Timeout of one request in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_flag("-v,--verbose", args.verbose, "Log every request (URL, status, quota left) on stderr");
  cmd->add_flag("-q,--quiet", args.quiet, "No progress line");
}

}  // namespace

void add_mine(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<MineArgs>();
  auto* cmd =
      app.add_subcommand("mine",
                         "Mine issues, pull requests, comments and issue events from GitHub into the database.\n"
                         "Token from GITHUB_TOKEN or GH_TOKEN (never stored or shown). Incremental and resumable:\n"
                         "run it again to fetch only what changed, or to continue after an interruption.");
  add_mine_flags(cmd, *args);
  cmd->fallthrough();
  cmd->callback([g, args] {
    Preset preset = load_preset(args->preset.empty() ? "open-llm-failures" : args->preset);
    MineOptions options = mine_options(*args, preset, *g);
    ProgressLine progress(std::cerr, stderr_is_terminal() && !args->quiet && !args->verbose);
    if (progress.enabled()) {
      options.progress = [&progress](const MineProgress& p) { progress.show(mine_progress_text(p)); };
    }
    // The cost of what is about to start is said even with --quiet: it is not progress.
    options.notice = [&progress](const std::string& line) {
      progress.clear();
      std::cerr << "firstmile: " << line << "\n";
    };
    GithubClient github(client_options(*args, progress));
    FailureFilter keywords = FailureFilter::load();
    options.failure_like = [&keywords](const std::string& title, const std::string& body,
                                       const std::vector<std::string>& labels) {
      return keywords.matches(title, body, labels);
    };
    Store store = Store::open(g->db);
    MineSummary s = mine_repositories(store, preset, github, options);  // on an error, `progress` clears itself
    progress.clear();
    print_mine_summary(s, g->db, std::cout);
  });
}

}  // namespace firstmile
