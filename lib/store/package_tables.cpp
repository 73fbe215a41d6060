// store/package_tables.cpp — the tidy views of the database that a replication package holds.
#include "store/package_tables.h"

#include <map>
#include <set>

#include <sqlite3.h>

#include "base/error.h"
#include "store/store.h"

namespace firstmile {

namespace {

// "OWNER/NAME" of the repository aliased `r`.
#define FM_REPO(r) r ".owner || '/' || " r ".name"

// Every packaged table's query. Ids of rows are replaced by what names the row outside this
// database (repository and number, commit sha, incident number); run ids are kept, since
// runs are packaged too. ORDER BY is the natural key, so the output is stable.
const std::map<std::string, std::string>& table_queries() {
  static const std::map<std::string, std::string> queries = {
      {"repositories",
       "SELECT owner || '/' || name AS repository, series, model, architecture FROM repositories "
       "ORDER BY owner, name"},
      {"repository_aliases",
       "SELECT a.owner || '/' || a.name AS alias, " FM_REPO("r") " AS repository, a.reason "
       "FROM repository_aliases a JOIN repositories r ON r.id = a.repository_id ORDER BY a.owner, a.name"},
      {"issues",
       "SELECT " FM_REPO("r") " AS repository, i.number, i.github_id, i.url, i.is_pull_request, i.state, "
       "i.state_reason, i.author, i.author_association, i.labels, i.comments_count, i.created_at, i.updated_at, "
       "i.closed_at, i.title, i.body FROM issues i JOIN repositories r ON r.id = i.repository_id "
       "ORDER BY r.owner, r.name, i.number"},
      {"comments",
       "SELECT " FM_REPO("r") " AS repository, i.number, c.github_id, c.url, c.author, c.author_association, "
       "c.created_at, c.updated_at, c.body FROM comments c JOIN issues i ON i.id = c.issue_id "
       "JOIN repositories r ON r.id = i.repository_id ORDER BY r.owner, r.name, i.number, c.created_at, c.github_id"},
      {"annotations",
       "SELECT " FM_REPO("r") " AS repository, i.number, a.failure_index, a.source, a.taxonomy, a.is_failure, "
       "a.symptom, a.root_cause, a.stage, s.path AS symptom_path, c.path AS root_cause_path, g.path AS stage_path, "
       "a.symptom_label, a.root_cause_label, a.stage_label, a.mapped, a.confidence, a.needs_review, a.evidence, "
       "a.run_id, a.created_at FROM annotations a JOIN issues i ON i.id = a.issue_id "
       "JOIN repositories r ON r.id = i.repository_id "
       "LEFT JOIN taxonomy_nodes s ON s.taxonomy = a.taxonomy AND s.id = a.symptom "
       "LEFT JOIN taxonomy_nodes c ON c.taxonomy = a.taxonomy AND c.id = a.root_cause "
       "LEFT JOIN taxonomy_nodes g ON g.taxonomy = a.taxonomy AND g.id = a.stage "
       "ORDER BY a.source, r.owner, r.name, i.number, a.failure_index"},
      {"dataset_records",
       "SELECT source, file, record_index, number, link, status, symptom_label, root_cause_label, stage_label, model, "
       "architecture FROM dataset_records ORDER BY source, file, record_index"},
      {"dataset_imports",
       "SELECT source, files, records, stated_records, run_id, imported_at FROM dataset_imports ORDER BY source"},
      {"timeline_events",
       "SELECT " FM_REPO("r") " AS repository, i.number, t.position, t.event, t.actor, t.created_at, t.commit_id, "
       "t.source_url FROM timeline_events t JOIN issues i ON i.id = t.issue_id "
       "JOIN repositories r ON r.id = i.repository_id ORDER BY r.owner, r.name, i.number, t.position"},
      {"issue_events",
       "SELECT " FM_REPO("r") " AS repository, i.number, e.github_id, e.event, e.actor, e.created_at, e.commit_id, "
       "e.detail FROM issue_events e JOIN issues i ON i.id = e.issue_id "
       "JOIN repositories r ON r.id = i.repository_id ORDER BY r.owner, r.name, i.number, e.github_id"},
      {"selections",
       "SELECT s.name, " FM_REPO("r") " AS repository, i.number, s.step_reached, s.excluded_by, s.run_id "
       "FROM selections s JOIN issues i ON i.id = s.issue_id JOIN repositories r ON r.id = i.repository_id "
       "ORDER BY s.name, r.owner, r.name, i.number"},
      {"aggregations",
       "SELECT name, source, window_days, route, threshold, run_id, created_at, summary FROM aggregations "
       "ORDER BY name"},
      {"incidents",
       "SELECT aggregation, number, title, size, first_at, last_at, repositories, signature, root_cause "
       "FROM incidents ORDER BY aggregation, number"},
      {"incident_members",
       "SELECT n.aggregation, n.number AS incident, " FM_REPO("r") " AS repository, i.number "
       "FROM incident_members m JOIN incidents n ON n.id = m.incident_id JOIN issues i ON i.id = m.issue_id "
       "JOIN repositories r ON r.id = i.repository_id ORDER BY n.aggregation, n.number, r.owner, r.name, i.number"},
      {"incident_links",
       "SELECT l.aggregation, " FM_REPO("ra") " AS repository_a, a.number AS number_a, " FM_REPO("rb") " AS "
       "repository_b, b.number AS number_b, l.score, l.decided_by, l.linked, l.evidence FROM incident_links l "
       "JOIN issues a ON a.id = l.issue_a JOIN repositories ra ON ra.id = a.repository_id "
       "JOIN issues b ON b.id = l.issue_b JOIN repositories rb ON rb.id = b.repository_id "
       "ORDER BY l.aggregation, ra.owner, ra.name, a.number, rb.owner, rb.name, b.number"},
      {"commits",
       "SELECT " FM_REPO("r") " AS repository, c.sha, c.author_name, c.author_email, c.authored_at, "
       "c.committer_name, c.committer_email, c.committed_at, c.parents, c.files_changed, c.insertions, c.deletions, "
       "c.message FROM commits c JOIN repositories r ON r.id = c.repository_id ORDER BY r.owner, r.name, c.sha"},
      {"commit_files",
       "SELECT " FM_REPO("r") " AS repository, c.sha, f.path, f.status, f.old_path, f.insertions, f.deletions "
       "FROM commit_files f JOIN commits c ON c.id = f.commit_id JOIN repositories r ON r.id = c.repository_id "
       "ORDER BY r.owner, r.name, c.sha, f.path"},
      {"commit_issue_links",
       "SELECT " FM_REPO("r") " AS repository, c.sha, l.owner || '/' || l.name AS issue_repository, l.number, "
       "l.kind FROM commit_issue_links l JOIN commits c ON c.id = l.commit_id "
       "JOIN repositories r ON r.id = c.repository_id ORDER BY r.owner, r.name, c.sha, l.owner, l.name, l.number"},
      {"tags",
       "SELECT " FM_REPO("r") " AS repository, t.name, t.sha, t.tagged_at, t.tagger, t.message FROM tags t "
       "JOIN repositories r ON r.id = t.repository_id ORDER BY r.owner, r.name, t.name"},
      {"calibrations",
       "SELECT taxonomy, dimension, gold_source, model, run_id, created_at FROM calibrations ORDER BY id"},
      {"runs",
       "SELECT id, command, argv, tool_version, taxonomy, taxonomy_hash, started_at, finished_at, status, summary "
       "FROM runs ORDER BY id"},
      {"llm_cache",
       "SELECT model, request_hash, response, prompt_tokens, completion_tokens, created_at FROM llm_cache "
       "ORDER BY model, request_hash"},
  };
  return queries;
}

#undef FM_REPO

std::vector<std::string> strings(Query& q) {
  std::vector<std::string> out;
  while (q.step()) {
    if (!q.column_is_null(0) && !q.column_view(0).empty()) out.push_back(q.column_text(0));
  }
  return out;
}

}  // namespace

const std::vector<std::string>& packaged_tables() {
  static const std::vector<std::string> tables = {
      "repositories",     "repository_aliases", "issues",       "comments",       "annotations",
      "dataset_records",  "dataset_imports",    "timeline_events", "issue_events", "selections",
      "aggregations",     "incidents",          "incident_members", "incident_links", "commits",
      "commit_files",     "commit_issue_links", "tags",         "calibrations",   "runs"};
  return tables;
}

void read_packaged_table(Store& store, const std::string& table,
                         const std::function<void(const std::vector<std::string>&)>& header,
                         const std::function<void(const std::vector<StoredValue>&)>& row) {
  auto sql = table_queries().find(table);
  if (sql == table_queries().end()) throw Error("no packaged table '" + table + "'");
  Query q = store.db().query(sql->second);
  const int columns = q.column_count();
  std::vector<std::string> names;
  for (int c = 0; c < columns; ++c) names.push_back(q.column_name(c));
  header(names);
  std::vector<StoredValue> values(static_cast<size_t>(columns));
  while (q.step()) {
    for (int c = 0; c < columns; ++c) {
      StoredValue& v = values[static_cast<size_t>(c)];
      v.text.clear();
      switch (q.column_type(c)) {
        case SQLITE_NULL: v.type = StoredValue::Type::kNull; break;
        case SQLITE_INTEGER: v.type = StoredValue::Type::kInteger, v.integer = q.column_int(c); break;
        case SQLITE_FLOAT: v.type = StoredValue::Type::kReal, v.real = q.column_double(c); break;
        default: v.type = StoredValue::Type::kText, v.text = q.column_text(c); break;
      }
    }
    row(values);
  }
}

PeopleInStore people_in_store(Store& store) {
  PeopleInStore people;
  Query logins = store.db().query(
      "SELECT author FROM issues UNION SELECT author FROM comments UNION SELECT actor FROM timeline_events "
      "UNION SELECT actor FROM issue_events "
      "UNION SELECT tagger FROM tags ORDER BY 1");
  people.logins = strings(logins);
  Query names = store.db().query("SELECT author_name FROM commits UNION SELECT committer_name FROM commits ORDER BY 1");
  people.names = strings(names);
  Query emails =
      store.db().query("SELECT author_email FROM commits UNION SELECT committer_email FROM commits ORDER BY 1");
  people.emails = strings(emails);
  return people;
}

std::vector<RepositoryAsOf> repositories_as_of(Store& store) {
  Query q = store.db().query(
      "SELECT r.owner || '/' || r.name, "
      "(SELECT since FROM sync_state s WHERE s.repository_id = r.id AND s.resource = 'issues'), "
      "(SELECT since FROM sync_state s WHERE s.repository_id = r.id AND s.resource = 'comments'), "
      "(SELECT max(fetched_at) FROM issues i WHERE i.repository_id = r.id), "
      "(SELECT max(committed_at) FROM commits c WHERE c.repository_id = r.id) "
      "FROM repositories r ORDER BY r.owner, r.name");
  std::vector<RepositoryAsOf> out;
  while (q.step()) {
    out.push_back({q.column_text(0), q.column_text(1), q.column_text(2), q.column_text(3), q.column_text(4)});
  }
  return out;
}

std::vector<StoredTaxonomy> stored_taxonomies(Store& store) {
  Query q = store.db().query("SELECT id, version, hash, content FROM taxonomies ORDER BY id");
  std::vector<StoredTaxonomy> out;
  while (q.step()) out.push_back({q.column_text(0), q.column_text(1), q.column_text(2), q.column_text(3)});
  return out;
}

}  // namespace firstmile
