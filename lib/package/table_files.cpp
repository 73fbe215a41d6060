// package/table_files.cpp — one packaged table into a CSV and a JSON Lines file.
#include "package/table_files.h"

#include <fstream>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/redact.h"
#include "package/pseudonyms.h"
#include "store/package_tables.h"
#include "store/store.h"

namespace firstmile {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

// What a column holds, and so what the package does to it.
enum class Role {
  kData,      // as stored
  kPerson,    // a login, name or e-mail: its pseudonym
  kProse,     // free text kept: rewritten, secrets redacted
  kBody,      // the reports' text: rewritten, and only with include_text
  kJson,      // JSON kept as is (a JSON value in JSON Lines)
  kJsonProse  // JSON whose strings are free text: rewritten, redacted
};

const std::map<std::string, Role>& roles() {
  static const std::map<std::string, Role> roles = {
      {"repository_aliases.alias", Role::kData},
      {"issues.author", Role::kPerson},
      {"issues.title", Role::kProse},
      {"issues.body", Role::kBody},
      {"issues.labels", Role::kJson},
      {"comments.author", Role::kPerson},
      {"comments.body", Role::kBody},
      {"annotations.evidence", Role::kJsonProse},
      {"timeline_events.actor", Role::kPerson},
      {"timeline_events.source_url", Role::kProse},
      {"issue_events.actor", Role::kPerson},
      {"issue_events.detail", Role::kJsonProse},
      {"selections.excluded_by", Role::kJsonProse},
      {"aggregations.summary", Role::kJsonProse},
      {"incidents.title", Role::kProse},
      {"incidents.signature", Role::kProse},
      {"incidents.repositories", Role::kJson},
      {"incident_links.evidence", Role::kJsonProse},
      {"commits.author_name", Role::kPerson},
      {"commits.author_email", Role::kPerson},
      {"commits.committer_name", Role::kPerson},
      {"commits.committer_email", Role::kPerson},
      {"commits.message", Role::kBody},
      {"tags.tagger", Role::kPerson},
      {"tags.message", Role::kBody},
      {"calibrations.model", Role::kJson},
      {"runs.argv", Role::kJsonProse},
      {"runs.summary", Role::kJsonProse},
      {"llm_cache.response", Role::kProse},
  };
  return roles;
}

Role role_of(const std::string& table, const std::string& column) {
  auto it = roles().find(table + "." + column);
  return it == roles().end() ? Role::kData : it->second;
}

std::string prose(const Pseudonymizer& p, std::string_view text) { return redact_secrets(p.text(text)); }

// Every string in `value` (keys too) rewritten as prose.
void rewrite_json_strings(ordered_json& value, const Pseudonymizer& p) {
  if (value.is_string()) {
    value = prose(p, value.get_ref<const std::string&>());
  } else if (value.is_array()) {
    for (ordered_json& item : value) rewrite_json_strings(item, p);
  } else if (value.is_object()) {
    ordered_json out = ordered_json::object();
    for (auto& [key, item] : value.items()) {
      rewrite_json_strings(item, p);
      out[prose(p, key)] = std::move(item);
    }
    value = std::move(out);
  }
}

// A CSV file and a JSON Lines file of one table, written row by row.
class TableFiles {
 public:
  TableFiles(const fs::path& dir, const std::string& name) : name_(name) {
    csv_file_.open(dir / (name + ".csv"), std::ios::binary);
    jsonl_file_.open(dir / (name + ".jsonl"), std::ios::binary);
    if (!csv_file_ || !jsonl_file_) throw Error((dir / name).string() + ".{csv,jsonl}: cannot write");
  }

  void header(const std::vector<std::string>& columns) {
    columns_ = columns;
    csv_.row(columns);
  }

  void row(const std::vector<std::string>& cells, const ordered_json& object) {
    csv_.row(cells);
    jsonl_file_ << json_text(object) << "\n";
    ++rows_;
  }

  int64_t finish() {
    csv_file_.close();
    jsonl_file_.close();
    if (!csv_file_ || !jsonl_file_) throw Error(name_ + ": cannot write the table's files");
    return rows_;
  }

 private:
  std::string name_;
  std::ofstream csv_file_, jsonl_file_;
  CsvWriter csv_{csv_file_};
  std::vector<std::string> columns_;
  int64_t rows_ = 0;
};

// Writes `table` into `dir`/`file_name`.{csv,jsonl}; `keep` filters rows by their values.
int64_t write_one(Store& store, const std::string& table, const std::string& file_name, const fs::path& dir,
                  const Pseudonymizer& p, bool include_text,
                  const std::function<bool(const std::vector<std::string>&, const std::vector<StoredValue>&)>& keep) {
  TableFiles files(dir, file_name);
  std::vector<std::string> names;
  std::vector<Role> column_roles;
  std::vector<bool> written;
  read_packaged_table(
      store, table,
      [&](const std::vector<std::string>& columns) {
        names = columns;
        std::vector<std::string> kept;
        for (const std::string& c : columns) {
          column_roles.push_back(role_of(table, c));
          written.push_back(include_text || column_roles.back() != Role::kBody);
          if (written.back()) kept.push_back(c);
        }
        files.header(kept);
      },
      [&](const std::vector<StoredValue>& values) {
        if (keep && !keep(names, values)) return;
        std::vector<std::string> cells;
        ordered_json object = ordered_json::object();
        for (size_t c = 0; c < values.size(); ++c) {
          if (!written[c]) continue;
          const StoredValue& v = values[c];
          ordered_json value;
          std::string cell;
          switch (v.type) {
            case StoredValue::Type::kNull: break;
            case StoredValue::Type::kInteger: value = v.integer, cell = std::to_string(v.integer); break;
            case StoredValue::Type::kReal: value = v.real, cell = value.dump(); break;
            case StoredValue::Type::kText: {
              Role r = column_roles[c];
              if (r == Role::kPerson) {
                cell = p.person(v.text);
              } else if (r == Role::kProse || r == Role::kBody) {
                cell = prose(p, v.text);
              } else {
                cell = v.text;
              }
              value = cell;
              if (r == Role::kJson || r == Role::kJsonProse) {
                ordered_json parsed = ordered_json::parse(v.text, nullptr, false);
                if (!parsed.is_discarded()) {
                  if (r == Role::kJsonProse) rewrite_json_strings(parsed, p);
                  value = std::move(parsed);
                  cell = json_text(value);
                } else if (r == Role::kJsonProse) {
                  cell = prose(p, v.text);
                  value = cell;
                }
              }
              break;
            }
          }
          cells.push_back(std::move(cell));
          object[names[c]] = std::move(value);
        }
        files.row(cells, object);
      });
  return files.finish();
}

}  // namespace

bool source_selected(const std::vector<std::string>& selectors, const std::string& source) {
  if (selectors.empty()) return true;
  for (const std::string& s : selectors) {
    if (source_matches(s, source)) return true;
  }
  return false;
}

std::map<std::string, int64_t> write_table_files(Store& store, const Pseudonymizer& pseudonyms,
                                                 const TableFileOptions& options, const fs::path& dir) {
  static const std::set<std::string> by_source = {"annotations", "dataset_records", "dataset_imports"};
  fs::create_directories(dir);
  std::map<std::string, int64_t> rows;
  for (const std::string& table : packaged_tables()) {
    auto keep = [&](const std::vector<std::string>& names, const std::vector<StoredValue>& values) {
      if (!by_source.count(table)) return true;
      for (size_t c = 0; c < names.size(); ++c) {
        if (names[c] == "source") return source_selected(options.sources, values[c].text);
      }
      return true;
    };
    rows[table] = write_one(store, table, table, dir, pseudonyms, options.include_text, keep);
  }
  return rows;
}

int64_t write_llm_log(Store& store, const Pseudonymizer& pseudonyms, const fs::path& dir) {
  fs::create_directories(dir);
  return write_one(store, "llm_cache", "llm_log", dir, pseudonyms, true, nullptr);
}

}  // namespace firstmile
