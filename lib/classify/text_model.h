// classify/text_model.h — the statistical layer beside the rules: naive Bayes over a report's words.
//
//   std::vector<TrainingExample> examples = ...;            // tokens and top-level gold labels
//   TextModel m = TextModel::train(examples, taxonomy, {.weight = 2});
//   write_file("taxonomy/rules/text_model.json", text_model_file(m));   // what `firstmile train` does
//   auto p = m.posterior("symptom", model_tokens(features, rule_ids));  // {"sym.crash", 0.71}, ...
//
// COLA's "statistics first": what the labelled reports say about words, beside what the rules
// say about patterns. Per dimension (stage, symptom, root cause) a multinomial naive Bayes over
// the top-level classes, with binary counts (a word counts once per report, however often it is
// pasted), Laplace smoothing `alpha`, and a vocabulary of the tokens seen in at least
// `min_documents` reports. The tokens of a report: the words of its title, prose, comments and
// resolution (lower-cased ASCII words, Chinese character pairs), the words and exception names
// of its error lines (prefixed, since "error" in a traceback says something else than in a
// sentence), and the ids of the rules that fired on it.
//
// The classifier adds `weight` x P(class | tokens) to each top-level node's score, so the model
// decides where the rules are silent or split and the rules' clear evidence still wins; the
// posterior is tempered (log-scores divided by `temperature`) because naive Bayes counts
// correlated words as independent evidence and is far more certain than it is right.
//
// A model is data: a rule file with a "text_model" block (counts, not code), hashed with the
// rules, so labels and calibrations record it in their provenance.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "classify/features.h"

namespace firstmile {

class Taxonomy;

struct TextModelOptions {
  double alpha = 0.5;       // Laplace smoothing of word counts
  int min_documents = 2;    // a token seen in fewer reports is left out of the vocabulary
  double weight = 2;        // the score a certain posterior adds to a top-level node
  double temperature = 10;  // log-scores are divided by it before the softmax
  bool rule_tokens = true;  // the ids of the rules that fired are tokens too
  // The dimensions modelled: a dimension where words do worse than the rules on held-out
  // folds is better left to them.
  std::vector<std::string> dimensions = {"stage", "symptom", "root_cause"};
};

// One labelled report: its tokens and its top-level label per dimension ("symptom" -> "sym.crash").
struct TrainingExample {
  std::vector<std::string> tokens;  // sorted, unique
  std::map<std::string, std::string> labels;
};

// The tokens of a report (sorted, without duplicates); `rule_ids`: the rules that fired.
std::vector<std::string> model_tokens(const IssueFeatures& features, const std::vector<std::string>& rule_ids);

class TextModel {
 public:
  // Throws Error when no example has a label of any dimension.
  static TextModel train(const std::vector<TrainingExample>& examples, const Taxonomy& taxonomy,
                         const TextModelOptions& options, std::string learnt_from = "");
  // The "text_model" block of a rule file; throws Error naming `origin` and the field.
  static TextModel from_json(const nlohmann::json& block, const Taxonomy& taxonomy, const std::string& origin);
  nlohmann::json to_json() const;

  // P(class | tokens) per top-level class of `dimension`, in the model's class order; empty
  // when the model has no such dimension.
  std::vector<std::pair<std::string, double>> posterior(const std::string& dimension,
                                                        const std::vector<std::string>& tokens) const;

  const TextModelOptions& options() const { return options_; }
  const std::string& learnt_from() const { return learnt_from_; }
  int examples() const { return examples_; }
  // Per dimension: classes, reports per class, vocabulary size.
  struct Dimension {
    std::string name;
    std::vector<std::string> classes;
    std::vector<int> documents;                              // labelled reports per class
    std::unordered_map<std::string, std::vector<int>> counts;  // token -> reports per class with it
    // Derived at load/train: log P(token | class) per token, and for the log prior.
    std::unordered_map<std::string, std::vector<double>> log_likelihood;
    std::vector<double> log_prior;
  };
  const std::vector<Dimension>& dimensions() const { return dimensions_; }

 private:
  void derive();
  TextModelOptions options_;
  std::string learnt_from_;
  int examples_ = 0;
  std::vector<Dimension> dimensions_;
};

// A rule file holding only the "text_model" block, with a comment saying where it came from.
std::string text_model_file(const TextModel& model);

}  // namespace firstmile
