// store/package_tables.h — the database read out for a replication package (`firstmile package`).
//
//   for (const std::string& table : packaged_tables()) {
//     read_packaged_table(store, table,
//         [&](const std::vector<std::string>& columns) { ...header... },
//         [&](const std::vector<StoredValue>& row) { ...one row... });
//   }
//   PeopleInStore people = people_in_store(store);   // every login, name and e-mail
//
// Each packaged table is a tidy view of one stored table: rows name their issue by repository
// ("OWNER/NAME") and number, not by row id, so a reader needs no join; rows come in a stable
// order (by their natural key), so the same database gives the same files. Bookkeeping that
// says nothing about the study (http_cache, sync_state, taxonomy_nodes, issue_timelines) is
// left out; local paths (dataset_imports.path) too. Table `llm_cache` is read only on request.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

struct StoredValue {
  enum class Type { kNull, kInteger, kReal, kText };
  Type type = Type::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string text = {};
};

// The packaged tables in the order a reader meets them (repositories first, runs last).
const std::vector<std::string>& packaged_tables();

// Streams the rows of packaged table `table` (one of packaged_tables() or "llm_cache"):
// `header` once with the column names, then `row` per row. Throws Error for another name.
void read_packaged_table(Store& store, const std::string& table,
                         const std::function<void(const std::vector<std::string>&)>& header,
                         const std::function<void(const std::vector<StoredValue>&)>& row);

// The people the database names: GitHub logins (issue and comment authors, timeline actors,
// tag taggers), author and committer names, and e-mail addresses; each sorted, no empties.
struct PeopleInStore {
  std::vector<std::string> logins;
  std::vector<std::string> names;
  std::vector<std::string> emails;
};
PeopleInStore people_in_store(Store& store);

// How current the mined data of a repository is: the server time the last complete pass over
// each listing started (sync_state.since; `mine` only), when issue text last came in by any
// importer (issues.fetched_at), and the newest commit recorded.
struct RepositoryAsOf {
  std::string repository;  // OWNER/NAME
  std::string issues_since, comments_since, text_fetched, newest_commit;  // "" when none
};
std::vector<RepositoryAsOf> repositories_as_of(Store& store);

// The taxonomies labels were made under, as saved (content is the file itself).
struct StoredTaxonomy {
  std::string id, version, hash, content;
};
std::vector<StoredTaxonomy> stored_taxonomies(Store& store);

}  // namespace firstmile
