// classify/explain.cpp — one issue classified afresh, beside its stored labels, printed for a person.
#include "classify/explain.h"

#include "base/error.h"
#include "base/issue_link.h"
#include "base/text_table.h"
#include "base/text.h"
#include "classify/calibrate.h"
#include "classify/routing.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

void print_decision(const Taxonomy& taxonomy, const DimensionDecision& d, std::ostream& out) {
  std::string label = d.node;
  if (const TaxonomyNode* n = taxonomy.find(d.node)) label = taxonomy.path_name(*n);
  out << d.dimension << ": " << label << "  (confidence " << format_fixed(d.confidence, 2) << ", margin "
      << format_fixed(d.margin, 2) << " over " << (d.runner_up.empty() ? "-" : d.runner_up) << ")"
      << (d.from_prior ? "  [no rule fired: prior]" : "") << "\n";
  if (d.given) {
    out << "    started from P(cause | " << (d.given->symptom.empty() ? "any symptom" : d.given->symptom) << ", "
        << d.given->stage << "), counted on " << d.given->labels << " labels (taxonomy/rules priors)\n";
  }
  if (d.model_p >= 0) out << "    text model: P(" << d.top << " | words) = " << format_fixed(d.model_p, 2) << "\n";
  for (const RuleHit& h : d.hits) {
    out << "    " << h.rule->id << " -> " << h.rule->target << "  +" << format_fixed(h.weight, 1) << " in "
        << field_name(h.field) << ": " << (h.line.empty() ? h.text : h.line) << "\n";
  }
}

void print_stored_label(const LabelRow& l, std::ostream& out) {
  out << "  " << l.source << " #" << l.failure_index << ": " << (!l.is_failure || *l.is_failure ? "" : "not a failure ")
      << l.stage << " | " << l.symptom << " | " << l.root_cause;
  if (l.confidence) out << "  (confidence " << format_fixed(*l.confidence, 2) << ")";
  if (l.needs_review) out << "  needs review";
  out << "\n";
}

}  // namespace

Explanation explain_issue(Store& store, const Taxonomy& taxonomy, const RuleSet& rules, const std::string& reference) {
  std::optional<IssueLink> link = parse_issue_reference(reference);
  if (!link) throw Error("'" + reference + "': expected OWNER/NAME#NUMBER or an issue URL");
  std::optional<int64_t> id = store.find_issue(link->owner, link->name, link->number);
  if (!id) throw Error(reference + ": not in " + store.db().path().string());
  std::optional<IssueText> text = store.issue_text(*id);
  if (!text) throw Error(reference + ": its text is not in the database (mine or import it first)");
  SavedCalibration saved = load_calibrations(store, taxonomy, rules);
  Explanation e;
  e.issue = std::move(*text);
  e.features = extract_features(e.issue.title, e.issue.body, e.issue.comments);
  e.decision = RuleClassifier(taxonomy, rules, saved.calibrations).classify(e.features);
  e.threshold = saved.threshold;
  e.gain = route_gain(e.decision, rules.llm_accuracy());
  e.routing_known = !rules.llm_accuracy().empty();
  e.stale_calibration = saved.stale;
  e.labels = labels_of_issue(store, *id);
  return e;
}

void print_explanation(const Explanation& e, const Taxonomy& taxonomy, std::ostream& out) {
  if (e.stale_calibration)
    out << "(the saved calibration was learnt with other rules and is not used; run `firstmile calibrate`)\n";
  const IssueFeatures& f = e.features;
  out << e.issue.url << "\n"
      << e.issue.title << "\n\nlanguage " << f.language << ", " << f.error_lines.size() << " error lines, "
      << e.issue.comments.size() << " comments\n";
  for (const std::string& line : f.error_lines) out << "  error: " << line << "\n";
  if (!f.error_signature.empty()) out << "  signature: " << f.error_signature << "\n";
  out << "\n";
  const Classification& r = e.decision;
  for (const DimensionDecision* d : {&r.relevance, &r.stage, &r.symptom, &r.root_cause})
    print_decision(taxonomy, *d, out);
  out << "issue confidence " << format_fixed(r.confidence, 3);
  if (e.threshold >= 0) {
    out << (r.confidence < e.threshold ? " < " : " >= ") << "threshold " << format_fixed(e.threshold, 3)
        << (r.confidence < e.threshold ? ": hybrid --threshold would ask the LLM" : ": hybrid --threshold leaves it to the rules");
  }
  if (e.routing_known) {
    out << "\nexpected gain of asking the LLM " << format_fixed(e.gain.total, 3);
    if (e.gain.dimensions.empty()) {
      out << ": the rules are at least as sure as the LLM on every dimension, hybrid leaves it to them";
    } else {
      out << " (for " << join(e.gain.dimensions, ", ")
          << "): hybrid asks the LLM about the issues of largest gain, at most --max-route of them";
    }
  }
  out << "\n\nStored labels:\n";
  for (const LabelRow& l : e.labels) print_stored_label(l, out);
  if (e.labels.empty()) out << "  (none)\n";
}

}  // namespace firstmile
