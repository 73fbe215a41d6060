// labels/label_sheet.cpp — writing the annotators' sheet and reading their labels back.
#include "labels/label_sheet.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "store/issue_scope.h"
#include "store/label_rows.h"
#include "store/store.h"

namespace firstmile {

namespace {

const std::vector<std::string> kSheetColumns{"repository", "number", "url",     "title",      "body",
                                             "is_failure", "stage",  "symptom", "root_cause", "notes"};
const std::vector<std::string> kLabelDimensions{"stage", "symptom", "root_cause"};

// The first `limit` code points of the text with its white space collapsed.
std::string excerpt(const std::string& body, size_t limit) {
  std::string text = normalize_space(body);
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points++ == limit) return text.substr(0, i) + " ...";
  }
  return text;
}

// Issues with text, not pull requests, by repository and number (so the sample depends on the
// seed and the database's issues, never on rowids); with a filter, only those it labelled.
std::vector<ScopedIssue> sheet_candidates(Store& store, const std::vector<std::string>& source_filter) {
  std::vector<ScopedIssue> issues =
      issues_in_scope(store, {.pull_requests = false, .order = IssueScope::Order::kByRepositoryAndNumber});
  if (source_filter.empty()) return issues;
  std::map<int64_t, bool> labelled = issues_labelled_by(store, source_filter);
  std::erase_if(issues, [&](const ScopedIssue& i) { return !labelled.count(i.id); });
  return issues;
}

void write_legend(const Taxonomy& taxonomy, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error(path.string() + ": cannot write");
  CsvWriter csv(out);
  csv.row({"dimension", "id", "label", "definition"});
  csv.row({"is_failure", "yes", "yes", "The issue reports a failure (also 1 or true)"});
  csv.row({"is_failure", "no", "no", "The issue is not a failure report: leave the labels blank (also 0 or false)"});
  for (const std::string& dimension : kLabelDimensions) {
    for (const TaxonomyNode& n : taxonomy.nodes()) {
      if (n.dimension == dimension) csv.row({dimension, n.id, taxonomy.path_name(n, " - "), n.definition});
    }
  }
  if (!out) throw Error(path.string() + ": write failed");
}

}  // namespace

uint64_t uniform_below(std::mt19937_64& rng, uint64_t bound) {
  if (bound == 0) throw Error("uniform_below: empty range");
  uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
  while (true) {
    uint64_t r = rng();
    if (r >= threshold) return r % bound;
  }
}

std::vector<size_t> sample_indices(size_t population, size_t n, uint64_t seed) {
  std::vector<size_t> index(population);
  for (size_t i = 0; i < population; ++i) index[i] = i;
  std::mt19937_64 rng(seed);
  n = std::min(n, population);
  for (size_t i = 0; i < n; ++i) {
    size_t j = i + static_cast<size_t>(uniform_below(rng, population - i));
    std::swap(index[i], index[j]);
  }
  index.resize(n);
  return index;
}

std::filesystem::path legend_path(const std::filesystem::path& sheet) {
  std::filesystem::path legend = sheet;
  return legend.replace_filename(sheet.stem().string() + ".legend.csv");
}

LabelSheetExport export_label_sheet(Store& store, const Taxonomy& taxonomy, const LabelSheetOptions& options,
                                    const std::filesystem::path& sheet) {
  if (options.sample < 1) throw Error("--sample must be at least 1");
  std::vector<ScopedIssue> candidates = sheet_candidates(store, options.source_filter);
  LabelSheetExport out;
  out.candidates = static_cast<int64_t>(candidates.size());
  out.sheet = sheet;
  out.legend = legend_path(sheet);
  std::ofstream file(sheet, std::ios::binary);
  if (!file) throw Error(sheet.string() + ": cannot write");
  CsvWriter csv(file);
  csv.row(kSheetColumns);
  for (size_t i : sample_indices(candidates.size(), static_cast<size_t>(options.sample), options.seed)) {
    const ScopedIssue& c = candidates[i];
    csv.row({c.owner + "/" + c.name, std::to_string(c.number), c.url, normalize_space(c.title),
             excerpt(c.body, options.excerpt_chars), "", "", "", "", ""});
    ++out.rows;
  }
  if (!file) throw Error(sheet.string() + ": write failed");
  write_legend(taxonomy, out.legend);
  return out;
}

namespace {

// One validated row of a sheet, ready to write.
struct SheetRow {
  int64_t line = 0;
  Annotation annotation;
};

class SheetReader {
 public:
  SheetReader(Store& store, const Taxonomy& taxonomy, const std::filesystem::path& path)
      : store_(store), taxonomy_(taxonomy), origin_(path.string()) {}

  std::vector<SheetRow> read(LabelImport& summary) {
    std::vector<CsvRecord> records = read_csv_file(origin_);
    if (records.empty()) throw Error(origin_ + ": empty (no header row)");
    read_header(records[0]);
    std::vector<SheetRow> rows;
    for (size_t r = 1; r < records.size(); ++r) {
      ++summary.rows;
      if (blank(records[r])) {
        ++summary.skipped;
      } else if (std::optional<SheetRow> row = read_row(records[r])) {
        rows.push_back(std::move(*row));
      }
    }
    if (!errors_.empty()) {
      std::string message = errors_[0].second;
      if (errors_.size() > 1) message += " (and " + std::to_string(errors_.size() - 1) + " more errors)";
      throw Error(message + "; nothing was imported");
    }
    return rows;
  }

 private:
  void read_header(const CsvRecord& header) {
    for (size_t c = 0; c < header.fields.size(); ++c) {
      std::string name = to_lower_ascii(normalize_space(header.fields[c]));
      if (!name.empty() && !column_.emplace(name, c).second) {
        throw Error(origin_ + ": line " + std::to_string(header.line) + ", column " + std::to_string(c + 1) +
                    ": column '" + name + "' appears twice");
      }
    }
    width_ = header.fields.size();
    for (const char* required : {"repository", "number", "is_failure", "stage", "symptom", "root_cause"}) {
      if (!column_.count(required)) {
        throw Error(origin_ + ": line " + std::to_string(header.line) + ": no column '" + required +
                    "' (the header needs repository, number, is_failure, stage, symptom, root_cause)");
      }
    }
  }

  std::string cell(const CsvRecord& r, const std::string& name) const {
    auto c = column_.find(name);
    if (c == column_.end() || c->second >= r.fields.size()) return "";
    return normalize_space(r.fields[c->second]);
  }

  void error(const CsvRecord& r, const std::string& column, const std::string& what) {
    std::string where = origin_ + ": line " + std::to_string(r.line);
    auto c = column_.find(column);
    if (c != column_.end()) where += ", column " + std::to_string(c->second + 1) + " (" + column + ")";
    errors_.emplace_back(r.line, where + ": " + what);
  }

  std::optional<int64_t> positive_integer(const CsvRecord& r, const std::string& column, const std::string& text) {
    size_t used = 0;
    int64_t value = 0;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || value < 1) {
      error(r, column, "'" + text + "' is not a positive whole number");
      return std::nullopt;
    }
    return value;
  }

  const TaxonomyNode* label(const CsvRecord& r, const std::string& dimension, const std::string& text) {
    if (const TaxonomyNode* node = taxonomy_.find(text)) {
      if (node->dimension == dimension) return node;
      error(r, dimension, "'" + text + "' is a " + node->dimension + ", not a " + dimension);
      return nullptr;
    }
    std::string dashed = text;
    for (size_t at; (at = dashed.find(" / ")) != std::string::npos;) dashed.replace(at, 3, " - ");
    LabelMatch m = taxonomy_.match_label(dimension, dashed);
    if (!m.node) error(r, dimension, "unknown " + dimension + " '" + text + "' (the legend lists the labels)");
    return m.node;
  }

  // No label given: the annotator left the row for later.
  bool blank(const CsvRecord& r) const {
    for (const char* column : {"is_failure", "stage", "symptom", "root_cause"}) {
      if (!cell(r, column).empty()) return false;
    }
    return true;
  }

  // The issue a row names, into a.issue_id (0 when it is not known).
  void read_issue(const CsvRecord& r, Annotation& a) {
    std::string repository = cell(r, "repository"), number = cell(r, "number");
    auto slash = repository.find('/');
    std::optional<int64_t> repository_id;
    if (slash == std::string::npos || slash == 0 || slash + 1 == repository.size()) {
      error(r, "repository", "'" + repository + "' is not owner/name");
    } else {
      repository_id = store_.find_repository(repository.substr(0, slash), repository.substr(slash + 1));
      if (!repository_id) error(r, "repository", "unknown repository '" + repository + "'");
    }
    std::optional<int64_t> issue_number = positive_integer(r, "number", number);
    if (repository_id && issue_number) {
      a.issue_id = store_.find_issue(*repository_id, *issue_number).value_or(0);
      if (!a.issue_id) error(r, "number", "unknown issue " + repository + "#" + number);
    }
    std::string index = cell(r, "failure_index");
    if (!index.empty()) {
      if (std::optional<int64_t> i = positive_integer(r, "failure_index", index))
        a.failure_index = static_cast<int>(*i);
    }
  }

  // is_failure and the labels, by id or by label text.
  void read_labels(const CsvRecord& r, Annotation& a) {
    std::string is_failure = to_lower_ascii(cell(r, "is_failure"));
    if (is_failure == "yes" || is_failure == "1" || is_failure == "true") {
      a.is_failure = 1;
    } else if (is_failure == "no" || is_failure == "0" || is_failure == "false") {
      a.is_failure = 0;
    } else if (!is_failure.empty()) {
      error(r, "is_failure", "'" + cell(r, "is_failure") + "' is not yes, no, 1, 0, true or false");
    }
    for (const std::string& d : kLabelDimensions) {
      std::string text = cell(r, d);
      if (text.empty()) continue;
      if (a.is_failure == 0) {
        error(r, d, "a " + d + " for an issue marked is_failure 'no'");
        continue;
      }
      const TaxonomyNode* node = label(r, d, text);
      if (!node) continue;
      bool stage = d == "stage", symptom = d == "symptom";
      (stage ? a.stage : symptom ? a.symptom : a.root_cause) = node->id;
      (stage ? a.stage_label : symptom ? a.symptom_label : a.root_cause_label) = text;
    }
  }

  std::optional<SheetRow> read_row(const CsvRecord& r) {
    size_t errors_before = errors_.size();
    if (r.fields.size() > width_) {
      error(r, "", std::to_string(r.fields.size()) + " fields, the header has " + std::to_string(width_));
      return std::nullopt;
    }
    // Text that is not UTF-8 is named where it is, not stored.
    for (const auto& [name, index] : column_) {
      if (index < r.fields.size() && !valid_utf8(r.fields[index])) error(r, name, "not UTF-8 text");
    }
    if (errors_.size() > errors_before) return std::nullopt;
    SheetRow row;
    row.line = r.line;
    Annotation& a = row.annotation;
    a.taxonomy = taxonomy_.id();
    read_issue(r, a);
    read_labels(r, a);
    if (a.issue_id) {
      auto [seen, fresh] = lines_.emplace(std::make_pair(a.issue_id, a.failure_index), r.line);
      if (!fresh) {
        error(r, "number",
              cell(r, "repository") + "#" + cell(r, "number") + " (failure " + std::to_string(a.failure_index) +
                  ") is already labelled on line " + std::to_string(seen->second));
      }
    }
    nlohmann::json evidence{{"sheet", origin_}, {"line", r.line}};
    if (!cell(r, "notes").empty()) evidence["notes"] = cell(r, "notes");
    a.evidence = json_text(evidence);
    if (errors_.size() != errors_before) return std::nullopt;
    return row;
  }

  Store& store_;
  const Taxonomy& taxonomy_;
  std::string origin_;
  std::map<std::string, size_t> column_;
  size_t width_ = 0;
  std::map<std::pair<int64_t, int>, int64_t> lines_;     // (issue, failure index) -> line
  std::vector<std::pair<int64_t, std::string>> errors_;  // (line, message)
};

}  // namespace

LabelImport import_label_sheet(Store& store, const Taxonomy& taxonomy, const std::filesystem::path& sheet,
                               const LabelImportOptions& options) {
  if (options.name.empty()) throw Error("--as needs an annotator name");
  require_utf8(options.name, "label import --as");
  LabelImport summary;
  summary.source = "manual:" + options.name;
  std::vector<SheetRow> rows = SheetReader(store, taxonomy, sheet).read(summary);

  Transaction tx(store.db());
  summary.run_id = store.begin_run("label import", options.argv, &taxonomy);
  store.save_taxonomy(taxonomy);
  for (SheetRow& row : rows) {
    row.annotation.source = summary.source;
    row.annotation.run_id = summary.run_id;
    store.upsert_annotation(row.annotation);
    ++summary.imported;
  }
  nlohmann::json run_summary{{"sheet", sheet.string()},
                             {"source", summary.source},
                             {"rows", summary.rows},
                             {"imported", summary.imported},
                             {"skipped", summary.skipped}};
  store.finish_run(summary.run_id, "ok", json_text(run_summary));
  tx.commit();
  return summary;
}

void print_label_sheet_export(const LabelSheetExport& x, std::ostream& out) {
  out << "Wrote " << x.rows << " of " << x.candidates << " issues to " << x.sheet.string()
      << " (labels: " << x.legend.string() << ")\n";
}

void print_label_import(const LabelImport& r, std::ostream& out) {
  out << "Imported " << r.imported << " labelled rows as " << r.source << " (" << r.skipped
      << " blank rows skipped; run " << r.run_id << ")\n";
}

}  // namespace firstmile
