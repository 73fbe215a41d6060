// store/database.h — a thin RAII layer over SQLite: connections, queries, transactions.
//
//   Database db = Database::open("firstmile.db", Database::kCreate);
//   Query q = db.query("SELECT count(*) FROM issues WHERE repository_id = ? AND state = ?");
//   q.bind_all(repo_id, "open");   // or q.bind(1, repo_id).bind(2, "open")
//   if (q.step()) count = q.column_int(0);
//   // leaving the scope resets q and hands its statement back to the connection
//
//   Transaction tx(db);       // BEGIN IMMEDIATE
//   ...                       // throws -> rolled back
//   tx.commit();
//
// Compiled statements are cached per connection by their SQL text, so a loop that asks for
// the same query reuses one compiled statement. A Query checks its statement out of the cache
// for its scope: a callee that asks for the same SQL while the caller's Query is open gets a
// statement of its own, never the caller's (whose cursor it would reset). Binding again after
// stepping starts the statement over with fresh bindings, so a loop reuses one Query without
// resetting it by hand. Errors throw firstmile::Error with SQLite's message and the database
// path. Only lib/store/ speaks SQL; everything else calls the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace firstmile {

// One compiled statement; owned by the connection's cache or by the Query using it.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, int64_t value);
  void bind(int index, double value);
  void bind(int index, std::string_view value);
  void bind_blob(int index, std::string_view bytes);
  void bind_null(int index);
  bool step();
  void reset();  // also clears bindings

  bool column_is_null(int column) const;
  int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string_view column_view(int column) const;
  std::string_view column_blob(int column) const;
  // The result's shape, known once prepared: how many columns, their names, and the type of
  // a column's value in the current row (SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, ...).
  int column_count() const;
  std::string column_name(int column) const;
  int column_type(int column) const;

 private:
  void restart_if_stepped();
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool stepped_ = false;  // stepped since the last reset
};

// A statement checked out of the connection's cache for one scope (see the top of this file).
class Query {
 public:
  using Pool = std::vector<std::unique_ptr<Statement>>;
  Query(std::unique_ptr<Statement> statement, Pool* home) : statement_(std::move(statement)), home_(home) {}
  Query(Query&& other) noexcept = default;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  ~Query();

  // Parameters are 1-based, as in SQLite. An empty optional binds NULL. The first bind after a
  // step starts the statement over: cursor reset, every earlier binding cleared.
  Query& bind(int index, int64_t value) { return statement_->bind(index, value), *this; }
  Query& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Query& bind(int index, double value) { return statement_->bind(index, value), *this; }
  Query& bind(int index, std::string_view value) { return statement_->bind(index, value), *this; }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind_null(int index) { return statement_->bind_null(index), *this; }
  // Bytes stored as a BLOB (a text bind would store them as TEXT).
  Query& bind_blob(int index, std::string_view bytes) { return statement_->bind_blob(index, bytes), *this; }
  template <typename T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  // The values bound to parameters 1, 2, 3, ... in order: query(sql).bind_all(a, b, c).run().
  template <typename... Values>
  Query& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // Runs one step: true while a row is available, false when done.
  bool step() { return statement_->step(); }
  // Steps to completion (for INSERT/UPDATE/DELETE) and starts over, bindings cleared.
  void run();
  // Column 0 of the first row, or nullopt when there is none (or it is NULL); then starts over.
  // For look-ups of one value, and for INSERT ... RETURNING (which must run to its end before a
  // commit).
  std::optional<int64_t> first_int();

  bool column_is_null(int column) const { return statement_->column_is_null(column); }
  int64_t column_int(int column) const { return statement_->column_int(column); }
  double column_double(int column) const { return statement_->column_double(column); }
  std::string column_text(int column) const { return std::string(column_view(column)); }  // "" for NULL
  // The text without a copy; valid until the next step() or bind().
  std::string_view column_view(int column) const { return statement_->column_view(column); }
  // A BLOB's bytes without a copy ("" for NULL); valid as long as column_view's.
  std::string_view column_blob(int column) const { return statement_->column_blob(column); }
  std::optional<std::string> column_optional_text(int column) const;
  std::optional<int64_t> column_optional_int(int column) const;
  int column_count() const { return statement_->column_count(); }
  std::string column_name(int column) const { return statement_->column_name(column); }
  int column_type(int column) const { return statement_->column_type(column); }

 private:
  std::unique_ptr<Statement> statement_;
  Pool* home_;  // the cache's idle statements of this SQL, where the statement goes back
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
  Query query(const std::string& sql);
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
  // Idle compiled statements by SQL text. Values are node-based, so a Query's pointer to its
  // pool stays valid while the map grows (and when the Database is moved).
  std::unordered_map<std::string, Query::Pool> cache_;
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
