// store/git_tables.cpp — the inserts of a git import, and the tags' upsert.
#include "store/git_tables.h"

#include "store/store.h"

namespace firstmile {

std::unordered_set<std::string> stored_commit_shas(Store& store, int64_t repository_id) {
  std::unordered_set<std::string> shas;
  Query known = store.db().query("SELECT sha FROM commits WHERE repository_id = ?");
  known.bind(1, repository_id);
  while (known.step()) shas.emplace(known.column_view(0));
  return shas;
}

CommitWriter::CommitWriter(Store& store)
    : db_(store.db()),
      insert_commit_(
          db_.query("INSERT INTO commits (repository_id, sha, author_name, author_email, authored_at, committer_name, "
                    "committer_email, committed_at, message, parents, files_changed, insertions, deletions) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_file_(db_.query("INSERT INTO commit_files (commit_id, path, status, old_path, insertions, deletions) "
                             "VALUES (?, ?, ?, ?, ?, ?)")),
      insert_link_(
          db_.query("INSERT INTO commit_issue_links (commit_id, owner, name, number, kind) VALUES (?, ?, ?, ?, ?)")) {}

int64_t CommitWriter::add_commit(const CommitRow& c) {
  Query& insert = insert_commit_;
  insert.bind(1, c.repository_id).bind(2, c.sha);
  insert.bind(3, c.author_name).bind(4, c.author_email);
  insert.bind(5, c.authored_at);
  insert.bind(6, c.committer_name).bind(7, c.committer_email);
  insert.bind(8, c.committed_at);
  insert.bind(9, c.message).bind(10, c.parents);
  insert.bind(11, c.files_changed).bind(12, c.insertions).bind(13, c.deletions);
  insert.run();
  return db_.last_insert_rowid();
}

void CommitWriter::add_file(int64_t commit_id, const CommitFileRow& f) {
  Query& file = insert_file_;
  file.bind(1, commit_id).bind(2, f.path).bind(3, f.status).bind(4, f.old_path);
  file.bind(5, f.insertions).bind(6, f.deletions);
  file.run();
}

void CommitWriter::add_issue_link(int64_t commit_id, const CommitIssueLink& l) {
  insert_link_.bind(1, commit_id).bind(2, l.owner).bind(3, l.name).bind(4, l.number).bind(5, l.kind);
  insert_link_.run();
}

std::map<std::string, TagRow> stored_tags(Store& store, int64_t repository_id) {
  std::map<std::string, TagRow> stored;
  Query read = store.db().query("SELECT name, sha, tagged_at, tagger, message FROM tags WHERE repository_id = ?");
  read.bind(1, repository_id);
  while (read.step()) {
    stored[read.column_text(0)] = {read.column_text(1), read.column_optional_text(2), read.column_optional_text(3),
                                   read.column_optional_text(4)};
  }
  return stored;
}

void save_tag(Store& store, int64_t repository_id, const std::string& name, const TagRow& tag) {
  Query write = store.db().query(
      "INSERT INTO tags (repository_id, name, sha, tagged_at, tagger, message) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (repository_id, name) DO UPDATE SET sha = excluded.sha, tagged_at = excluded.tagged_at, "
      "tagger = excluded.tagger, message = excluded.message");
  write.bind(1, repository_id).bind(2, name).bind(3, tag.sha).bind(4, tag.tagged_at);
  write.bind(5, tag.tagger).bind(6, tag.message);
  write.run();
}

}  // namespace firstmile
