// mine/gharchive_fill.cpp — GET each missing number, then one transaction of upserts.
#include "mine/gharchive_fill.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/issue_link.h"
#include "base/json_file.h"
#include "base/text.h"
#include "mine/github_json.h"

namespace firstmile {

FillSummary fill_missing_issues(Store& store, const Preset& preset, GithubClient& github, const ArchiveCoverage& coverage,
                                const std::vector<std::string>& argv) {
  FillSummary s;
  struct Found {
    RepositoryInfo repository;
    std::vector<IssueData> issues;
  };
  std::vector<Found> found;
  for (const RepositoryCoverage& r : coverage.repositories) {
    if (r.numbers_never_opened.empty()) continue;
    const size_t slash = r.repository.find('/');
    if (slash == std::string::npos) throw Error("repository '" + r.repository + "' is not OWNER/NAME");
    const std::string owner = r.repository.substr(0, slash), name = r.repository.substr(slash + 1);
    found.push_back({repository_info(preset, owner, name), {}});
    for (int64_t number : r.numbers_never_opened) {
      ++s.asked;
      const std::string path = "/repos/" + owner + "/" + name + "/issues/" + std::to_string(number);
      GithubPage page = github.get_if_there(path);
      if (page.gone) {
        ++s.gone;
        continue;
      }
      GithubIssue issue = issue_from_json(page.body, page.final_url.empty() ? page.url : page.final_url);
      std::optional<IssueLink> link = parse_issue_link(issue.data.url);
      if (!link || to_lower_ascii(link->owner) != to_lower_ascii(owner) ||
          to_lower_ascii(link->name) != to_lower_ascii(name) || link->number != number) {
        ++s.elsewhere;
        continue;
      }
      s.pull_requests += issue.data.is_pull_request;
      found.back().issues.push_back(std::move(issue.data));
    }
  }
  s.counters = github.counters();
  Transaction tx(store.db());
  s.run_id = store.begin_run("gharchive-coverage", argv, nullptr);
  for (Found& f : found) {
    const int64_t repository_id = store.upsert_repository(f.repository);
    for (IssueData& d : f.issues) {
      d.repository_id = repository_id;
      store.upsert_issue(d);
      ++s.issues;
    }
  }
  nlohmann::json summary = {{"asked", s.asked},          {"issues", s.issues},
                            {"pull_requests", s.pull_requests}, {"gone", s.gone},
                            {"elsewhere", s.elsewhere},  {"requests", s.counters.requests}};
  store.finish_run(s.run_id, "ok", json_text(summary));
  tx.commit();
  return s;
}

std::string fill_summary_text(const FillSummary& s) {
  return "Filled from the API: " + std::to_string(s.asked) + " numbers asked for in " +
         std::to_string(s.counters.requests) + " requests; " + std::to_string(s.issues) + " stored (of them " +
         std::to_string(s.pull_requests) + " pull requests), " + std::to_string(s.gone) +
         " not there (404/410: a discussion, or deleted), " + std::to_string(s.elsewhere) +
         " transferred to another repository (run " + std::to_string(s.run_id) + ")\n";
}

}  // namespace firstmile
