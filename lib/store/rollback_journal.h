// store/rollback_journal.h — for one long import transaction, a rollback journal instead of
// the WAL.
//
//   RollbackJournalForImport journal(store);   // before the transaction, and outliving it
//   Transaction tx(store.db());
//   ...millions of rows...
//   tx.commit();
//   // leaving the scope restores WAL mode and synchronous = NORMAL
//
// Pages the transaction adds to the file (most of them, for an import into a new or growing
// database) need no journal copy and are written once, where in WAL mode each is written to
// the WAL and then copied again into the database by the checkpoint that follows the commit
// (about 0.25 s of kernel time per GB of GH Archive events). Atomicity stays: a rollback
// journal is all-or-nothing too, with synchronous = FULL so that it also holds across a power
// loss. The cost: other processes reading the database while the import runs may see
// "database is locked" once the import spills pages, instead of the snapshot before it.
//
// The journal mode is switched only when nothing else holds the database (SQLite refuses
// otherwise, and the import then runs in WAL mode as before), and only from WAL mode (an
// in-memory database keeps its own).
#pragma once

#include <string>

namespace firstmile {

class Store;

class RollbackJournalForImport {
 public:
  explicit RollbackJournalForImport(Store& store);
  ~RollbackJournalForImport();
  RollbackJournalForImport(const RollbackJournalForImport&) = delete;
  RollbackJournalForImport& operator=(const RollbackJournalForImport&) = delete;

  bool switched() const { return switched_; }

 private:
  std::string journal_mode(const std::string& sql);

  Store& store_;
  bool switched_ = false;
};

}  // namespace firstmile
