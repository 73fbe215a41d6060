// store/database.h — a thin RAII layer over SQLite: connections, prepared statements, transactions.
//
//   Database db = Database::open("firstmile.db", Database::kCreate);
//   Statement& s = db.prepare("SELECT count(*) FROM issues WHERE repository_id = ?");
//   s.bind(1, repo_id);
//   if (s.step()) count = s.column_int(0);
//   s.reset();
//
//   Transaction tx(db);       // BEGIN IMMEDIATE
//   ...                       // throws -> rolled back
//   tx.commit();
//
// Statements are cached per connection by their SQL text, so a loop that calls prepare()
// with the same text reuses one compiled statement. Errors throw firstmile::Error with
// SQLite's message and the database path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace firstmile {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. An empty optional binds NULL.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Runs one step: true while a row is available, false when done.
  bool step();
  // Steps to completion (for INSERT/UPDATE/DELETE) and resets.
  void run();
  void reset();  // also clears bindings

  bool column_is_null(int column) const;
  int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;  // "" for NULL
  // The text without a copy; valid until the next step() or reset().
  std::string_view column_view(int column) const;
  std::optional<std::string> column_optional_text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  enum Mode { kCreate, kMustExist, kReadOnly };
  static Database open(const std::filesystem::path& path, Mode mode);
  // An in-memory database, for tests.
  static Database open_memory();

  Database(Database&&) noexcept;
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement& prepare(const std::string& sql);  // cached
  int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Single-value helpers for small queries.
  int64_t query_int(const std::string& sql);

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// BEGIN IMMEDIATE on construction (takes the write lock at once, so two writers never
// deadlock half-way); ROLLBACK on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace firstmile
