// store/schema.h — the database schema and its versioned migrations.
//
//   migrate(db);   // brings PRAGMA user_version up to kSchemaVersion, one transaction per step
//
// Migrations are append-only: a released step is never edited, a change is a new step.
// The tables are documented for users in docs/schema.md.
#pragma once

namespace firstmile {

class Database;

inline constexpr int kSchemaVersion = 8;

int schema_version(Database& db);
// Throws Error when the file was written by a newer firstmile.
void migrate(Database& db);

}  // namespace firstmile
