-- Adds :n synthetic issues, one annotation each (source gold:synthetic), to a firstmile database
-- that already holds the taxonomy and repositories (e.g. after importing data/sample).
-- Labels are spread over the leaves with a deterministic hash and a built-in association
-- between symptom and root cause, so the tests have something to find.
CREATE TEMP TABLE sym AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM taxonomy_nodes
  WHERE taxonomy = 'open-llm-failures' AND dimension = 'symptom'
    AND id NOT IN (SELECT parent FROM taxonomy_nodes WHERE parent IS NOT NULL);
CREATE TEMP TABLE rc AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM taxonomy_nodes
  WHERE taxonomy = 'open-llm-failures' AND dimension = 'root_cause'
    AND id NOT IN (SELECT parent FROM taxonomy_nodes WHERE parent IS NOT NULL);
CREATE TEMP TABLE st AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM taxonomy_nodes
  WHERE taxonomy = 'open-llm-failures' AND dimension = 'stage';
CREATE TEMP TABLE repos AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM repositories;

WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :n)
INSERT INTO issues (repository_id, number, url, created_at)
SELECT (SELECT id FROM repos WHERE k = n % (SELECT count(*) FROM repos)), 1000000 + n, 'synthetic',
       printf('%04d-%02d-%02dT00:00:00Z', 2023 + n % 3, 1 + n % 12, 1 + n % 28)
FROM seq;

INSERT INTO annotations (issue_id, failure_index, source, taxonomy, is_failure, symptom, root_cause, stage, created_at)
SELECT i.id, 1, 'gold:synthetic', 'open-llm-failures', 1,
       (SELECT id FROM sym WHERE k = (i.id * 2654435761) % (SELECT count(*) FROM sym)),
       (SELECT id FROM rc WHERE k = ((i.id * 2654435761) % (SELECT count(*) FROM sym) * 7
                                     + (i.id * 40503) % 5) % (SELECT count(*) FROM rc)),
       (SELECT id FROM st WHERE k = (CASE WHEN i.id % 5 = 0 THEN 0 ELSE 1 END)),
       '2026-01-01T00:00:00Z'
FROM issues i WHERE i.url = 'synthetic';
