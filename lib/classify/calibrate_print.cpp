// classify/calibrate_print.cpp — what `firstmile calibrate` prints: bins, folds, classes, routing.
#include <algorithm>

#include "base/text.h"
#include "base/text_table.h"
#include "classify/calibrate.h"

namespace firstmile {

namespace {

void print_cross_validation(const CrossValidation& cv, std::ostream& out) {
  out << "Cross-validated over " << cv.folds << " folds grouped by " << cv.group_by << " (" << cv.groups
      << (cv.group_by == "issue" ? " issues" : " repositories") << "; folds of ";
  for (size_t i = 0; i < cv.fold_sizes.size(); ++i) out << (i ? ", " : "") << cv.fold_sizes[i];
  out << " issues), each fold scored with bins learnt on the others:\n";
  TextTable t({"dimension", "held-out accuracy", "kappa", "by fold: mean ± sd (min-max)", "confidence promised", "n"});
  for (size_t c = 1; c < 6; ++c) t.align_right(c);
  for (const FoldScores& d : cv.dimensions) {
    auto [low, high] = std::minmax_element(d.accuracy.begin(), d.accuracy.end());
    t.add_row({d.dimension, format_fixed(d.held_out, 3), format_fixed(d.kappa, 3),
               format_fixed(d.mean, 3) + " ± " + format_fixed(d.sd, 3) + " (" + format_fixed(*low, 2) + "-" +
                   format_fixed(*high, 2) + ")",
               format_fixed(d.promised, 3), std::to_string(d.n)});
  }
  t.print(out);
  out << "Held-out recall and precision per top-level class:\n";
  TextTable c({"dimension", "class", "labelled", "predicted", "recall", "precision"});
  for (size_t i = 2; i < 6; ++i) c.align_right(i);
  for (const ClassScores& k : cv.classes) {
    if (k.dimension == "stage") continue;
    c.add_row({k.dimension, k.node, std::to_string(k.gold), std::to_string(k.predicted),
               k.gold ? format_fixed(double(k.right) / double(k.gold), 2) : "-",
               k.predicted ? format_fixed(double(k.right) / double(k.predicted), 2) : "-"});
  }
  c.print(out);
}

}  // namespace

void print_calibration(const CalibrationReport& r, std::ostream& out) {
  out << "Calibrated on " << r.issues << " labelled issues (run " << r.run_id << ")\n";
  TextTable t({"dimension", "top-level accuracy", "margin bins: accuracy"});
  for (const Calibration& c : r.calibrations) {
    std::string bins;
    for (size_t i = 0; i < c.accuracy.size(); ++i) {
      bins += (i ? ", " : "") + std::string("<=") +
              (c.upper_edges[i] > 1e299 ? "inf" : format_fixed(c.upper_edges[i], 2)) + ": " +
              format_fixed(c.accuracy[i], 2) + " (" + std::to_string(c.counts[i]) + ")";
    }
    double acc = 0;
    for (const auto& [d, a] : r.accuracy) {
      if (d == c.dimension) acc = a;
    }
    t.add_row({c.dimension, format_fixed(acc, 3), bins});
  }
  t.print(out);
  if (!r.text_model.empty()) {
    out << "Text model: " << r.text_model
        << (r.cross_validation ? " (retrained without each fold it scores)"
            : r.model_in_sample ? " (used as shipped: if it was trained on these issues, the margins are in-sample; "
                                  "use --folds)"
                                : "")
        << "\n";
  }
  if (r.cross_validation) print_cross_validation(*r.cross_validation, out);
  if (!r.llm_accuracy.empty()) {
    out << "Routing by expected gain (LLM accuracy";
    for (const auto& [d, a] : r.llm_accuracy) out << " " << d << " " << format_fixed(a, 3);
    out << ", from the rules' routing block): hybrid sends " << format_percent(r.gain_routed_share)
        << " of these issues to the LLM";
    for (size_t i = 0; i < r.gain_routed_by_dimension.size(); ++i) {
      out << (i ? ", " : " (") << r.gain_routed_by_dimension[i].second << " for "
          << r.gain_routed_by_dimension[i].first << (i + 1 == r.gain_routed_by_dimension.size() ? ")" : "");
    }
    out << "; on the rest the rules' mean top-level accuracy is " << format_fixed(r.gain_accuracy_kept, 3)
        << (r.cross_validation ? " (held-out)" : "") << "; expected top-level accuracy with the LLM's answers:";
    for (size_t i = 0; i < r.expected_accuracy.size(); ++i)
      out << (i ? ", " : " ") << r.expected_accuracy[i].first << " " << format_fixed(r.expected_accuracy[i].second, 3);
    out << "\n";
  }
  out << "Routing threshold " << format_fixed(r.threshold, 3)
      << (r.cross_validation ? " (chosen on held-out confidences)" : "") << ": hybrid sends "
      << format_percent(r.routed_share) << " of these issues to the LLM";
  for (size_t i = 0; i < r.routed_by_dimension.size(); ++i) {
    out << (i ? ", " : " (") << r.routed_by_dimension[i].second << " for " << r.routed_by_dimension[i].first
        << (i + 1 == r.routed_by_dimension.size() ? ")" : "");
  }
  out << "; on the rest the rules' mean top-level accuracy is " << format_fixed(r.accuracy_kept, 3)
      << (r.cross_validation ? " (held-out)" : "")
      << (r.llm_accuracy.empty() ? "" : " (classify --threshold routes by this instead of by gain)") << "\n";
}

}  // namespace firstmile
