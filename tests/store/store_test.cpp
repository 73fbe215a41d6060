// Tests of store/store.cpp and store/schema.h on real SQLite files: opening, migrating, runs.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using firstmile::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("opening a new database creates the schema at the current version with WAL") {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  CHECK(schema_version(store.db()) == kSchemaVersion);
  Query s = store.db().query("PRAGMA journal_mode");
  REQUIRE(s.step());
  CHECK(s.column_text(0) == "wal");
  CHECK(store.db().query_int("PRAGMA foreign_keys") == 1);
}

TEST_CASE("reopening a database keeps its rows and does not migrate twice") {
  TempDir dir;
  {
    Store store = Store::open(dir / "t.db");
    store.upsert_repository({"QwenLM", "Qwen", "Qwen", "Qwen", "Dense"});
  }
  Store again = Store::open(dir / "t.db");
  CHECK(again.db().query_int("SELECT count(*) FROM repositories") == 1);
}

TEST_CASE("a database written by a newer firstmile is refused") {
  TempDir dir;
  {
    Store store = Store::open(dir / "t.db");
    store.db().exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH_AS(Store::open(dir / "t.db"), doctest::Contains("schema version 99 is newer"), Error);
}

TEST_CASE("a read-only open of a missing database says so") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(Store::open(dir / "missing.db", Database::kReadOnly), doctest::Contains("no such database"),
                       Error);
}

TEST_CASE("a transaction that is not committed leaves the database as it was") {
  Store store = Store::open_memory();
  {
    Transaction tx(store.db());
    store.upsert_repository({"o", "r", "", "", ""});
  }
  CHECK(store.db().query_int("SELECT count(*) FROM repositories") == 0);
}

TEST_CASE("runs record the command with secret flag values redacted") {
  Store store = Store::open_memory();
  int64_t run =
      store.begin_run("mine", {"mine", "--token", "ghp_secret", "--llm-api-key=sk-123", "--db", "x.db"}, nullptr);
  store.finish_run(run, "ok", "{}");
  Query s = store.db().query("SELECT argv, status, finished_at IS NOT NULL FROM runs WHERE id = ?");
  s.bind(1, run);
  REQUIRE(s.step());
  std::string argv = s.column_text(0);
  CHECK(argv.find("ghp_secret") == std::string::npos);
  CHECK(argv.find("sk-123") == std::string::npos);
  CHECK(argv.find("x.db") != std::string::npos);
  CHECK(s.column_text(1) == "ok");
  CHECK(s.column_int(2) == 1);
}

TEST_CASE("a failed command removes the database it created, and only that") {
  TempDir dir;
  const fs::path fresh = dir / "fresh.db", old = dir / "old.db", kept = dir / "kept.db";
  Store::open(old);
  auto fail_with = [](const fs::path& path) {
    RemoveNewDatabaseOnFailure undo(path);
    Store store = Store::open(path);
    throw Error("refused");
  };
  CHECK_THROWS_AS(fail_with(fresh), Error);
  CHECK_FALSE(fs::exists(fresh));
  CHECK_FALSE(fs::exists(dir / "fresh.db-wal"));
  CHECK_THROWS_AS(fail_with(old), Error);
  CHECK(fs::exists(old));  // it was there before
  {
    RemoveNewDatabaseOnFailure undo(kept);
    Store store = Store::open(kept);
  }
  CHECK(fs::exists(kept));  // no failure
}
