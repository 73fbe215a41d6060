// cmd_mine.cpp — `firstmile mine OWNER/REPO... [--preset NAME] [--since DATE]`: GitHub → SQLite.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/text_table.h"
#include "dataset/preset.h"
#include "globals.h"
#include "select/failure_filter.h"
#include "mine/github_client.h"
#include "mine/miner.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct MineArgs {
  std::vector<std::string> repositories;
  std::string preset;
  std::string since;
  std::string api_url = "https://api.github.com";
  bool timeline_all = false;
  bool no_timelines = false;
  bool verbose = false;
  bool quiet = false;
  int retries = 6;
  int retry_wait_ms = 1000;
  long timeout = 60;
};

std::string eta_text(double seconds) {
  if (seconds < 0) return "";
  long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, " ETA %ld:%02ld", s / 60, s % 60);
  return text;
}

// One line, rewritten in place on a terminal.
void show_progress(const MineProgress& p) {
  std::string line = p.repository + "  " + p.phase + " ";
  if (p.phase == "timelines") {
    line += std::to_string(p.done) + "/" + std::to_string(p.total.value_or(0));
  } else if (p.phase != "repository") {
    line += "page " + std::to_string(p.done) + (p.total ? "/" + std::to_string(*p.total) : "") + ", " +
            std::to_string(p.items) + " " + p.phase;
  }
  if (p.counters) {
    line += ", " + std::to_string(p.counters->requests) + " requests";
    if (p.counters->remaining) line += ", " + std::to_string(*p.counters->remaining) + " left";
  }
  line += eta_text(p.eta_seconds);
  std::cerr << "\r\033[K" << line << std::flush;
}

}  // namespace

void add_mine(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<MineArgs>();
  auto* cmd = app.add_subcommand(
      "mine",
      "Mine issues, pull requests, comments and timelines from GitHub into the database.\n"
      "Token from GITHUB_TOKEN or GH_TOKEN (never stored or shown). Incremental and resumable:\n"
      "run it again to fetch only what changed, or to continue after an interruption.");
  cmd->add_option("repositories", args->repositories, "Repositories as OWNER/NAME");
  cmd->add_option("--preset", args->preset,
                  "Mine every repository of this preset (e.g. open-llm-failures), with its series and models");
  cmd->add_option("--since", args->since,
                  "First mine of a repository: only issues and comments updated since DATE (2024-05-01 or "
                  "2024-05-01T12:00:00Z); later runs continue from where the last one ended");
  cmd->add_flag("--timeline", args->timeline_all,
                "Fetch the timeline of every issue (default: only issues that look like failure reports)");
  cmd->add_flag("--no-timelines", args->no_timelines, "Fetch no timelines");
  cmd->add_option("--api-url", args->api_url, "GitHub API URL (GitHub Enterprise: https://HOST/api/v3)")
      ->capture_default_str();
  cmd->add_option("--retries", args->retries, "Retries of a request on 5xx, network errors and secondary limits")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  cmd->add_option("--retry-wait", args->retry_wait_ms, "First retry wait in ms (doubles each retry, with jitter)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  cmd->add_option("--timeout", args->timeout, "Timeout of one request in seconds")->capture_default_str()->check(
      CLI::Range(1, 3600));
  cmd->add_flag("-v,--verbose", args->verbose, "Log every request (URL, status, quota left) on stderr");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line");
  cmd->fallthrough();
  cmd->callback([g, args] {
    std::string preset_name = args->preset.empty() ? "open-llm-failures" : args->preset;
    Preset preset = load_preset(preset_name);
    MineOptions options;
    options.repositories = args->repositories;
    if (!args->preset.empty() && options.repositories.empty()) {
      for (const PresetRepository& r : preset.repositories) options.repositories.push_back(r.owner + "/" + r.name);
    }
    options.since = args->since;
    options.timelines = args->no_timelines ? TimelineMode::kNone
                        : args->timeline_all ? TimelineMode::kAll
                                             : TimelineMode::kFailureLike;
    options.argv = g->argv;
    const bool terminal = isatty(STDERR_FILENO) != 0;
    bool progress_shown = false;
    if (terminal && !args->quiet && !args->verbose) {
      options.progress = [&progress_shown](const MineProgress& p) {
        show_progress(p);
        progress_shown = true;
      };
    }
    auto end_progress = [&progress_shown] {
      if (progress_shown) std::cerr << "\r\033[K" << std::flush;
      progress_shown = false;
    };

    GithubClientOptions client;
    client.api_url = args->api_url;
    client.token = github_token_from_env();
    client.max_retries = args->retries;
    client.retry_wait = std::chrono::milliseconds(args->retry_wait_ms);
    client.timeout_seconds = args->timeout;
    if (args->verbose) client.log = [](const std::string& line) { std::cerr << line << "\n"; };
    client.notice = [&end_progress, args](const std::string& line) {
      end_progress();
      if (!args->quiet) std::cerr << "firstmile: " << line << "\n";
    };
    GithubClient github(client);
    FailureFilter keywords = FailureFilter::load();
    options.failure_like = [&keywords](const std::string& title, const std::string& body,
                                       const std::vector<std::string>& labels) { return keywords.matches(title, body, labels); };
    Store store = Store::open(g->db);
    MineSummary s;
    try {
      s = mine_repositories(store, preset, github, options);
    } catch (...) {
      end_progress();
      throw;
    }
    end_progress();

    TextTable table({"repository", "issues", "new", "updated", "PRs", "comments", "new", "timelines", "requests",
                     "304"});
    for (const RepositoryMineSummary& r : s.repositories) {
      std::string name = r.repository + (r.renamed_to.empty() ? "" : " -> " + r.renamed_to);
      table.add_row({name, std::to_string(r.issues), std::to_string(r.new_issues), std::to_string(r.updated_issues),
                     std::to_string(r.pull_requests), std::to_string(r.comments), std::to_string(r.new_comments),
                     std::to_string(r.timelines), std::to_string(r.requests), std::to_string(r.not_modified)});
    }
    std::cout << "Mined into " << g->db << " (run " << s.run_id << "): " << s.counters.requests << " requests, "
              << s.counters.not_modified << " answered 304 (no quota)";
    if (s.counters.remaining) std::cout << ", " << *s.counters.remaining << " left this hour";
    std::cout << "\n";
    for (size_t c = 1; c < 10; ++c) table.align_right(c);
    table.print(std::cout);
  });
}

}  // namespace firstmile
