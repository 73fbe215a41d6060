// store/issue_scope.cpp — one WHERE clause for the issues in scope, two shapes of answer.
#include "store/issue_scope.h"

#include "store/store.h"

namespace firstmile {

namespace {

// The query after its column list.
std::string scope_sql(const IssueScope& scope) {
  std::string sql = " FROM issues i JOIN repositories r ON r.id = i.repository_id WHERE i.title IS NOT NULL";
  if (!scope.pull_requests) sql += " AND i.is_pull_request = 0";
  if (!scope.repositories.empty()) {
    sql += " AND (";
    for (size_t k = 0; k < scope.repositories.size(); ++k)
      sql += std::string(k ? " OR " : "") + "(r.owner = ? AND r.name = ?)";
    sql += ")";
  }
  if (!scope.since.empty()) sql += " AND i.created_at >= ?";
  if (!scope.until.empty()) sql += " AND substr(i.created_at, 1, ?) <= ?";
  // Repository and number: owner and name compare without case, as stored, so the order
  // depends on the issues, never on rowids.
  sql += scope.order == IssueScope::Order::kById ? " ORDER BY i.id" : " ORDER BY r.owner, r.name, i.number";
  if (scope.limit > 0) sql += " LIMIT " + std::to_string(scope.limit);
  return sql;
}

// Binds the scope's parameters, in the order scope_sql wrote them.
void bind_scope(Query& q, const IssueScope& scope) {
  int p = 0;
  for (const auto& [owner, name] : scope.repositories) {
    q.bind(p + 1, owner).bind(p + 2, name);
    p += 2;
  }
  if (!scope.since.empty()) q.bind(++p, scope.since);
  if (!scope.until.empty()) q.bind(p + 1, static_cast<int64_t>(scope.until.size())).bind(p + 2, scope.until);
}

}  // namespace

std::vector<int64_t> issue_ids_in_scope(Store& store, const IssueScope& scope) {
  Query q = store.db().query("SELECT i.id" + scope_sql(scope));
  bind_scope(q, scope);
  std::vector<int64_t> ids;
  while (q.step()) ids.push_back(q.column_int(0));
  return ids;
}

std::vector<ScopedIssue> issues_in_scope(Store& store, const IssueScope& scope) {
  Query q = store.db().query(
      "SELECT i.id, r.id, r.owner, r.name, i.number, i.url, i.title, coalesce(i.body, ''), coalesce(i.state_reason, "
      "''), "
      "i.labels, i.is_pull_request" +
      scope_sql(scope));
  bind_scope(q, scope);
  std::vector<ScopedIssue> out;
  while (q.step()) {
    out.push_back({.id = q.column_int(0),
                   .repository_id = q.column_int(1),
                   .owner = q.column_text(2),
                   .name = q.column_text(3),
                   .number = q.column_int(4),
                   .url = q.column_text(5),
                   .title = q.column_text(6),
                   .body = q.column_text(7),
                   .state_reason = q.column_text(8),
                   .labels = q.column_text(9),
                   .is_pull_request = q.column_int(10) != 0});
  }
  return out;
}

}  // namespace firstmile
