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

// Version 2: what mining needs to resume and ask only for changes (sync_state, http_cache),
// issue timelines, and git history (commits, their files and issue links, tags).
constexpr const char* kVersion2 = R"sql(
-- Where a mining pass over one listing of one repository stands. A pass walks the listing
-- ('issues', 'comments') page by page; each page is written together with this row, so a run
-- killed at any point resumes at the page after the last one written.
CREATE TABLE sync_state (
  repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  resource      TEXT NOT NULL,            -- 'issues', 'comments'
  since         TEXT,                     -- next pass asks for what changed since this (server time)
  pass_since    TEXT,                     -- pass in progress: the since it was started with
  pass_started  TEXT,                     -- pass in progress: server time of its first page
  next_url      TEXT,                     -- pass in progress: next page to fetch; NULL: no pass open
  pages         INTEGER NOT NULL DEFAULT 0,  -- pass in progress: pages written so far
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (repository_id, resource)
);

-- Validators of earlier responses, for conditional requests (a 304 costs no rate-limit quota).
CREATE TABLE http_cache (
  url           TEXT PRIMARY KEY,         -- request URL (never carries a token)
  etag          TEXT,
  last_modified TEXT,
  fetched_at    TEXT NOT NULL
);

-- An issue's timeline (closing commits, cross-references, 'marked as duplicate', ...), replaced
-- whole each time it is fetched. Rows keep GitHub's order.
CREATE TABLE timeline_events (
  issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,            -- 1-based, in GitHub's order
  event      TEXT NOT NULL,               -- 'closed', 'cross-referenced', 'marked_as_duplicate', ...
  github_id  INTEGER,
  actor      TEXT,
  created_at TEXT,
  commit_id  TEXT,                        -- closing or referencing commit
  source_url TEXT,                        -- cross-referenced: html_url of the issue or PR that refers
  detail     TEXT NOT NULL DEFAULT '{}',  -- JSON: the event as GitHub sent it, minus bulky fields
  PRIMARY KEY (issue_id, position)
);
CREATE INDEX timeline_events_event ON timeline_events(event);
CREATE TABLE issue_timelines (
  issue_id   INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
  for_updated_at TEXT,                    -- the issue's updated_at when the timeline was fetched
  events     INTEGER NOT NULL,
  fetched_at TEXT NOT NULL
);

-- Git history of a repository (`firstmile git`).
CREATE TABLE commits (
  id              INTEGER PRIMARY KEY,
  repository_id   INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  sha             TEXT NOT NULL,
  author_name     TEXT,
  author_email    TEXT,
  authored_at     TEXT,
  committer_name  TEXT,
  committer_email TEXT,
  committed_at    TEXT,
  message         TEXT NOT NULL,
  parents         INTEGER NOT NULL,
  files_changed   INTEGER,
  insertions      INTEGER,
  deletions       INTEGER,
  UNIQUE (repository_id, sha)
);
CREATE INDEX commits_committed ON commits(repository_id, committed_at);
CREATE TABLE commit_files (
  commit_id  INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  status     TEXT NOT NULL,               -- 'added', 'modified', 'deleted', 'renamed', ...
  old_path   TEXT,                        -- renamed or copied from
  insertions INTEGER,
  deletions  INTEGER,
  PRIMARY KEY (commit_id, path)
);
-- Issues a commit message names: '#123', 'fixes #123', 'owner/repo#123', full issue URLs.
CREATE TABLE commit_issue_links (
  commit_id  INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  owner      TEXT NOT NULL COLLATE NOCASE,
  name       TEXT NOT NULL COLLATE NOCASE,
  number     INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('closes', 'mentions')),
  PRIMARY KEY (commit_id, owner, name, number)
);
CREATE INDEX commit_issue_links_issue ON commit_issue_links(owner, name, number);
CREATE TABLE tags (
  repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  sha           TEXT NOT NULL,            -- the commit it points at
  tagged_at     TEXT,                     -- tagger date of an annotated tag, else the commit's date
  tagger        TEXT,
  message       TEXT,
  PRIMARY KEY (repository_id, name)
);
)sql";

// Version 3: the classifier's LLM answers (so a re-run costs nothing) and its calibrations.
constexpr const char* kVersion3 = R"sql(
-- Answers of an OpenAI-compatible chat-completions endpoint, keyed by model and a hash of the
-- whole request (messages, schema, parameters): the same question is never paid for twice.
CREATE TABLE llm_cache (
  model             TEXT NOT NULL,
  request_hash      TEXT NOT NULL,          -- hex SHA-1 (git blob hash) of the canonical request JSON
  response          TEXT NOT NULL,          -- the assistant message's content
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  created_at        TEXT NOT NULL,
  PRIMARY KEY (model, request_hash)
);

-- What `firstmile calibrate` learnt: per dimension, how the rules' margin maps to the chance the
-- label is right, and the threshold below which hybrid routing asks the LLM.
CREATE TABLE calibrations (
  id          INTEGER PRIMARY KEY,
  taxonomy    TEXT NOT NULL,
  dimension   TEXT NOT NULL,                -- 'relevance', 'stage', 'symptom', 'root_cause'
  gold_source TEXT NOT NULL,
  model       TEXT NOT NULL,                -- JSON: bins of margin -> accuracy, threshold
  run_id      INTEGER REFERENCES runs(id),
  created_at  TEXT NOT NULL
);
CREATE INDEX calibrations_latest ON calibrations(taxonomy, dimension, id);
)sql";

// Version 4: the selection funnel (`firstmile select`): how far each issue got, and what dropped it.
constexpr const char* kVersion4 = R"sql(
-- One row per issue in scope of a named selection (repositories and dates as asked), written
-- whole by one `select` run. Steps: 1 mined (has text), 2 not a pull request, 3 keyword filter,
-- 4 failure report, 5 not a duplicate; an issue that passed every step has step_reached 5 and
-- no excluded_by. The run's summary (runs.summary) holds the options and the counts.
CREATE TABLE selections (
  name         TEXT NOT NULL DEFAULT 'default',
  issue_id     INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  step_reached INTEGER NOT NULL CHECK (step_reached BETWEEN 1 AND 5),
  excluded_by  TEXT,                        -- JSON {"step": ..., "reason": ...}; NULL: selected
  run_id       INTEGER REFERENCES runs(id),
  PRIMARY KEY (name, issue_id)
);
)sql";

// Version 5: incidents — related failure reports aggregated into one (`firstmile aggregate`).
constexpr const char* kVersion5 = R"sql(
-- One aggregation run under a name (default 'default'); re-running a name replaces it.
CREATE TABLE aggregations (
  name        TEXT PRIMARY KEY,
  source      TEXT,                      -- annotation source whose labels were used ('' = none)
  window_days REAL NOT NULL,
  route       TEXT NOT NULL,             -- 'rules', 'hybrid', 'llm'
  threshold   REAL,
  run_id      INTEGER REFERENCES runs(id),
  created_at  TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '{}' -- JSON: reports, candidate pairs, links, LLM use
);
-- An incident: reports linked into one connected group (two or more reports).
CREATE TABLE incidents (
  id           INTEGER PRIMARY KEY,
  aggregation  TEXT NOT NULL REFERENCES aggregations(name) ON DELETE CASCADE,
  number       INTEGER NOT NULL,         -- 1, 2, ... by size, then first report
  title        TEXT NOT NULL,            -- one line: what the reports share
  size         INTEGER NOT NULL,
  first_at     TEXT,
  last_at      TEXT,
  repositories TEXT NOT NULL,            -- JSON array of OWNER/NAME
  signature    TEXT,                     -- dominant normalised error signature
  root_cause   TEXT,                     -- dominant root-cause node id among the members' labels
  UNIQUE (aggregation, number)
);
CREATE TABLE incident_members (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  issue_id    INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  PRIMARY KEY (incident_id, issue_id)
);
CREATE INDEX incident_members_issue ON incident_members(issue_id);
-- Candidate pairs that were linked or that the LLM decided, for audit: the score, who decided and why.
CREATE TABLE incident_links (
  aggregation TEXT NOT NULL REFERENCES aggregations(name) ON DELETE CASCADE,
  issue_a     INTEGER NOT NULL,
  issue_b     INTEGER NOT NULL,
  score       REAL NOT NULL,
  decided_by  TEXT NOT NULL,             -- 'score' or 'llm'
  linked      INTEGER NOT NULL,
  evidence    TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (aggregation, issue_a, issue_b)
);
)sql";

// Version 6: the reactions GitHub counts on issues and comments (how many users a report hit).
constexpr const char* kVersion6 = R"sql(
-- JSON {"+1":3,"-1":0,"laugh":0,"hooray":0,"confused":0,"heart":0,"rocket":0,"eyes":1,"total_count":4};
-- NULL when the source did not carry them (rows mined before version 6, exports without them).
ALTER TABLE issues ADD COLUMN reactions TEXT;
ALTER TABLE issues ADD COLUMN reactions_total INTEGER;   -- total_count, for sums without json_extract
ALTER TABLE comments ADD COLUMN reactions TEXT;
ALTER TABLE comments ADD COLUMN reactions_total INTEGER;
)sql";

// Version 7: the repository-wide issue events listing (closings with their commit, labels,
// renames, 'marked as duplicate', references from commits): 100 events a request for a whole
// repository, where timeline_events costs a request per issue (kept for cross-references).
constexpr const char* kVersion7 = R"sql(
-- One event of GET /repos/OWNER/NAME/issues/events, kept by GitHub's id: a later listing of the
-- same event updates the row in place.
CREATE TABLE issue_events (
  github_id  INTEGER PRIMARY KEY,
  issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  event      TEXT NOT NULL,               -- 'closed', 'labeled', 'renamed', 'marked_as_duplicate', ...
  actor      TEXT,
  created_at TEXT,
  commit_id  TEXT,                        -- closing or referencing commit
  detail     TEXT NOT NULL DEFAULT '{}'   -- JSON: label, rename, state_reason, ... (no issue, no user objects)
);
CREATE INDEX issue_events_issue ON issue_events(issue_id);
CREATE INDEX issue_events_event ON issue_events(event);
)sql";

// Version 8: embeddings of report texts from an OpenAI-compatible /v1/embeddings endpoint
// (`aggregate --embed-url`), kept so that a text is embedded once per model.
constexpr const char* kVersion8 = R"sql(
-- The key is the model and the SHA-256 of the text, never the text itself. `vector` holds
-- `dimension` float32 values, little-endian, L2-normalised (4 bytes a value: 6 KB for 1536).
CREATE TABLE embedding_cache (
  model      TEXT NOT NULL,
  text_hash  TEXT NOT NULL,                -- sha256 hex of the UTF-8 text sent
  dimension  INTEGER NOT NULL,
  vector     BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
)sql";

constexpr const char* kMigrations[] = {kVersion1, kVersion2, kVersion3, kVersion4,
                                       kVersion5, kVersion6, kVersion7, kVersion8};

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
