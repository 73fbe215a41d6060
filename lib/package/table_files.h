// package/table_files.h — the database's tables as tidy CSV and JSON Lines, people pseudonymised.
//
//   TableFileOptions o;  o.include_text = true;
//   std::map<std::string, int64_t> rows = write_table_files(store, pseudonyms, o, "pkg/tables");
//   // pkg/tables/issues.csv, pkg/tables/issues.jsonl, ... ; rows["issues"] == 55
//
// Every packaged table (store/package_tables.h) is written, an empty one as a header only, so
// a package always has the same files. Columns naming a person (authors, actors, taggers,
// commit names and e-mails) hold pseudonyms; free text (titles, evidence, run command lines
// and summaries) is rewritten by the Pseudonymizer and passed through the secret redactor;
// report bodies, comment bodies, commit and tag messages are left out unless `include_text`.
// CSV cells hold JSON columns as their JSON text; JSON Lines hold them as JSON values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace firstmile {

class Store;
class Pseudonymizer;

struct TableFileOptions {
  bool include_text = false;
  std::vector<std::string> sources = {};  // annotation source selectors; empty: every source
};

// Rows written per table.
std::map<std::string, int64_t> write_table_files(Store& store, const Pseudonymizer& pseudonyms,
                                                 const TableFileOptions& options, const std::filesystem::path& dir);

// The LLM answers of the cache (table llm_cache) as `dir`/llm_log.csv and .jsonl, answers
// rewritten and redacted; the number of answers.
int64_t write_llm_log(Store& store, const Pseudonymizer& pseudonyms, const std::filesystem::path& dir);

// Whether `source` is kept by the selectors (all when there are none).
bool source_selected(const std::vector<std::string>& selectors, const std::string& source);

}  // namespace firstmile
