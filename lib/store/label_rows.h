// store/label_rows.h — annotations read back: for comparison, calibration, sampling and explaining.
//
//   for_each_label_of_source(store, "gold:open-llm-failures", [&](const LabelRow& r) { ... });
//   std::vector<LabelRow> all = labels_of_issue(store, issue_id);     // every source's, for explain
//   std::map<int64_t, bool> failure = issues_labelled_by(store, {"gold"});
//   std::vector<LabelRow> firsts = first_failure_labels(store, "open-llm-failures");
//
// Node ids come back as stored (empty when not set); placing them in a taxonomy is the
// reader's job (labels/source_labels.h). The tables are in docs/schema.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;

struct LabelRow {
  int64_t issue_id = 0;
  int failure_index = 1;
  std::string source;
  std::string repository;  // "owner/name"
  int64_t number = 0;
  std::string url;
  std::optional<int> is_failure;
  std::string taxonomy;
  std::string stage, symptom, root_cause;  // node ids; "" when not set
  std::optional<double> confidence;
  bool needs_review = false;
  std::string evidence;  // JSON; "{}" when none
};

// Every annotation of `source` (exact name), streamed: a source may hold a million.
void for_each_label_of_source(Store& store, const std::string& source,
                              const std::function<void(const LabelRow&)>& visit);

// The issue's annotations from every source, by source and failure index.
std::vector<LabelRow> labels_of_issue(Store& store, int64_t issue_id);

// The issues annotated by a source some selector matches (source_matches), each with whether
// one of those annotations says failure; an unknown is_failure counts as one, as gold datasets
// hold failures only and may leave it unknown. Empty when no source matches.
std::map<int64_t, bool> issues_labelled_by(Store& store, const std::vector<std::string>& selectors);

// The first failure of every issue with text labelled under `taxonomy` and not marked as no
// failure, by issue; each source's (filter them with source_matches).
std::vector<LabelRow> first_failure_labels(Store& store, const std::string& taxonomy);

}  // namespace firstmile
