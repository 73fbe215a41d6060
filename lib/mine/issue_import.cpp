// mine/issue_import.cpp — parse every file, then write issues and comments in one transaction.
#include "mine/issue_import.h"

#include <map>
#include <ostream>

#include "base/error.h"
#include "base/json_file.h"
#include "dataset/preset.h"
#include "mine/gh_cli_json.h"
#include "mine/github_json.h"
#include "mine/json_stream.h"
#include "store/issue_rows.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct Parsed {
  std::vector<GithubIssue> issues;
  std::vector<GithubComment> comments;
};

void parse_file(const std::filesystem::path& path, Parsed& out) {
  std::string text = read_file(path);
  std::string origin = path.string();
  for (const JsonChunk& chunk : split_json_values(text, origin)) {
    std::string where = origin + ": line " + std::to_string(chunk.line);
    nlohmann::json value = parse_json(chunk.text, origin, chunk.line);
    auto take = [&](const nlohmann::json& object, const std::string& at) {
      if (is_comment_json(object)) {
        GithubComment c = comment_from_json(object, at);
        if (c.issue.number == 0)
          throw Error(at + ": cannot tell which issue the comment belongs to (no html_url or issue_url)");
        out.comments.push_back(std::move(c));
      } else {
        GithubIssue issue =
            is_gh_cli_issue_json(object) ? gh_cli_issue_from_json(object, at) : issue_from_json(object, at);
        for (GithubComment& c : issue.comments) out.comments.push_back(std::move(c));
        issue.comments.clear();
        out.issues.push_back(std::move(issue));
      }
    };
    if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        const nlohmann::json& element = value[i];
        if (!element.is_array()) {
          take(element, where + ": element " + std::to_string(i + 1));
          continue;
        }
        // `gh api --paginate --slurp`: an array of pages, each an array of objects.
        std::string page = where + ": page " + std::to_string(i + 1);
        for (size_t k = 0; k < element.size(); ++k) take(element[k], page + ": element " + std::to_string(k + 1));
      }
    } else {
      take(value, where);
    }
  }
}

}  // namespace

IssueImportSummary import_issue_files(Store& store, const Preset& preset,
                                      const std::vector<std::filesystem::path>& files,
                                      const IssueImportOptions& options) {
  if (files.empty()) throw Error("import issues: no files given");
  Parsed parsed;
  for (const auto& f : files) parse_file(f, parsed);

  IssueImportSummary s;
  s.files = static_cast<int64_t>(files.size());
  s.issues = static_cast<int64_t>(parsed.issues.size());
  s.comments = static_cast<int64_t>(parsed.comments.size());

  Transaction tx(store.db());
  s.run_id = store.begin_run("import issues", options.argv, nullptr);
  std::map<std::string, int64_t> repositories;
  auto repository_id = [&](const IssueLink& link) {
    std::string key = link.repository();
    auto it = repositories.find(key);
    if (it != repositories.end()) return it->second;
    RepositoryInfo info = repository_info(preset, link.owner, link.name);
    int64_t id = store.upsert_repository(info);
    repositories.emplace(key, id);
    return id;
  };

  for (GithubIssue& issue : parsed.issues) {
    issue.data.repository_id = repository_id(issue.link);
    s.pull_requests += issue.data.is_pull_request;
    UpsertCounts{s.new_issues, s.updated_issues, s.unchanged_issues, s.older_skipped}.add(
        store.upsert_issue(issue.data).second);
  }
  for (const GithubComment& c : parsed.comments) {
    int64_t repo = repository_id(c.issue);
    // A comment whose issue has no text yet keeps a placeholder issue, so nothing is lost;
    // `check` lists such issues.
    if (!issue_has_text(store, repo, c.issue.number)) ++s.comments_without_issue_text;
    int64_t issue_id = store.ensure_issue(repo, c.issue.number, c.issue.url());
    UpsertResult r = store.upsert_comment(issue_id, c.data);
    s.new_comments += r == UpsertResult::kInserted;
    s.older_skipped += r == UpsertResult::kOlder;
  }
  s.repositories = static_cast<int64_t>(repositories.size());
  nlohmann::json summary = {{"files", s.files},
                            {"issues", s.issues},
                            {"comments", s.comments},
                            {"new_issues", s.new_issues},
                            {"updated_issues", s.updated_issues},
                            {"new_comments", s.new_comments}};
  store.finish_run(s.run_id, "ok", json_text(summary));
  tx.commit();
  return s;
}

void print_issue_import_summary(const IssueImportSummary& s, const std::string& db, std::ostream& out) {
  out << "Imported into " << db << " (run " << s.run_id << "): " << s.files << " files, " << s.issues << " issues ("
      << s.pull_requests << " pull requests), " << s.comments << " comments, " << s.repositories << " repositories\n"
      << "Issues: " << s.new_issues << " new, " << s.updated_issues << " updated, " << s.unchanged_issues
      << " unchanged";
  if (s.older_skipped) out << ", " << s.older_skipped << " older than the database's copy (kept the newer)";
  out << "\nComments: " << s.new_comments << " new";
  if (s.comments_without_issue_text) {
    out << ", " << s.comments_without_issue_text << " on issues whose text is not loaded yet";
  }
  out << "\n";
}

}  // namespace firstmile
