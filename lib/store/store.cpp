// store/store.cpp — opening the store, runs, and the taxonomies labels were made with.
#include "store/store.h"

#include <exception>
#include <system_error>
#include <utility>

#include "base/clock.h"
#include "base/error.h"
#include "base/redact.h"
#include "base/version.h"
#include "store/schema.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

RemoveNewDatabaseOnFailure::RemoveNewDatabaseOnFailure(std::filesystem::path path)
    : path_(std::move(path)), existed_(std::filesystem::exists(path_)), exceptions_(std::uncaught_exceptions()) {}

RemoveNewDatabaseOnFailure::~RemoveNewDatabaseOnFailure() {
  if (existed_ || std::uncaught_exceptions() <= exceptions_) return;
  std::error_code ignored;  // a destructor does not throw; what cannot be removed stays
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(std::filesystem::path(path_.string() + suffix), ignored);
  }
}

Store Store::open(const std::filesystem::path& path, Database::Mode mode) {
  Database db = Database::open(path, mode);
  if (mode == Database::kReadOnly) {
    int version = schema_version(db);
    if (version != kSchemaVersion) {
      throw Error(path.string() + ": schema version " + std::to_string(version) + ", expected " +
                  std::to_string(kSchemaVersion) + (version == 0 ? " (not a firstmile database?)" : ""));
    }
  } else {
    migrate(db);
  }
  return Store(std::move(db));
}

Store Store::open_memory() {
  Database db = Database::open_memory();
  migrate(db);
  return Store(std::move(db));
}

int64_t Store::begin_run(const std::string& command, const std::vector<std::string>& argv, const Taxonomy* taxonomy) {
  Query s = db_.query(
      "INSERT INTO runs (command, argv, tool_version, taxonomy, taxonomy_hash, started_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, command).bind(2, redacted_argv_json(argv)).bind(3, kToolVersion);
  if (taxonomy) {
    s.bind(4, taxonomy->id()).bind(5, taxonomy->hash());
  }
  s.bind(6, utc_now_iso8601());
  s.run();
  return db_.last_insert_rowid();
}

void Store::finish_run(int64_t run_id, const std::string& status, const std::string& summary_json) {
  db_.query("UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?")
      .bind_all(utc_now_iso8601(), status, redact_secrets(summary_json), run_id)
      .run();
}

void Store::save_taxonomy(const Taxonomy& taxonomy) {
  db_.query("DELETE FROM taxonomy_nodes WHERE taxonomy = ?").bind(1, taxonomy.id()).run();
  db_.query(
         "INSERT INTO taxonomies (id, version, title, hash, origin, content) VALUES (?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title, "
         "hash = excluded.hash, origin = excluded.origin, content = excluded.content")
      .bind_all(taxonomy.id(), taxonomy.version(), taxonomy.title(), taxonomy.hash(), taxonomy.origin(),
                taxonomy.content())
      .run();
  Query insert = db_.query(
      "INSERT INTO taxonomy_nodes (taxonomy, id, dimension, parent, name, path, level, definition) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const TaxonomyNode& n : taxonomy.nodes()) {
    insert.bind(1, taxonomy.id()).bind(2, n.id).bind(3, n.dimension);
    if (!n.parent.empty()) insert.bind(4, n.parent);
    insert.bind(5, n.name).bind(6, taxonomy.path_name(n)).bind(7, n.level).bind(8, n.definition);
    insert.run();
  }
}

std::optional<Taxonomy> Store::load_taxonomy(const std::string& id) {
  Query s = db_.query("SELECT content, origin FROM taxonomies WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) {
    return std::nullopt;
  }
  std::string content = s.column_text(0), origin = s.column_text(1);
  return Taxonomy::parse(content, db_.path().string() + ": taxonomy '" + id + "' (from " + origin + ")");
}

}  // namespace firstmile
