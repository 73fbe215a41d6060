// classify/rules.cpp — loading, checking and compiling rule files; one RE2::Set per field.
#include "classify/rules.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "classify/feature_knowledge.h"
#include "classify/text_model.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

Field parse_field(const std::string& name, const std::string& where) {
  static const std::map<std::string, Field> kFields = {{"title", Field::kTitle},
                                                       {"prose", Field::kProse},
                                                       {"code", Field::kCode},
                                                       {"errors", Field::kErrors},
                                                       {"comments", Field::kComments},
                                                       {"resolution", Field::kResolution},
                                                       {"environment", Field::kEnvironment}};
  auto it = kFields.find(name);
  if (it == kFields.end()) {
    throw Error(where + ": unknown field '" + name +
                "' (title, prose, code, errors, comments, resolution, environment)");
  }
  return it->second;
}

std::string string_member(const nlohmann::json& o, const char* key, const std::string& where, bool required) {
  auto it = o.find(key);
  if (it == o.end()) {
    if (required) throw Error(where + ": missing '" + key + "'");
    return "";
  }
  if (!it->is_string()) throw Error(where + ": '" + key + "' must be a string");
  return it->get<std::string>();
}

RE2::Options pattern_options(bool case_sensitive) {
  RE2::Options o;
  o.set_case_sensitive(case_sensitive);
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  return o;
}

// The "given" block of a rule file: {"weight": W, "learnt_from": "...", "cells": [{"symptom":
// "sym.crash.cuda.oom", "stage": "stage.finetuning", "labels": 12, "p": {"rc.config.finetune": 0.6}}]}.
ConditionalPriors parse_given(const nlohmann::json& g, const Taxonomy& taxonomy, const std::string& origin) {
  const std::string where = origin + ": 'given'";
  if (!g.is_object()) throw Error(where + " must be an object");
  ConditionalPriors out;
  auto weight = g.find("weight");
  if (weight == g.end() || !weight->is_number() || weight->get<double>() < 0)
    throw Error(where + ": 'weight' must be a number >= 0");
  out.weight = weight->get<double>();
  out.learnt_from = string_member(g, "learnt_from", where, false);
  auto cells = g.find("cells");
  if (cells == g.end() || !cells->is_array()) throw Error(where + ": 'cells' must be a list");
  auto node_of = [&](const std::string& id, const char* dimension, const std::string& at) {
    const TaxonomyNode* n = taxonomy.find(id);
    if (!n || n->dimension != dimension) {
      throw Error(at + ": '" + id + "' is not a " + dimension + " node of taxonomy " + taxonomy.id());
    }
  };
  size_t index = 0;
  for (const nlohmann::json& c : *cells) {
    std::string at = where + " cell " + std::to_string(++index);
    if (!c.is_object()) throw Error(at + ": expected an object");
    PriorCell cell;
    cell.symptom = string_member(c, "symptom", at, true);
    cell.stage = string_member(c, "stage", at, true);
    if (!cell.symptom.empty()) node_of(cell.symptom, "symptom", at);
    node_of(cell.stage, "stage", at);
    if (auto n = c.find("labels"); n != c.end()) {
      if (!n->is_number_integer() || n->get<int>() < 0) throw Error(at + ": 'labels' must be a count");
      cell.labels = n->get<int>();
    }
    auto p = c.find("p");
    if (p == c.end() || !p->is_object()) throw Error(at + ": 'p' must map root causes to probabilities");
    for (auto it = p->begin(); it != p->end(); ++it) {
      node_of(it.key(), "root_cause", at);
      if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
        throw Error(at + ": probability of '" + it.key() + "' must be in [0, 1]");
      }
      cell.p[it.key()] = it->get<double>();
    }
    for (const PriorCell& seen : out.cells) {
      if (seen.symptom == cell.symptom && seen.stage == cell.stage)
        throw Error(at + ": a second cell for the same symptom and stage");
    }
    out.cells.push_back(std::move(cell));
  }
  return out;
}

}  // namespace

const PriorCell* ConditionalPriors::find(const std::vector<std::string>& symptom_path, const std::string& stage) const {
  for (auto s = symptom_path.rbegin(); s != symptom_path.rend(); ++s) {
    for (const PriorCell& c : cells) {
      if (c.symptom == *s && c.stage == stage) return &c;
    }
  }
  for (const PriorCell& c : cells) {
    if (c.symptom.empty() && c.stage == stage) return &c;
  }
  return nullptr;
}

const char* field_name(Field field) {
  static const char* const kNames[] = {"title", "prose", "code", "errors", "comments", "resolution", "environment"};
  return kNames[static_cast<int>(field)];
}

struct RuleSet::Compiled {
  // Per field: one set over the rules that look there, and which rule each set index is.
  std::array<std::unique_ptr<RE2::Set>, kFieldCount> sets;
  std::array<std::vector<size_t>, kFieldCount> rule_of;
  std::vector<std::unique_ptr<RE2>> single;  // per rule, to find the matched text for evidence
};

RuleSet::RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

RuleSet RuleSet::load(const Taxonomy& taxonomy, const std::filesystem::path& directory) {
  std::filesystem::path dir = directory.empty() ? resource_path("taxonomy/rules") : directory;
  if (!std::filesystem::is_directory(dir)) throw Error(dir.string() + ": no such rules directory");
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) throw Error(dir.string() + ": no rule files (*.json)");
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& p : paths) files.emplace_back(p.string(), read_file(p));
  RuleSet set = parse(taxonomy, files);
  // A rules directory written before field weights became data would otherwise be read with
  // every field weighing 1: other labels, silently.
  if (set.field_weights_origin_.empty()) {
    throw Error(dir.string() + ": no rule file has a 'field_weights' block (copy taxonomy/rules/fields.json here)");
  }
  return set;
}

namespace {

// The "field_weights" block of a rule file: {"title": 1.5, "prose": 1.0, ...}, every field.
std::array<double, kFieldCount> parse_field_weights(const nlohmann::json& w, const std::string& origin) {
  const std::string where = origin + ": 'field_weights'";
  if (!w.is_object()) throw Error(where + " must map each field to its weight");
  std::array<double, kFieldCount> weights{};
  std::array<bool, kFieldCount> given{};
  for (auto it = w.begin(); it != w.end(); ++it) {
    Field field = parse_field(it.key(), where);
    if (!it->is_number() || it->get<double>() <= 0)
      throw Error(where + ": '" + it.key() + "' must be a positive number");
    weights[static_cast<size_t>(field)] = it->get<double>();
    given[static_cast<size_t>(field)] = true;
  }
  for (int f = 0; f < kFieldCount; ++f) {
    if (!given[static_cast<size_t>(f)])
      throw Error(where + ": no weight for '" + field_name(static_cast<Field>(f)) + "'");
  }
  return weights;
}

// The "priors" block: {"stage.inference": 0.5, ...}.
void parse_priors(const nlohmann::json& priors, const Taxonomy& taxonomy, const std::string& origin,
                  std::map<std::string, double>& out) {
  if (!priors.is_object()) throw Error(origin + ": 'priors' must map targets to scores");
  for (auto it = priors.begin(); it != priors.end(); ++it) {
    bool known = it.key() == "relevance:failure" || it.key() == "relevance:not_failure" || taxonomy.find(it.key());
    if (!known)
      throw Error(origin + ": prior for '" + it.key() + "', which is not a node of taxonomy " + taxonomy.id());
    if (!it->is_number() || it->get<double>() < 0) throw Error(origin + ": prior for '" + it.key() + "' must be >= 0");
    out[it.key()] = it->get<double>();
  }
}

// The alternation of a rule's "patterns", each checked alone.
std::string parse_patterns(const nlohmann::json& r, const Rule& rule, const std::string& where) {
  auto patterns = r.find("patterns");
  if (patterns == r.end() || !patterns->is_array() || patterns->empty()) {
    throw Error(where + ": 'patterns' must be a non-empty list of RE2 patterns");
  }
  std::string pattern;
  for (const auto& p : *patterns) {
    if (!p.is_string() || p.get<std::string>().empty()) throw Error(where + ": patterns must be non-empty strings");
    RE2 check(p.get<std::string>(), pattern_options(rule.case_sensitive));
    if (!check.ok()) throw Error(where + ": pattern '" + p.get<std::string>() + "': " + check.error());
    if (!pattern.empty()) pattern += '|';
    pattern += "(?:" + p.get<std::string>() + ")";
  }
  return pattern;
}

// Rule number `index` of file `origin`; its id must not be in `ids` yet.
Rule parse_rule(const nlohmann::json& r, const Taxonomy& taxonomy, const std::string& origin, size_t index,
                std::set<std::string>& ids) {
  std::string where = origin + ": rule " + std::to_string(index);
  if (!r.is_object()) throw Error(where + ": expected an object");
  Rule rule;
  rule.id = string_member(r, "id", where, true);
  where = origin + ": rule '" + rule.id + "'";
  if (!ids.insert(rule.id).second) throw Error(where + ": duplicate rule id");
  rule.origin = where;
  rule.target = string_member(r, "target", where, true);
  if (rule.target == "relevance:failure" || rule.target == "relevance:not_failure") {
    rule.dimension = "relevance";
  } else if (const TaxonomyNode* node = taxonomy.find(rule.target)) {
    rule.dimension = node->dimension;
  } else {
    throw Error(where + ": target '" + rule.target + "' is not a node of taxonomy " + taxonomy.id());
  }
  if (auto w = r.find("weight"); w != r.end()) {
    if (!w->is_number() || w->get<double>() <= 0) throw Error(where + ": 'weight' must be a positive number");
    rule.weight = w->get<double>();
  }
  rule.language = string_member(r, "language", where, false);
  if (!rule.language.empty() && rule.language != "en" && rule.language != "zh") {
    throw Error(where + ": 'language' must be \"en\" or \"zh\"");
  }
  if (auto cs = r.find("case_sensitive"); cs != r.end()) {
    if (!cs->is_boolean()) throw Error(where + ": 'case_sensitive' must be true or false");
    rule.case_sensitive = cs->get<bool>();
  }
  auto fields = r.find("fields");
  if (fields == r.end() || !fields->is_array() || fields->empty()) {
    throw Error(where +
                ": 'fields' must list where to look (title, prose, code, errors, comments, resolution, environment)");
  }
  for (const auto& f : *fields) {
    if (!f.is_string()) throw Error(where + ": 'fields' must hold names");
    rule.fields.push_back(parse_field(f.get<std::string>(), where));
  }
  rule.pattern = parse_patterns(r, rule, where);
  if (auto o = r.find("overrides"); o != r.end()) {
    if (!o->is_array()) throw Error(where + ": 'overrides' must list node ids");
    for (const auto& id : *o) {
      const TaxonomyNode* n = id.is_string() ? taxonomy.find(id.get<std::string>()) : nullptr;
      if (!n || n->dimension != rule.dimension) {
        throw Error(where + ": 'overrides' names " + json_text(id) + ", which is not a " + rule.dimension +
                    " node of taxonomy " + taxonomy.id());
      }
      rule.overrides.push_back(n->id);
    }
  }
  return rule;
}

// {"llm_accuracy": {"stage": 0.97, "symptom": 0.84, "root_cause": 0.63}}
std::map<std::string, double> parse_routing(const nlohmann::json& r, const std::string& origin) {
  const std::string where = origin + ": 'routing'";
  if (!r.is_object() || !r.contains("llm_accuracy") || !r["llm_accuracy"].is_object())
    throw Error(where + ": expected {\"llm_accuracy\": {\"symptom\": 0.84, ...}}");
  std::map<std::string, double> out;
  for (const auto& [dimension, value] : r["llm_accuracy"].items()) {
    if (dimension != "stage" && dimension != "symptom" && dimension != "root_cause")
      throw Error(where + ".llm_accuracy: unknown dimension '" + dimension + "' (stage, symptom, root_cause)");
    if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1)
      throw Error(where + ".llm_accuracy." + dimension + ": must be a number from 0 to 1");
    out[dimension] = value.get<double>();
  }
  return out;
}

}  // namespace

void RuleSet::parse_file(const Taxonomy& taxonomy, const std::string& origin, const std::string& content,
                         std::set<std::string>& ids) {
  nlohmann::json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": expected an object with a 'rules' list");
  bool block = false;  // a file may hold only the "given", "field_weights", "routing" or "text_model" block
  if (auto routing = doc.find("routing"); routing != doc.end()) {
    if (!routing_origin_.empty()) throw Error(origin + ": a second 'routing' block (" + routing_origin_ + " has one)");
    llm_accuracy_ = parse_routing(*routing, origin);
    routing_origin_ = origin;
    block = true;
  }
  if (auto model = doc.find("text_model"); model != doc.end()) {
    if (text_model_) throw Error(origin + ": a second 'text_model' block (" + text_model_origin_ + " has one)");
    text_model_ = std::make_shared<const TextModel>(TextModel::from_json(*model, taxonomy, origin));
    text_model_origin_ = origin;
    block = true;
  }
  if (auto given = doc.find("given"); given != doc.end()) {
    if (!given_.empty()) throw Error(origin + ": a second 'given' block (one rule file may have it)");
    given_ = parse_given(*given, taxonomy, origin);
    block = true;
  }
  if (auto weights = doc.find("field_weights"); weights != doc.end()) {
    if (!field_weights_origin_.empty()) {
      throw Error(origin + ": a second 'field_weights' block (" + field_weights_origin_ + " has one)");
    }
    field_weights_ = parse_field_weights(*weights, origin);
    field_weights_origin_ = origin;
    block = true;
  }
  if (block && !doc.contains("rules")) return;
  if (!doc.contains("rules") || !doc["rules"].is_array())
    throw Error(origin + ": expected an object with a 'rules' list");
  if (auto priors = doc.find("priors"); priors != doc.end()) parse_priors(*priors, taxonomy, origin, priors_);
  size_t index = 0;
  for (const nlohmann::json& r : doc["rules"]) rules_.push_back(parse_rule(r, taxonomy, origin, ++index, ids));
}

RuleSet RuleSet::parse(const Taxonomy& taxonomy, const std::vector<std::pair<std::string, std::string>>& files) {
  RuleSet set;
  set.field_weights_.fill(1.0);
  std::set<std::string> ids;
  // The hash covers what decides a label besides the taxonomy: the rule files and what the
  // feature extractor knows (taxonomy/features.json), as if it were one more file.
  std::string all_content;
  for (const auto& [origin, content] : files) {
    all_content += content;
    set.parse_file(taxonomy, origin, content, ids);
  }
  set.hash_ = git_blob_hash(all_content + FeatureKnowledge::shipped().content());
  set.compile();
  return set;
}

void RuleSet::compile() {
  // RE2::Set takes one case setting for all its patterns; case-sensitive rules carry it inline.
  compiled_ = std::make_unique<Compiled>();
  Compiled& c = *compiled_;
  for (int f = 0; f < kFieldCount; ++f) {
    c.sets[f] = std::make_unique<RE2::Set>(pattern_options(false), RE2::UNANCHORED);
  }
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    std::string pattern = rule.case_sensitive ? "(?-i:" + rule.pattern + ")" : rule.pattern;
    c.single.push_back(std::make_unique<RE2>("(" + rule.pattern + ")", pattern_options(rule.case_sensitive)));
    for (Field field : rule.fields) {
      int f = static_cast<int>(field);
      std::string error;
      if (c.sets[f]->Add(pattern, &error) < 0) throw Error(rule.origin + ": " + error);
      c.rule_of[f].push_back(i);
    }
  }
  for (int f = 0; f < kFieldCount; ++f) {
    if (!c.sets[f]->Compile())
      throw Error("rules: the patterns of field '" + std::string(field_name(static_cast<Field>(f))) +
                  "' need more memory than allowed");
  }
}

namespace {

// Moves `at` back to the first byte of the UTF-8 character it is in.
size_t character_start(std::string_view s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

}  // namespace

std::string match_in_line(std::string_view text, size_t from, size_t length) {
  constexpr size_t kSide = 60, kMatch = 60;  // bytes of context either side; of a long match
  from = std::min(from, text.size());
  size_t to = std::min(text.size(), from + length);
  size_t line_start = 0;
  if (from > 0) {
    size_t newline = text.rfind('\n', from - 1);
    if (newline != std::string_view::npos) line_start = newline + 1;
  }
  size_t line_end = to;
  if (to == from || text[to - 1] != '\n') {
    line_end = text.find('\n', to);
    if (line_end == std::string_view::npos) line_end = text.size();
  }
  size_t left = from - line_start > kSide ? character_start(text, from - kSide) : line_start;
  size_t right = line_end - to > kSide ? character_start(text, to + kSide) : line_end;
  size_t match_end = to - from > kMatch ? character_start(text, from + kMatch) : to;
  std::string out;
  if (left > line_start) out += "…";
  out.append(text.substr(left, from - left)).append("«").append(text.substr(from, match_end - from));
  if (match_end < to) out += "…";
  out.append("»").append(text.substr(to, right - to));
  if (right < line_end) out += "…";
  // A match across lines reads as one line.
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

namespace {

// The hits aimed at a node (or below one) that another hit overrides.
void drop_overridden(std::vector<RuleHit>& hits) {
  std::vector<const std::string*> silenced;
  for (const RuleHit& h : hits) {
    for (const std::string& node : h.rule->overrides) silenced.push_back(&node);
  }
  if (silenced.empty()) return;
  std::erase_if(hits, [&](const RuleHit& h) {
    return std::any_of(silenced.begin(), silenced.end(), [&](const std::string* node) {
      return h.rule->target == *node || h.rule->target.rfind(*node + ".", 0) == 0;
    });
  });
}

// The "errors" field: the error lines, each ended by a newline.
std::string joined_error_lines(const IssueFeatures& features) {
  std::string errors;
  for (const std::string& e : features.error_lines) errors.append(e).push_back('\n');
  return errors;
}

}  // namespace

std::string field_text(const IssueFeatures& features, Field field) {
  switch (field) {
    case Field::kTitle: return features.title;
    case Field::kProse: return features.prose;
    case Field::kCode: return features.code;
    case Field::kErrors: return joined_error_lines(features);
    case Field::kComments: return features.comments;
    case Field::kResolution: return features.resolution;
    case Field::kEnvironment: return features.environment;
  }
  return "";
}

std::string hit_line(const RuleHit& hit, const IssueFeatures& features) {
  std::string text = field_text(features, hit.field);
  if (hit.at + hit.length > text.size()) return hit.text;  // not found in these features
  return match_in_line(text, hit.at, hit.length);
}

std::vector<RuleHit> RuleSet::match(const IssueFeatures& features) const {
  const std::string errors = joined_error_lines(features);
  const std::array<const std::string*, kFieldCount> text = {
      &features.title,    &features.prose,      &features.code,       &errors,
      &features.comments, &features.resolution, &features.environment};
  std::vector<RuleHit> best(rules_.size());
  std::vector<int> matched;
  for (int f = 0; f < kFieldCount; ++f) {
    if (text[f]->empty() || compiled_->rule_of[f].empty()) continue;
    matched.clear();
    RE2::Set::ErrorInfo error;
    if (!compiled_->sets[f]->Match(*text[f], &matched, &error) && error.kind != RE2::Set::kNoError) {
      // The set's DFA ran out of memory on this text: ask each rule on its own, same result.
      matched.clear();
      for (size_t m = 0; m < compiled_->rule_of[f].size(); ++m) {
        if (RE2::PartialMatch(*text[f], *compiled_->single[compiled_->rule_of[f][m]]))
          matched.push_back(static_cast<int>(m));
      }
    }
    for (int m : matched) {
      size_t r = compiled_->rule_of[f][static_cast<size_t>(m)];
      const Rule& rule = rules_[r];
      if (!rule.language.empty() && rule.language != features.language) continue;
      double w = rule.weight * field_weights_[static_cast<size_t>(f)];
      if (best[r].rule && best[r].weight >= w) continue;
      best[r].rule = &rule;
      best[r].field = static_cast<Field>(f);
      best[r].weight = w;
    }
  }
  std::vector<RuleHit> hits;
  for (size_t r = 0; r < best.size(); ++r) {
    if (!best[r].rule) continue;
    RuleHit hit = best[r];
    re2::StringPiece found;
    const std::string& searched = *text[static_cast<int>(hit.field)];
    if (RE2::PartialMatch(searched, *compiled_->single[r], &found)) {
      hit.text = std::string(found.data(), std::min<size_t>(found.size(), 120));
      hit.at = static_cast<size_t>(found.data() - searched.data());
      hit.length = found.size();
    }
    hits.push_back(std::move(hit));
  }
  drop_overridden(hits);
  return hits;
}

}  // namespace firstmile
