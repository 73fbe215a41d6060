// classify/rules.h — the rule classifier's evidence: RE2 patterns from taxonomy/rules/*.json.
//
//   RuleSet rules = RuleSet::load(taxonomy);          // every taxonomy/rules/*.json, checked
//   std::vector<RuleHit> hits = rules.match(features); // which rules fired, where, with what text
//
// A rule names a target (a taxonomy node id, or "relevance:failure" / "relevance:not_failure"),
// the fields it looks at (title, prose, code, errors, comments, resolution, environment), a weight and its patterns
// (case-insensitive unless "case_sensitive": true; a "language" of "zh" or "en" limits it to
// reports in that language). All patterns of one field are compiled once into an RE2::Set, so
// matching a report costs one pass per field however many rules there are. A rule counts
// once per report, with the weight of the strongest field it matched in: its weight times the
// field's, from the "field_weights" block of one rule file (taxonomy/rules/fields.json: the
// title and the errors weigh most, the resolution, which tells the fix, double, comments and
// the environment inventory half). A rules directory must have that block; rule sets parsed
// from memory (tests) without one weigh every field 1.
//
// A rule may name nodes it "overrides": when it fires, the rules aimed at those nodes (or
// below them) do not count for this report, because in its context their evidence means
// something else. A traceback through the loader's own functions overrides the exception-type
// rules of Crash: an AttributeError raised by from_pretrained is the loader's check failing (a
// Loading Failure, by the taxonomy's definition), not a crash of a running program.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "classify/features.h"

namespace firstmile {

class Taxonomy;

enum class Field { kTitle, kProse, kCode, kErrors, kComments, kResolution, kEnvironment };
inline constexpr int kFieldCount = 7;
const char* field_name(Field field);

struct Rule {
  std::string id;         // unique over all files: "oom.cuda"
  std::string target;     // node id, or "relevance:failure" / "relevance:not_failure"
  std::string dimension;  // of the target: 'symptom', 'root_cause', 'stage', 'relevance'
  double weight = 1;
  std::vector<Field> fields;
  std::string language;  // "", "en" or "zh"
  std::string pattern;   // the alternation of its patterns, as compiled
  bool case_sensitive = false;
  std::string origin;                  // "taxonomy/rules/symptom.json: rule 'oom.cuda'"
  std::vector<std::string> overrides;  // node ids of its dimension whose rules it silences
};

struct RuleHit {
  const Rule* rule = nullptr;
  Field field = Field::kTitle;  // the strongest field it matched in
  double weight = 0;            // rule weight x field factor
  std::string text;             // the matched text (up to 120 bytes)
  size_t at = 0, length = 0;    // where the match is in its field's text (see field_text)
  // The match in its line, marked «like this», a few words either side (up to ~160 bytes, cut
  // at whole characters, "…" where cut), so that a one-character match such as "there is an
  // error line" reads as the line it found. Filled by the classifier for the hits it keeps as
  // evidence (hit_line), not by RuleSet::match: most hits never reach the evidence.
  std::string line;
};

// The text of `field` as the rules see it (the error lines joined, each ended by a newline).
std::string field_text(const IssueFeatures& features, Field field);
// RuleHit::line of a hit found in these features.
std::string hit_line(const RuleHit& hit, const IssueFeatures& features);

// `text` with its match [from, from + length) shown in its line as RuleHit::line describes.
std::string match_in_line(std::string_view text, size_t from, size_t length);

// Root-cause scores to start from, given what the report is (its symptom) and when it failed
// (its stage): P(root cause | symptom, stage) counted on labelled reports (`firstmile priors`),
// in a rule file's "given" block. A cell is a symptom node at any level (or "" for any
// symptom) with a stage; the classifier takes the deepest cell on the decided symptom's path
// and adds weight x p to each root cause. Only cells with enough labels are kept, so a rare
// symptom falls back to its parent and, in the end, to the stage alone.
struct PriorCell {
  std::string symptom;              // a symptom node, or "" for any
  std::string stage;                // a stage node
  int labels = 0;                   // how many labelled reports the cell was counted on
  std::map<std::string, double> p;  // root-cause node -> probability (smoothed towards the parent cell)
};

struct ConditionalPriors {
  double weight = 0;
  std::string learnt_from;  // "gold:open-llm-failures (632 labels)": provenance, shown by explain
  std::vector<PriorCell> cells;
  bool empty() const { return cells.empty(); }
  // The deepest cell of `symptom_path` (top level first) under `stage`, else the stage's cell.
  const PriorCell* find(const std::vector<std::string>& symptom_path, const std::string& stage) const;
};

class TextModel;

class RuleSet {
 public:
  // Every *.json in `directory` (default: taxonomy/rules from the resource directory), in
  // name order. Throws Error naming file and rule for a bad pattern, an unknown target or
  // field, or a duplicate id.
  static RuleSet load(const Taxonomy& taxonomy, const std::filesystem::path& directory = {});
  static RuleSet parse(const Taxonomy& taxonomy, const std::vector<std::pair<std::string, std::string>>& files);
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  std::vector<RuleHit> match(const IssueFeatures& features) const;
  const std::vector<Rule>& rules() const { return rules_; }
  // "priors": {"stage.inference": 0.5, ...} of the files: scores every report starts with.
  const std::map<std::string, double>& priors() const { return priors_; }
  const ConditionalPriors& given() const { return given_; }
  // The statistical layer (a file's "text_model" block, `firstmile train`), or null.
  const TextModel* text_model() const { return text_model_.get(); }
  // A file's "routing" block: {"llm_accuracy": {"symptom": 0.84, ...}}, the top-level accuracy
  // an LLM reaches per dimension, against which hybrid routing weighs the rules' confidence
  // (classify/routing.h). Empty without one.
  const std::map<std::string, double>& llm_accuracy() const { return llm_accuracy_; }
  // A match's weight is the rule's times its field's ("field_weights" in a rule file; 1 without).
  double field_weight(Field field) const { return field_weights_[static_cast<size_t>(field)]; }
  // Of the files' content and taxonomy/features.json's, for provenance: labels and
  // calibrations record which rules decided them.
  const std::string& hash() const { return hash_; }

 private:
  RuleSet();
  void parse_file(const Taxonomy& taxonomy, const std::string& origin, const std::string& content,
                  std::set<std::string>& ids);
  void compile();
  struct Compiled;
  std::vector<Rule> rules_;
  std::map<std::string, double> priors_;
  ConditionalPriors given_;
  std::shared_ptr<const TextModel> text_model_;
  std::string text_model_origin_;
  std::map<std::string, double> llm_accuracy_;
  std::string routing_origin_;
  std::array<double, kFieldCount> field_weights_{};
  std::string field_weights_origin_;  // the file that gave them, if one did
  std::unique_ptr<Compiled> compiled_;
  std::string hash_;
};

}  // namespace firstmile
