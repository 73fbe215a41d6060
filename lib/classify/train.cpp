// classify/train.cpp — labelled issues in, naive Bayes counts out.
#include "classify/train.h"

#include "base/error.h"
#include "classify/labelled_issues.h"
#include "labels/source_labels.h"
#include "store/store.h"

namespace firstmile {

TrainReport train_text_model(Store& store, const Taxonomy& taxonomy, const RuleSet& rules, const TrainOptions& options) {
  const TextModelOptions& o = options.model;
  if (o.alpha <= 0) throw Error("train: --alpha must be > 0");
  if (o.temperature <= 0) throw Error("train: --temperature must be > 0");
  if (o.weight < 0) throw Error("train: --weight must be >= 0");
  if (o.min_documents < 1) throw Error("train: --min-documents must be at least 1");
  const std::string gold = resolve_source(store, options.gold);
  std::string except;
  if (!options.except.empty()) {
    except = resolve_source(store, options.except);
    if (except == gold) throw Error("train: --except names the labelled source itself (" + gold + ")");
  }
  std::vector<LabelledIssue> issues = labelled_issues(store, taxonomy, {.gold = gold, .except = except}, "train");
  std::vector<TrainingExample> examples;
  for (const LabelledIssue& issue : issues) examples.push_back(training_example(issue, rules, taxonomy));
  std::string from = gold + " (" + std::to_string(issues.size()) + " issues with text" +
                     (except.empty() ? "" : ", the issues of " + except + " left out") + ")";
  return {TextModel::train(examples, taxonomy, o, from), static_cast<int64_t>(issues.size())};
}

void print_trained(const TrainReport& r, const std::string& path, std::ostream& out) {
  out << "Trained on " << r.model.learnt_from() << "; wrote " << path << "\n";
  for (const TextModel::Dimension& d : r.model.dimensions()) {
    out << "  " << d.name << ": " << d.counts.size() << " tokens; labelled reports per class:";
    for (size_t c = 0; c < d.classes.size(); ++c) out << (c ? ", " : " ") << d.classes[c] << " " << d.documents[c];
    out << "\n";
  }
}

}  // namespace firstmile
