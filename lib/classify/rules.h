// classify/rules.h — the rule classifier's evidence: RE2 patterns from taxonomy/rules/*.json.
//
//   RuleSet rules = RuleSet::load(taxonomy);          // every taxonomy/rules/*.json, checked
//   std::vector<RuleHit> hits = rules.match(features); // which rules fired, where, with what text
//
// A rule names a target (a taxonomy node id, or "relevance:failure" / "relevance:not_failure"),
// the fields it looks at (title, prose, code, errors, comments), a weight and its patterns
// (case-insensitive unless "case_sensitive": true; a "language" of "zh" or "en" limits it to
// reports in that language). All patterns of one field are compiled once into an RE2::Set, so
// matching a report costs one pass per field however many rules there are. A rule counts
// once per report, with the weight of the strongest field it matched in (title and error lines
// count 1.5x, prose and code 1x, comments 0.5x: the title and the errors are what the report is
// about; comments drift).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "classify/features.h"

namespace firstmile {

class Taxonomy;

enum class Field { kTitle, kProse, kCode, kErrors, kComments };
inline constexpr int kFieldCount = 5;
const char* field_name(Field field);

struct Rule {
  std::string id;          // unique over all files: "oom.cuda"
  std::string target;      // node id, or "relevance:failure" / "relevance:not_failure"
  std::string dimension;   // of the target: 'symptom', 'root_cause', 'stage', 'relevance'
  double weight = 1;
  std::vector<Field> fields;
  std::string language;    // "", "en" or "zh"
  std::string pattern;     // the alternation of its patterns, as compiled
  bool case_sensitive = false;
  std::string origin;      // "taxonomy/rules/symptom.json: rule 'oom.cuda'"
};

struct RuleHit {
  const Rule* rule = nullptr;
  Field field = Field::kTitle;  // the strongest field it matched in
  double weight = 0;            // rule weight x field factor
  std::string text;             // the matched text (up to 120 bytes)
};

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
  const std::string& hash() const { return hash_; }  // of the files' content, for provenance

 private:
  RuleSet();
  struct Compiled;
  std::vector<Rule> rules_;
  std::map<std::string, double> priors_;
  std::unique_ptr<Compiled> compiled_;
  std::string hash_;
};

}  // namespace firstmile
