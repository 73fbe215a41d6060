// Tests of store/issues.cpp: repositories and their aliases, issues and comments.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using firstmile::testing::TempDir;

TEST_CASE("a repository is found by its name, case-insensitively, and by its aliases") {
  Store store = Store::open_memory();
  int64_t id = store.upsert_repository({"QwenLM", "Qwen2.5", "Qwen", "Qwen2.5", "Mixed"});
  store.add_repository_alias(id, "QwenLM", "Qwen3", "renamed");
  CHECK(store.find_repository("qwenlm", "qwen2.5") == id);
  CHECK(store.find_repository("QwenLM", "Qwen3") == id);
  CHECK_FALSE(store.find_repository("QwenLM", "Qwen4").has_value());
  // Upserting under the alias updates the same repository.
  CHECK(store.upsert_repository({"QwenLM", "Qwen3", "", "", ""}) == id);
  CHECK(store.db().query_int("SELECT count(*) FROM repositories") == 1);
}

TEST_CASE("an alias already taken by another repository is refused") {
  Store store = Store::open_memory();
  int64_t a = store.upsert_repository({"o", "a", "", "", ""});
  store.upsert_repository({"o", "b", "", "", ""});
  CHECK_THROWS_AS(store.add_repository_alias(a, "o", "b", "renamed"), Error);
}

TEST_CASE("upserting a repository keeps fields the caller leaves empty") {
  Store store = Store::open_memory();
  int64_t id = store.upsert_repository({"meta-llama", "llama3", "Llama", "llama3", "Dense"});
  store.upsert_repository({"meta-llama", "llama3", "", "", ""});
  Query s = store.db().query("SELECT series, model, architecture FROM repositories WHERE id = ?");
  s.bind(1, id);
  REQUIRE(s.step());
  CHECK(s.column_text(0) == "Llama");
  CHECK(s.column_text(1) == "llama3");
  CHECK(s.column_text(2) == "Dense");
}

TEST_CASE("ensure_issue returns the same issue for the same repository and number") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t a = store.ensure_issue(repo, 5, "https://github.com/o/r/issues/5");
  CHECK(store.ensure_issue(repo, 5, "https://github.com/o/r/issues/5") == a);
  CHECK(store.ensure_issue(repo, 6, "https://github.com/o/r/issues/6") != a);
}

TEST_CASE("find_issue finds an issue by repository id, by name or alias, and not an unknown one") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"QwenLM", "Qwen2.5", "Qwen", "", ""});
  store.add_repository_alias(repo, "QwenLM", "Qwen2", "renamed");
  int64_t issue = store.ensure_issue(repo, 306, "https://github.com/QwenLM/Qwen2.5/issues/306");
  CHECK(store.find_issue(repo, 306) == issue);
  CHECK(store.find_issue("QwenLM", "Qwen2", 306) == issue);
  CHECK(store.find_issue(repo, 307) == std::nullopt);
  CHECK(store.find_issue("QwenLM", "Qwen3", 306) == std::nullopt);
}

TEST_CASE("issue_text gives title, body and comments oldest first, and nothing for a placeholder") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  int64_t placeholder = store.ensure_issue(repo, 1, "https://github.com/o/r/issues/1");
  CHECK_FALSE(store.issue_text(placeholder).has_value());
  IssueData d;
  d.repository_id = repo;
  d.number = 2;
  d.title = "CUDA out of memory";
  d.url = "https://github.com/o/r/issues/2";
  int64_t id = store.upsert_issue(d).first;
  for (auto [github_id, body, at] :
       {std::tuple{11, "second", "2024-05-02T00:00:00Z"}, {10, "first", "2024-05-01T00:00:00Z"}}) {
    CommentData c;
    c.github_id = github_id;
    c.body = body;
    c.created_at = at;
    store.upsert_comment(id, c);
  }
  std::optional<IssueText> t = store.issue_text(id);
  REQUIRE(t.has_value());
  CHECK(t->title == "CUDA out of memory");
  CHECK(t->body.empty());
  CHECK(t->url == "https://github.com/o/r/issues/2");
  CHECK(t->comments == std::vector<std::string>{"first", "second"});
}

TEST_CASE("an issue's and a comment's reactions are stored as JSON and a total, and a change updates the row") {
  Store store = Store::open_memory();
  int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
  IssueData issue;
  issue.repository_id = repo;
  issue.number = 1;
  issue.title = "t";
  issue.updated_at = "2024-05-01T10:00:00Z";
  issue.url = "https://github.com/o/r/issues/1";
  auto [id, inserted] = store.upsert_issue(issue);
  CHECK(inserted == UpsertResult::kInserted);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE reactions IS NULL AND reactions_total IS NULL") == 1);
  issue.reactions = Reactions{};
  issue.reactions->counts[0] = 4;  // +1
  issue.reactions->total = 4;
  CHECK(store.upsert_issue(issue).second == UpsertResult::kUpdated);  // same updated_at, new reactions
  CHECK(store.upsert_issue(issue).second == UpsertResult::kUnchanged);
  CHECK(store.db().query_int("SELECT reactions_total FROM issues") == 4);
  CHECK(store.db().query_int("SELECT json_extract(reactions, '$.\"+1\"') FROM issues") == 4);
  CommentData c;
  c.github_id = 77;
  c.reactions = Reactions{};
  c.reactions->counts[5] = 2;  // heart
  c.reactions->total = 2;
  CHECK(store.upsert_comment(id, c) == UpsertResult::kInserted);
  c.reactions->counts[5] = 3;
  c.reactions->total = 3;
  CHECK(store.upsert_comment(id, c) == UpsertResult::kUpdated);
  CHECK(store.db().query_int("SELECT json_extract(reactions, '$.heart') + reactions_total FROM comments") == 6);
}

TEST_CASE("a version 5 database migrates: its issues and comments gain reactions columns, unknown (NULL)") {
  TempDir dir;
  {
    // A version 5 file: today's schema without the columns version 6 added and the tables of 7 and 8.
    Store store = Store::open(dir / "old.db");
    for (const char* sql :
         {"ALTER TABLE issues DROP COLUMN reactions", "ALTER TABLE issues DROP COLUMN reactions_total",
          "ALTER TABLE comments DROP COLUMN reactions", "ALTER TABLE comments DROP COLUMN reactions_total",
          "DROP TABLE issue_events", "DROP TABLE embedding_cache", "PRAGMA user_version = 5"}) {
      store.db().exec(sql);
    }
    int64_t repo = store.upsert_repository({"o", "r", "", "", ""});
    store.db().exec("INSERT INTO issues (repository_id, number, title, url) VALUES (" + std::to_string(repo) +
                    ", 1, 'old', 'https://github.com/o/r/issues/1')");
  }
  Store store = Store::open(dir / "old.db");
  CHECK(schema_version(store.db()) == kSchemaVersion);
  CHECK(store.db().query_int("SELECT count(*) FROM issues WHERE title = 'old' AND reactions IS NULL") == 1);
  CHECK(store.db().query_int("SELECT count(*) FROM pragma_table_info('comments') WHERE name = 'reactions_total'") ==
        1);
}
