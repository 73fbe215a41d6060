// package/dataset_files.cpp — the published layout, from imported records or from annotations.
#include "package/dataset_files.h"

#include <functional>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/json_file.h"
#include "store/package_tables.h"

namespace firstmile {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

// The columns of a packaged table's row by name.
class Row {
 public:
  Row(const std::vector<std::string>& names, const std::vector<StoredValue>& values) : names_(names), values_(values) {}
  const StoredValue& operator[](const std::string& column) const {
    for (size_t c = 0; c < names_.size(); ++c) {
      if (names_[c] == column) return values_[c];
    }
    static const StoredValue kNull;
    return kNull;
  }
  std::string text(const std::string& column) const { return (*this)[column].text; }

 private:
  const std::vector<std::string>& names_;
  const std::vector<StoredValue>& values_;
};

// Reads every row of `table` through `visit`.
void each_row(Store& store, const std::string& table, const std::function<void(const Row&)>& visit) {
  std::vector<std::string> names;
  read_packaged_table(
      store, table, [&](const std::vector<std::string>& n) { names = n; },
      [&](const std::vector<StoredValue>& values) { visit(Row(names, values)); });
}

std::string dataset_name(const std::string& source) {
  if (source.rfind("gold:", 0) == 0) return source.substr(5);
  std::string name = source;
  for (char& c : name) {
    if (c == ':' || c == '/') c = '-';
  }
  return name;
}

// "Crash / CUDA Error / Out of Memory" as the published files write it: "Crash - CUDA Error - Out of Memory".
std::string published_label(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path.compare(i, 3, " / ") == 0) {
      out += " - ";
      i += 2;
    } else {
      out += path[i];
    }
  }
  return out;
}

ordered_json record(const std::optional<int64_t>& number, const std::string& link, const std::string& status,
                    const std::string& symptom, const std::string& root_cause, const std::string& stage,
                    const std::string& model, const std::string& architecture) {
  ordered_json r = ordered_json::object();
  r["number"] = number ? ordered_json(*number) : ordered_json();
  r["link"] = link;
  r["status"] = status;
  r["SYMPTOM"] = symptom;
  r["ROOT CAUSE"] = root_cause;
  r["STAGE"] = stage;
  r["model"] = model;
  r["architecture"] = architecture;
  return r;
}

}  // namespace

DatasetFiles write_dataset_files(Store& store, const std::string& source, const fs::path& dir) {
  DatasetFiles out;
  out.source = source;
  out.name = dataset_name(source);
  std::map<std::string, ordered_json> files;  // relative path -> records, in order
  each_row(store, "dataset_records", [&](const Row& r) {
    if (r.text("source") != source) return;
    const StoredValue& number = r["number"];
    std::optional<int64_t> n;
    if (number.type == StoredValue::Type::kInteger) n = number.integer;
    files[r.text("file")].push_back(record(n, r.text("link"), r.text("status"), r.text("symptom_label"),
                                           r.text("root_cause_label"), r.text("stage_label"), r.text("model"),
                                           r.text("architecture")));
  });
  out.verbatim = !files.empty();
  if (files.empty()) {
    std::map<std::string, std::pair<std::string, std::string>> model_of;  // repository -> model, architecture
    each_row(store, "repositories",
             [&](const Row& r) { model_of[r.text("repository")] = {r.text("model"), r.text("architecture")}; });
    std::map<std::string, std::string> state_of;  // "repo#number" -> state
    each_row(store, "issues", [&](const Row& r) {
      state_of[r.text("repository") + "#" + std::to_string(r["number"].integer)] = r.text("state");
    });
    each_row(store, "annotations", [&](const Row& r) {
      const StoredValue& is_failure = r["is_failure"];
      const bool not_a_failure = is_failure.type == StoredValue::Type::kInteger && is_failure.integer == 0;
      if (r.text("source") != source || not_a_failure) return;
      std::string symptom = r.text("symptom_path"), cause = r.text("root_cause_path"), stage = r.text("stage_path");
      if (symptom.empty() || cause.empty() || stage.empty()) {
        ++out.left_out;
        return;
      }
      const std::string repository = r.text("repository");
      const int64_t number = r["number"].integer;
      auto [model, architecture] = model_of[repository];
      const std::string owner = repository.substr(0, repository.find('/'));
      const std::string name = repository.substr(repository.find('/') + 1);
      ordered_json& records = files[owner + "/" + (model.empty() ? name : model) + "/" + name + ".json"];
      records.push_back(record(static_cast<int64_t>(records.size() + 1),
                               "https://github.com/" + repository + "/issues/" + std::to_string(number),
                               state_of[repository + "#" + std::to_string(number)], published_label(symptom),
                               published_label(cause), published_label(stage), model, architecture));
    });
  }
  for (const auto& [relative, records] : files) {
    fs::create_directories((dir / relative).parent_path());
    write_file_atomically(dir / relative, json_text(records, 2) + "\n");
    ++out.files;
    out.records += static_cast<int64_t>(records.size());
  }
  return out;
}

}  // namespace firstmile
