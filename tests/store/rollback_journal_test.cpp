// Tests of store/rollback_journal.h on real SQLite files.
#include <doctest/doctest.h>

#include "store/rollback_journal.h"
#include "store/store.h"
#include "support/files.h"

using namespace firstmile;
using firstmile::testing::TempDir;

namespace {
std::string journal_mode(Store& store) {
  Query q = store.db().query("PRAGMA journal_mode");
  return q.step() ? q.column_text(0) : "";
}
}  // namespace

TEST_CASE("an import runs with a rollback journal and full syncs, and WAL mode comes back after it") {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  {
    RollbackJournalForImport journal(store);
    CHECK(journal.switched());
    CHECK(journal_mode(store) == "delete");
    CHECK(store.db().query_int("PRAGMA synchronous") == 2);  // FULL
  }
  CHECK(journal_mode(store) == "wal");
  CHECK(store.db().query_int("PRAGMA synchronous") == 1);  // NORMAL
}

TEST_CASE("the journal stays as it is when another connection holds the database, and in memory") {
  TempDir dir;
  Store store = Store::open(dir / "t.db");
  Store reader = Store::open(dir / "t.db");
  Query open_read = reader.db().query("SELECT count(*) FROM issues");
  REQUIRE(open_read.step());  // a read in progress keeps the WAL in use
  {
    RollbackJournalForImport journal(store);
    CHECK_FALSE(journal.switched());
    CHECK(journal_mode(store) == "wal");
  }
  Store memory = Store::open_memory();
  RollbackJournalForImport journal(memory);
  CHECK_FALSE(journal.switched());
  CHECK(journal_mode(memory) == "memory");
}
