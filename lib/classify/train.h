// classify/train.h — `firstmile train`: the text model learnt from labelled reports.
//
//   TrainReport r = train_text_model(store, taxonomy, rules, {.gold = "gold"});
//   write_file_atomically("taxonomy/rules/text_model.json", text_model_file(r.model));
//   print_trained(r, "taxonomy/rules/text_model.json", std::cerr);
//
// Every issue with text labelled by the source (first failure, as calibrate reads them) becomes
// a training example: its tokens, the rules that fire on it, and its top-level stage, symptom
// and root cause (classify/text_model.h). Written into the rules directory, the model is one
// more rule file: classify, calibrate and explain use it, and the rules' hash (provenance of
// every label) covers it. Whether it helps is for `firstmile calibrate --folds K` to say: it
// retrains the model without each fold it scores.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "classify/text_model.h"

namespace firstmile {

class Store;
class Taxonomy;
class RuleSet;

struct TrainOptions {
  std::string gold = "gold";  // selector of the labelled source
  std::string except{};       // selector of a source whose issues are left out ("" none)
  TextModelOptions model{};
};

struct TrainReport {
  TextModel model;
  int64_t issues = 0;
};

// Throws Error when the source labels no issue with text.
TrainReport train_text_model(Store& store, const Taxonomy& taxonomy, const RuleSet& rules, const TrainOptions& options);

// What `firstmile train` says: the examples, and per dimension the classes and vocabulary.
void print_trained(const TrainReport& report, const std::string& path, std::ostream& out);

}  // namespace firstmile
