// store/issues.cpp — repositories, their aliases, issues and comments.
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/error.h"
#include "base/json_file.h"
#include "store/store.h"

namespace firstmile {

std::string Reactions::json() const {
  nlohmann::ordered_json out;
  for (int k = 0; k < 8; ++k) out[kKinds[k]] = counts[k];
  out["total_count"] = total;
  return out.dump();
}

namespace {

// The two reactions columns' values: NULL both when unknown.
std::optional<std::string> reactions_text(const std::optional<Reactions>& r) {
  return r ? std::optional<std::string>(r->json()) : std::nullopt;
}
std::optional<int64_t> reactions_total(const std::optional<Reactions>& r) {
  return r ? std::optional<int64_t>(r->total) : std::nullopt;
}

}  // namespace

std::optional<int64_t> Store::find_repository(const std::string& owner, const std::string& name) {
  Query s = db_.query(
      "SELECT id FROM repositories WHERE owner = ?1 AND name = ?2 "
      "UNION ALL SELECT repository_id FROM repository_aliases WHERE owner = ?1 AND name = ?2 LIMIT 1");
  s.bind(1, owner).bind(2, name);
  std::optional<int64_t> id;
  if (s.step()) id = s.column_int(0);
  return id;
}

int64_t Store::upsert_repository(const RepositoryInfo& info) {
  std::optional<int64_t> id = find_repository(info.owner, info.name);
  if (!id) {
    db_.query("INSERT INTO repositories (owner, name) VALUES (?, ?)").bind(1, info.owner).bind(2, info.name).run();
    id = db_.last_insert_rowid();
  }
  // Only fields the caller knows overwrite; the rest keep what an earlier import set.
  db_.query(
         "UPDATE repositories SET series = coalesce(nullif(?1, ''), series), "
         "model = coalesce(nullif(?2, ''), model), architecture = coalesce(nullif(?3, ''), architecture) "
         "WHERE id = ?4")
      .bind_all(info.series, info.model, info.architecture, *id)
      .run();
  return *id;
}

void Store::add_repository_alias(int64_t repository_id, const std::string& owner, const std::string& name,
                                 const std::string& reason) {
  std::optional<int64_t> existing = find_repository(owner, name);
  if (existing && *existing != repository_id) {
    throw Error("repository " + owner + "/" + name + " is already known as another repository (id " +
                std::to_string(*existing) + ")");
  }
  if (existing) return;
  db_.query("INSERT INTO repository_aliases (owner, name, repository_id, reason) VALUES (?, ?, ?, ?)")
      .bind_all(owner, name, repository_id, reason)
      .run();
}

std::optional<int64_t> Store::find_issue(int64_t repository_id, int64_t number) {
  return db_.query("SELECT id FROM issues WHERE repository_id = ? AND number = ?")
      .bind(1, repository_id)
      .bind(2, number)
      .first_int();
}

std::optional<int64_t> Store::find_issue(const std::string& owner, const std::string& name, int64_t number) {
  std::optional<int64_t> repository = find_repository(owner, name);
  if (!repository) return std::nullopt;
  return find_issue(*repository, number);
}

std::optional<IssueText> Store::issue_text(int64_t issue_id) {
  Query q = db_.query("SELECT title, coalesce(body, ''), url FROM issues WHERE id = ? AND title IS NOT NULL");
  q.bind(1, issue_id);
  if (!q.step()) return std::nullopt;
  IssueText t{issue_id, q.column_text(0), q.column_text(1), q.column_text(2), {}};
  Query c = db_.query("SELECT coalesce(body, '') FROM comments WHERE issue_id = ? ORDER BY created_at, id");
  c.bind(1, issue_id);
  while (c.step()) t.comments.push_back(c.column_text(0));
  return t;
}

int64_t Store::ensure_issue(int64_t repository_id, int64_t number, const std::string& url) {
  if (std::optional<int64_t> id = find_issue(repository_id, number)) return *id;
  db_.query("INSERT INTO issues (repository_id, number, url) VALUES (?, ?, ?)")
      .bind_all(repository_id, number, url)
      .run();
  return db_.last_insert_rowid();
}

std::pair<int64_t, UpsertResult> Store::upsert_issue(const IssueData& issue) {
  Query find = db_.query("SELECT id, updated_at, title IS NULL FROM issues WHERE repository_id = ? AND number = ?");
  find.bind(1, issue.repository_id).bind(2, issue.number);
  std::optional<int64_t> id;
  std::string stored_updated_at;
  bool placeholder = true;
  if (find.step()) {
    id = find.column_int(0);
    stored_updated_at = find.column_text(1);
    placeholder = find.column_int(2) != 0;
  }
  // ISO 8601 UTC timestamps compare correctly as text.
  if (id && !placeholder && issue.updated_at && !stored_updated_at.empty() && *issue.updated_at < stored_updated_at) {
    return {*id, UpsertResult::kOlder};
  }
  nlohmann::json labels = issue.labels;
  if (!id) {
    db_.query("INSERT INTO issues (repository_id, number, url) VALUES (?, ?, ?)")
        .bind_all(issue.repository_id, issue.number, issue.url)
        .run();
    id = db_.last_insert_rowid();
  }
  Query update = db_.query(
      "UPDATE issues SET github_id = ?2, title = ?3, body = ?4, state = ?5, state_reason = ?6, author = ?7, "
      "author_association = ?8, labels = ?9, comments_count = ?10, created_at = ?11, updated_at = ?12, "
      "closed_at = ?13, is_pull_request = ?14, url = ?15, fetched_at = ?16, "
      "reactions = ?17, reactions_total = ?18 WHERE id = ?1 AND NOT ("
      "github_id IS ?2 AND title IS ?3 AND body IS ?4 AND state IS ?5 AND state_reason IS ?6 AND author IS ?7 AND "
      "author_association IS ?8 AND labels IS ?9 AND comments_count IS ?10 AND created_at IS ?11 AND "
      "updated_at IS ?12 AND closed_at IS ?13 AND is_pull_request IS ?14 AND url IS ?15 AND "
      "reactions IS ?17)");
  update.bind(1, *id).bind(2, issue.github_id).bind(3, issue.title).bind(4, issue.body).bind(5, issue.state);
  update.bind(6, issue.state_reason).bind(7, issue.author).bind(8, issue.author_association).bind(9, json_text(labels));
  update.bind(10, issue.comments_count).bind(11, issue.created_at).bind(12, issue.updated_at);
  update.bind(13, issue.closed_at).bind(14, issue.is_pull_request ? 1 : 0).bind(15, issue.url);
  update.bind(16, utc_now_iso8601());
  update.bind(17, reactions_text(issue.reactions)).bind(18, reactions_total(issue.reactions));
  update.run();
  if (placeholder) return {*id, UpsertResult::kInserted};
  return {*id, db_.changes() > 0 ? UpsertResult::kUpdated : UpsertResult::kUnchanged};
}

UpsertResult Store::upsert_comment(int64_t issue_id, const CommentData& c) {
  Query find = db_.query("SELECT updated_at FROM comments WHERE github_id = ?");
  find.bind(1, c.github_id);
  bool exists = find.step();
  std::string stored_updated_at = exists ? find.column_text(0) : "";
  if (exists && c.updated_at && !stored_updated_at.empty() && *c.updated_at < stored_updated_at) {
    return UpsertResult::kOlder;
  }
  Query s = db_.query(
      "INSERT INTO comments (github_id, issue_id, author, author_association, body, created_at, updated_at, url, "
      "reactions, reactions_total) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (github_id) DO UPDATE SET issue_id = ?2, author = ?3, "
      "author_association = ?4, body = ?5, created_at = ?6, updated_at = ?7, url = ?8, "
      "reactions = ?9, reactions_total = ?10 WHERE NOT ("
      "issue_id IS ?2 AND author IS ?3 AND author_association IS ?4 AND body IS ?5 AND created_at IS ?6 AND "
      "updated_at IS ?7 AND url IS ?8 AND reactions IS ?9)");
  s.bind(1, c.github_id).bind(2, issue_id).bind(3, c.author).bind(4, c.author_association).bind(5, c.body);
  s.bind(6, c.created_at).bind(7, c.updated_at).bind(8, c.url);
  s.bind(9, reactions_text(c.reactions)).bind(10, reactions_total(c.reactions));
  s.run();
  if (!exists) return UpsertResult::kInserted;
  return db_.changes() > 0 ? UpsertResult::kUpdated : UpsertResult::kUnchanged;
}

void Store::set_issue_state_if_unknown(int64_t issue_id, const std::string& state) {
  db_.query("UPDATE issues SET state = ? WHERE id = ? AND state IS NULL").bind(1, state).bind(2, issue_id).run();
}

}  // namespace firstmile
