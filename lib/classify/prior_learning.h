// classify/prior_learning.h — root-cause priors given symptom and stage, counted on labels.
//
//   LearntPriors l = learn_priors(store, taxonomy, {.gold = "gold", .except = "rules"});
//   write_file("taxonomy/rules/priors.json", priors_file(l));   // what `firstmile priors` does
//
// The study's labels say more than "environment problems are the most frequent cause": an
// out-of-memory crash in fine-tuning is most often a configuration problem (batch size,
// sequence length, ZeRO stage), one in inference a hardware limit; a generation hang points to
// distributed inference, invalid probabilities to numerical problems. learn_priors counts
// P(root cause | symptom node, stage) for every symptom node at every level; a cell's
// distribution is smoothed towards its parent's (m-estimate: (count + m * p_parent) / (n + m)),
// and only cells with at least `min_labels` labels are kept, so the classifier backs off from
// a rare leaf to its parent and in the end to the stage alone.
//
// `except` leaves out the issues another source labelled: learn from the published labels of
// everything but the reports being evaluated, so an evaluation never sees its own answers.
#pragma once

#include <ostream>
#include <string>

#include "classify/rules.h"

namespace firstmile {

class Store;
class Taxonomy;

struct PriorLearningOptions {
  std::string gold = "gold";  // selector of the labelled source
  std::string except;         // selector of a source whose issues are left out ("" none)
  int min_labels = 8;         // smallest cell kept
  double smoothing = 5;       // m of the m-estimate
  double weight = 10;         // the score a certain prior would add (written into the file)
};

struct LearntPriors {
  ConditionalPriors priors;
  std::string gold;    // the resolved source
  std::string except;  // the resolved source left out, if any
  int labels = 0;      // labelled failures counted
  int left_out = 0;    // labelled failures left out (their issue is labelled by `except`)
  int min_labels = 0;
  double smoothing = 0;
};

// Throws Error when the source has no usable labels (stage, symptom and root cause all set).
LearntPriors learn_priors(Store& store, const Taxonomy& taxonomy, const PriorLearningOptions& options);

// A rule file holding only the "given" block, with a comment saying where it came from.
std::string priors_file(const LearntPriors& learnt);
// What `firstmile priors -o PATH` says once the file is written: the cells and their source.
void print_priors_written(const LearntPriors& learnt, const std::string& path, std::ostream& out);

}  // namespace firstmile
