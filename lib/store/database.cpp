// store/database.cpp — SQLite connections, statements and transactions.
#include "store/database.h"

#include <sqlite3.h>

#include "base/error.h"

namespace firstmile {

namespace {
[[noreturn]] void fail(sqlite3* db, const std::string& context) {
  std::string file = db ? sqlite3_db_filename(db, "main") : "";
  if (file.empty()) file = "database";
  throw Error(file + ": " + context + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}
}  // namespace

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::restart_if_stepped() {
  if (stepped_) reset();
}

void Statement::bind(int index, int64_t value) {
  restart_if_stepped();
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
}

void Statement::bind(int index, double value) {
  restart_if_stepped();
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
}

void Statement::bind(int index, std::string_view value) {
  restart_if_stepped();
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(db_, "bind");
  }
}

void Statement::bind_blob(int index, std::string_view bytes) {
  restart_if_stepped();
  // A zero-length blob is still a blob, not NULL: SQLite wants a non-null pointer for that.
  const char* data = bytes.data() ? bytes.data() : "";
  if (sqlite3_bind_blob(stmt_, index, data, static_cast<int>(bytes.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(db_, "bind");
  }
}

void Statement::bind_null(int index) {
  restart_if_stepped();
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
}

bool Statement::step() {
  stepped_ = true;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_);
  reset();
  fail(db_, "query failed (" + sql.substr(0, 60) + ")");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  stepped_ = false;
}

bool Statement::column_is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string_view Statement::column_view(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string_view Statement::column_blob(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  if (!bytes) return {};
  return {static_cast<const char*>(bytes), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }
std::string Statement::column_name(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name ? name : "";
}
int Statement::column_type(int column) const { return sqlite3_column_type(stmt_, column); }

Query::~Query() {
  if (!statement_) return;  // moved from
  statement_->reset();
  home_->push_back(std::move(statement_));
}

void Query::run() {
  while (step()) {}
  statement_->reset();
}

std::optional<int64_t> Query::first_int() {
  std::optional<int64_t> value;
  if (step()) value = column_optional_int(0);
  statement_->reset();
  return value;
}

std::optional<std::string> Query::column_optional_text(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_text(column);
}

std::optional<int64_t> Query::column_optional_int(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int(column);
}

Database Database::open(const std::filesystem::path& path, Mode mode) {
  if (mode != kCreate && !std::filesystem::exists(path)) {
    throw Error(path.string() + ": no such database (import something first, or pass --db PATH)");
  }
  int flags = mode == kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (mode == kCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw Error(path.string() + ": cannot open database: " + message);
  }
  Database out(db, path);
  // A second writer waits for the first instead of failing at once.
  sqlite3_busy_timeout(db, 10000);
  out.exec("PRAGMA foreign_keys = ON");
  if (mode != kReadOnly) out.exec("PRAGMA journal_mode = WAL");
  out.exec("PRAGMA synchronous = NORMAL");
  return out;
}

Database Database::open_memory() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) fail(db, "cannot open in-memory database");
  Database out(db, ":memory:");
  out.exec("PRAGMA foreign_keys = ON");
  return out;
}

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
}

Database::~Database() {
  cache_.clear();  // statements must be finalised before the connection closes
  if (db_) sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error(path_.string() + ": " + text);
  }
}

Query Database::query(const std::string& sql) {
  Query::Pool& pool = cache_[sql];
  if (!pool.empty()) {
    std::unique_ptr<Statement> idle = std::move(pool.back());
    pool.pop_back();
    return Query(std::move(idle), &pool);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    fail(db_, "cannot prepare (" + sql.substr(0, 60) + ")");
  }
  return Query(std::make_unique<Statement>(db_, stmt), &pool);
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

int64_t Database::query_int(const std::string& sql) {
  Query q = query(sql);
  return q.step() ? q.column_int(0) : 0;
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The transaction may already be gone (e.g. SQLite rolled it back itself).
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace firstmile
