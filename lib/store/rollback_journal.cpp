// store/rollback_journal.cpp — PRAGMA journal_mode there and back.
#include "store/rollback_journal.h"

#include "base/error.h"
#include "store/store.h"

namespace firstmile {

RollbackJournalForImport::RollbackJournalForImport(Store& store) : store_(store) {
  try {
    if (journal_mode("PRAGMA journal_mode") != "wal") return;  // in memory, or read as configured
    if (journal_mode("PRAGMA journal_mode = DELETE") != "delete") return;
    switched_ = true;
    store_.db().exec("PRAGMA synchronous = FULL");
  } catch (const Error&) {
    // Busy: stay in WAL mode.
  }
}

RollbackJournalForImport::~RollbackJournalForImport() {
  if (!switched_) return;
  try {
    store_.db().exec("PRAGMA journal_mode = WAL");
    store_.db().exec("PRAGMA synchronous = NORMAL");
  } catch (...) {
    // Every open sets WAL mode again.
  }
}

std::string RollbackJournalForImport::journal_mode(const std::string& sql) {
  Query s = store_.db().query(sql);
  std::string mode = s.step() ? s.column_text(0) : "";
  return mode;
}

}  // namespace firstmile
