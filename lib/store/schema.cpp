// store/schema.cpp — the migrations, in order. Step N brings user_version from N-1 to N.
#include "store/schema.h"

#include <string>

#include "base/error.h"
#include "store/database.h"

namespace firstmile {

namespace {

// Version 1: repositories, issues, comments, taxonomy, annotations, dataset records, runs.
// Timestamps are UTC ISO 8601 text ("2024-05-01T12:00:00Z"), so they sort and compare as text.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  command       TEXT NOT NULL,              -- subcommand, e.g. 'import-dataset'
  argv          TEXT NOT NULL,              -- JSON array of the arguments, secrets redacted
  tool_version  TEXT NOT NULL,
  taxonomy      TEXT,                       -- taxonomy id in force
  taxonomy_hash TEXT,                       -- git blob hash of the taxonomy file
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed')),
  summary       TEXT                        -- JSON, what the run did
);

CREATE TABLE repositories (
  id           INTEGER PRIMARY KEY,
  owner        TEXT NOT NULL COLLATE NOCASE,
  name         TEXT NOT NULL COLLATE NOCASE,
  series       TEXT,                        -- 'DeepSeek', 'Llama', 'Qwen', ...
  model        TEXT,                        -- 'Qwen2.5', 'llama3', 'DeepSeek-R1', ...
  architecture TEXT,                        -- 'Dense', 'MoE', 'Mixed'
  UNIQUE (owner, name)
);

-- Other names of a repository (renamed or transferred): QwenLM/Qwen3 -> QwenLM/Qwen2.5.
CREATE TABLE repository_aliases (
  owner         TEXT NOT NULL COLLATE NOCASE,
  name          TEXT NOT NULL COLLATE NOCASE,
  repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  reason        TEXT NOT NULL DEFAULT 'renamed',
  PRIMARY KEY (owner, name)
);

CREATE TABLE issues (
  id                 INTEGER PRIMARY KEY,
  repository_id      INTEGER NOT NULL REFERENCES repositories(id),
  number             INTEGER NOT NULL,
  github_id          INTEGER,
  title              TEXT,                  -- NULL until mined or imported
  body               TEXT,
  state              TEXT,                  -- 'open' or 'closed'
  state_reason       TEXT,
  author             TEXT,
  author_association TEXT,
  labels             TEXT NOT NULL DEFAULT '[]',  -- JSON array of label names
  comments_count     INTEGER,
  created_at         TEXT,
  updated_at         TEXT,
  closed_at          TEXT,
  is_pull_request    INTEGER NOT NULL DEFAULT 0,
  url                TEXT NOT NULL,         -- html_url
  fetched_at         TEXT,                  -- when its text last came in; NULL: never
  UNIQUE (repository_id, number)
);
CREATE INDEX issues_created ON issues(created_at);

CREATE TABLE comments (
  id                 INTEGER PRIMARY KEY,
  github_id          INTEGER UNIQUE,
  issue_id           INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  author             TEXT,
  author_association TEXT,
  body               TEXT,
  created_at         TEXT,
  updated_at         TEXT,
  url                TEXT
);
CREATE INDEX comments_issue ON comments(issue_id, created_at);

-- The taxonomies labels were made under, copied in so the database explains itself.
CREATE TABLE taxonomies (
  id       TEXT PRIMARY KEY,                -- 'open-llm-failures'
  version  TEXT NOT NULL,
  title    TEXT,
  hash     TEXT NOT NULL,                   -- git blob hash of the file
  origin   TEXT NOT NULL,                   -- the file it was loaded from
  content  TEXT NOT NULL                    -- the file itself, so labels stay readable if it changes
);
CREATE TABLE taxonomy_nodes (
  taxonomy   TEXT NOT NULL REFERENCES taxonomies(id) ON DELETE CASCADE,
  id         TEXT NOT NULL,                 -- 'sym.crash.cuda.oom'
  dimension  TEXT NOT NULL,                 -- 'symptom', 'root_cause', 'stage'
  parent     TEXT,
  name       TEXT NOT NULL,                 -- 'Out of Memory'
  path       TEXT NOT NULL,                 -- 'Crash / CUDA Error / Out of Memory'
  level      INTEGER NOT NULL,
  definition TEXT,
  PRIMARY KEY (taxonomy, id)
);

-- One failure of one issue as labelled by one source. An issue may carry several failures
-- (failure_index 1, 2, ...). Node columns hold taxonomy node ids; *_label the label as given.
CREATE TABLE annotations (
  id               INTEGER PRIMARY KEY,
  issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  failure_index    INTEGER NOT NULL DEFAULT 1,
  source           TEXT NOT NULL,           -- 'gold:open-llm-failures', 'rules', 'llm:<model>', 'manual:<name>'
  taxonomy         TEXT NOT NULL,
  is_failure       INTEGER,                 -- 1 a failure report, 0 not, NULL unknown
  symptom          TEXT,
  root_cause       TEXT,
  stage            TEXT,
  symptom_label    TEXT,
  root_cause_label TEXT,
  stage_label      TEXT,
  mapped           INTEGER NOT NULL DEFAULT 1,  -- 0: a label outside the taxonomy (--lenient)
  confidence       REAL,
  needs_review     INTEGER NOT NULL DEFAULT 0,
  evidence         TEXT,                    -- JSON: file and record, matched rules, rationale
  run_id           INTEGER REFERENCES runs(id),
  created_at       TEXT NOT NULL,
  UNIQUE (issue_id, source, failure_index)
);
CREATE INDEX annotations_source ON annotations(source);

-- The records of an imported labelled dataset, verbatim, for provenance and `check`.
CREATE TABLE dataset_records (
  source           TEXT NOT NULL,           -- annotation source they became
  file             TEXT NOT NULL,           -- path relative to the dataset folder
  record_index     INTEGER NOT NULL,        -- 1-based position in the file
  number           INTEGER,                 -- the record's own 'number' field
  link             TEXT NOT NULL,
  status           TEXT,
  symptom_label    TEXT,
  root_cause_label TEXT,
  stage_label      TEXT,
  model            TEXT,
  architecture     TEXT,
  annotation_id    INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
  PRIMARY KEY (source, file, record_index)
);

CREATE TABLE dataset_imports (
  source         TEXT PRIMARY KEY,
  path           TEXT NOT NULL,
  files          INTEGER NOT NULL,
  records        INTEGER NOT NULL,
  stated_records INTEGER,                   -- the count the dataset's publication states
  run_id         INTEGER REFERENCES runs(id),
  imported_at    TEXT NOT NULL
);

-- Labels with their names, for the sqlite3 shell.
CREATE VIEW annotation_labels AS
SELECT a.id, r.owner || '/' || r.name AS repository, i.number, a.failure_index, a.source,
       r.series, r.model, s.path AS symptom, c.path AS root_cause, g.name AS stage,
       a.confidence, a.needs_review, a.run_id
FROM annotations a
JOIN issues i ON i.id = a.issue_id
JOIN repositories r ON r.id = i.repository_id
LEFT JOIN taxonomy_nodes s ON s.taxonomy = a.taxonomy AND s.id = a.symptom
LEFT JOIN taxonomy_nodes c ON c.taxonomy = a.taxonomy AND c.id = a.root_cause
LEFT JOIN taxonomy_nodes g ON g.taxonomy = a.taxonomy AND g.id = a.stage;
)sql";

constexpr const char* kMigrations[] = {kVersion1};

}  // namespace

int schema_version(Database& db) { return static_cast<int>(db.query_int("PRAGMA user_version")); }

void migrate(Database& db) {
  int version = schema_version(db);
  if (version > kSchemaVersion) {
    throw Error(db.path().string() + ": schema version " + std::to_string(version) +
                " is newer than this firstmile understands (" + std::to_string(kSchemaVersion) +
                "); use a newer firstmile");
  }
  for (; version < kSchemaVersion; ++version) {
    Transaction tx(db);
    db.exec(kMigrations[version]);
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    tx.commit();
  }
}

}  // namespace firstmile
