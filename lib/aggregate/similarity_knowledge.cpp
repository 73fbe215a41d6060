// aggregate/similarity_knowledge.cpp — similarity.json read and checked; the patterns that find
// model families and library versions in a report.
#include "aggregate/similarity_knowledge.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "aggregate/json_fields.h"
#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "base/text.h"
#include "base/text_table.h"

namespace firstmile {

namespace {

using nlohmann::json;

// What follows a library's name before its version: "==", ">=", "<=", "=" or a space, and an
// optional "v". The version is major.minor with an optional patch level.
constexpr const char* kVersionAfterName = R"(\s*(?:==|>=|<=|=|\s)?\s*v?(\d+\.\d+(?:\.\d+)?))";

// A pattern of the file, checked on its own: it must compile and capture nothing (the
// combined pattern's groups are the aggregation's own).
std::string checked_pattern(const std::string& pattern, const std::string& where) {
  RE2 compiled("(?i)" + pattern, RE2::Quiet);
  if (!compiled.ok()) throw Error(where + ": '" + pattern + "' is not a valid pattern: " + compiled.error());
  if (compiled.NumberOfCapturingGroups() > 0) {
    throw Error(where + ": '" + pattern + "' has a capturing group; write (?:...) instead");
  }
  return pattern;
}

std::vector<std::string> stopwords_of(const json& doc, const std::string& origin) {
  std::vector<std::string> words = string_list(doc, "stopwords", origin);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] != to_lower_ascii(words[i]) || words[i].find_first_of(" \t\n") != std::string::npos) {
      throw Error(origin + ": stopwords " + std::to_string(i + 1) + ": '" + words[i] +
                  "' must be one lower-case word (titles are compared in lower case)");
    }
  }
  return words;
}

// "(?i)\b(family|family|...)": one group, the family as written.
std::string model_pattern_of(const json& doc, const std::string& origin) {
  std::vector<std::string> families = string_list(doc, "model_families", origin);
  if (families.empty()) throw Error(origin + ": 'model_families' is empty");
  for (size_t i = 0; i < families.size(); ++i) {
    checked_pattern(families[i], origin + ": model_families " + std::to_string(i + 1));
  }
  return R"((?i)\b()" + join(families, "|") + ")";
}

// "(?i)\b(?:(spellings of 1)|(spellings of 2)|...)<version>": group k names library k, the
// last group is the version.
std::string library_pattern_of(const json& doc, const std::string& origin, std::vector<std::string>& names) {
  std::string alternatives;
  size_t index = 0;
  for (const json& entry : list_field(doc, "libraries", origin)) {
    std::string where = origin + ": libraries " + std::to_string(++index);
    if (!entry.is_object()) throw Error(where + ": expected an object, got " + json_type_name(entry));
    check_fields(entry, {"name", "spellings"}, where);
    std::string name = text_field(entry, "name", where);
    where = origin + ": library '" + name + "'";
    // Stored as "name version" and split at the space again when two reports are compared.
    if (name != to_lower_ascii(name) || name.find(' ') != std::string::npos) {
      throw Error(where + ": the name must be lower case, without spaces");
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) throw Error(where + ": listed twice");
    std::vector<std::string> spellings = {RE2::QuoteMeta(name)};
    if (entry.contains("spellings")) spellings = string_list(entry, "spellings", where);
    if (spellings.empty()) throw Error(where + ": 'spellings' is empty");
    for (const std::string& s : spellings) checked_pattern(s, where + ": spellings");
    alternatives += (alternatives.empty() ? "(" : "|(") + join(spellings, "|") + ")";
    names.push_back(std::move(name));
  }
  if (names.empty()) throw Error(origin + ": 'libraries' is empty");
  return R"((?i)\b(?:)" + alternatives + ")" + kVersionAfterName;
}

size_t count_field(const json& object, const char* key, const std::string& where) {
  double value = number_field(object, key, where);
  if (value < 1 || value != std::floor(value) || value > 1e9) {
    throw Error(where + ": '" + key + "' must be a whole number of at least 1");
  }
  return static_cast<size_t>(value);
}

BlockingLimits blocking_of(const json& doc, const std::string& origin) {
  std::string where = origin + ": blocking";
  const json& b = object_field(doc, "blocking", origin);
  check_fields(b,
               {"rare_title_words", "rare_body_words", "word_postings", "word_neighbours", "rare_word_most_reports",
                "rare_word_one_report_in"},
               where);
  BlockingLimits out;
  out.rare_title_words = count_field(b, "rare_title_words", where);
  if (b.contains("rare_body_words")) out.rare_body_words = count_field(b, "rare_body_words", where);
  if (b.contains("word_postings")) out.word_postings = count_field(b, "word_postings", where);
  if (b.contains("word_neighbours")) out.word_neighbours = count_field(b, "word_neighbours", where);
  out.rare_word_most_reports = count_field(b, "rare_word_most_reports", where);
  out.rare_word_one_report_in = count_field(b, "rare_word_one_report_in", where);
  return out;
}

// Every weight by its name in the file.
constexpr std::pair<const char*, double PairScoreWeights::*> kWeights[] = {
    {"prior", &PairScoreWeights::prior},
    {"same_signature", &PairScoreWeights::same_signature},
    {"signature_words", &PairScoreWeights::signature_words},
    {"signature_words_neutral", &PairScoreWeights::signature_words_neutral},
    {"signatures_together", &PairScoreWeights::signatures_together},
    {"title_similarity", &PairScoreWeights::title_similarity},
    {"other_release", &PairScoreWeights::other_release},
    {"other_release_same_error_and_model", &PairScoreWeights::other_release_same_error_and_model},
    {"other_patch", &PairScoreWeights::other_patch},
    {"same_version", &PairScoreWeights::same_version},
    {"version_burst", &PairScoreWeights::version_burst},
    {"version_burst_cap", &PairScoreWeights::version_burst_cap},
    {"close_in_time", &PairScoreWeights::close_in_time},
    {"same_repository", &PairScoreWeights::same_repository},
    {"body_similarity", &PairScoreWeights::body_similarity},
    {"rare_shared_words", &PairScoreWeights::rare_shared_words},
    {"shared_error_line", &PairScoreWeights::shared_error_line},
    {"same_error_far", &PairScoreWeights::same_error_far},
    {"same_known_change", &PairScoreWeights::same_known_change},
    {"days_apart", &PairScoreWeights::days_apart},
    {"same_family", &PairScoreWeights::same_family},
    {"mutual_best_min_score", &PairScoreWeights::mutual_best_min_score},
    {"average_link_min_score", &PairScoreWeights::average_link_min_score},
    {"same_model", &PairScoreWeights::same_model},
    {"same_root_cause", &PairScoreWeights::same_root_cause},
    {"different_root_cause", &PairScoreWeights::different_root_cause},
    {"embedding_similarity", &PairScoreWeights::embedding_similarity},
};
constexpr const char* kMaxWindows = "signatures_together_max_windows";
// Weights a file written before them may leave out (0: the evidence does not count).
bool optional_weight(const std::string& name) {
  return name == "body_similarity" || name == "rare_shared_words" || name == "same_known_change" ||
         name == "days_apart" || name == "same_family" || name == "mutual_best_min_score" ||
         name == "shared_error_line" || name == "same_error_far" || name == "average_link_min_score" ||
         name == "embedding_similarity";
}

PairScoreWeights weights_of(const json& doc, const std::string& origin) {
  std::string where = origin + ": pair_score";
  const json& p = object_field(doc, "pair_score", origin);
  std::vector<std::string> names = {kMaxWindows};
  for (const auto& [name, field] : kWeights) names.push_back(name);
  check_fields(p, names, where);
  PairScoreWeights w;
  for (const auto& [name, field] : kWeights) {
    if (optional_weight(name) && !p.contains(name)) continue;
    w.*field = number_field(p, name, where);
  }
  w.signatures_together_max_windows = count_field(p, kMaxWindows, where);
  if (w.average_link_min_score < 0 || w.average_link_min_score >= 1)
    throw Error(where + ".average_link_min_score: expected a number from 0 up to (not including) 1, got " +
                format_fixed(w.average_link_min_score, 3));
  return w;
}

}  // namespace

SimilarityKnowledge SimilarityKnowledge::load(const std::filesystem::path& path) {
  std::filesystem::path file = path.empty() ? resource_path("taxonomy/similarity.json") : path;
  return parse(read_file(file), file.string());
}

SimilarityKnowledge SimilarityKnowledge::parse(std::string_view content, const std::string& origin) {
  json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": expected an object, got " + json_type_name(doc));
  check_fields(doc,
               {"stopwords", "model_families", "libraries", "machine_libraries", "blocking", "pair_score",
                "known_change_links"},
               origin);
  SimilarityKnowledge k;
  k.origin_ = origin;
  k.hash_ = git_blob_hash(content);
  for (std::string& w : stopwords_of(doc, origin)) k.stopwords_.insert(std::move(w));
  k.model_pattern_ = std::make_shared<const RE2>(model_pattern_of(doc, origin));
  k.library_pattern_ = std::make_shared<const RE2>(library_pattern_of(doc, origin, k.libraries_));
  for (const RE2* combined : {k.model_pattern_.get(), k.library_pattern_.get()}) {
    if (!combined->ok()) throw Error(origin + ": the patterns do not combine: " + combined->error());
  }
  for (std::string& m : string_list(doc, "machine_libraries", origin)) {
    if (std::find(k.libraries_.begin(), k.libraries_.end(), m) == k.libraries_.end()) {
      throw Error(origin + ": machine_libraries: '" + m + "' is not the name of one of the libraries");
    }
    k.machine_libraries_.push_back(std::move(m));
  }
  k.blocking_ = blocking_of(doc, origin);
  k.weights_ = weights_of(doc, origin);
  if (auto links = doc.find("known_change_links"); links != doc.end()) {
    if (!links->is_boolean())
      throw Error(origin + ": known_change_links: expected true or false, got " + json_type_name(*links));
    k.known_change_links_ = links->get<bool>();
  }
  return k;
}

namespace {

// Lower case, every run of characters that are not letters, digits or '_' one space: "KeyError:
// 'qwen2'" and "KeyError 'qwen2'" read alike, but 'qwen2_moe' stays one word (another model type).
std::string folded(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back(' ');
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '_' || c >= 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (out.back() != ' ') out.push_back(' ');
  return out;
}

}  // namespace

void SimilarityKnowledge::add_known_changes(const std::vector<ChangeFragments>& changes) {
  for (const ChangeFragments& change : changes) {
    ChangeFragments c{.id = change.id, .fragments = {}, .one_incident = change.one_incident};
    // Stored as the library's name when the change is bound to its releases, else "".
    std::string first = change.library.substr(0, change.library.find_first_of(" ("));
    for (char& ch : first) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!change.any_release && std::find(libraries_.begin(), libraries_.end(), first) != libraries_.end())
      c.library = first;
    for (const std::string& fragment : change.fragments) {
      std::string x = folded(fragment);
      if (x.size() > 2) c.fragments.push_back(std::move(x));
    }
    if (!c.fragments.empty()) known_changes_.push_back(std::move(c));
  }
  // A new set for the copy that adds (copies share the old one).
  RE2::Options options;
  options.set_max_mem(int64_t{64} << 20);
  auto set = std::make_shared<RE2::Set>(options, RE2::UNANCHORED);
  fragment_change_.clear();
  for (size_t k = 0; k < known_changes_.size(); ++k) {
    for (const std::string& f : known_changes_[k].fragments) {
      std::string error;
      if (set->Add(RE2::QuoteMeta(f), &error) < 0) throw Error("known change '" + known_changes_[k].id + "': " + error);
      fragment_change_.push_back(k);
    }
  }
  if (!set->Compile()) throw Error("known changes: the tell-tale fragments do not fit in memory together");
  fragment_set_ = std::move(set);
}

std::vector<std::string> SimilarityKnowledge::known_changes_in(const std::string& text) const {
  std::vector<std::string> out;
  if (known_changes_.empty() || !fragment_set_) return out;
  std::vector<int> matched;
  if (!fragment_set_->Match(folded(text), &matched)) return out;
  std::vector<size_t> changes;
  for (int m : matched) changes.push_back(fragment_change_[static_cast<size_t>(m)]);
  std::sort(changes.begin(), changes.end());  // in the order added
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
  for (size_t k : changes) out.push_back(known_changes_[k].id);
  return out;
}

const SimilarityKnowledge::ChangeFragments* SimilarityKnowledge::known_change(const std::string& id) const {
  for (const ChangeFragments& change : known_changes_) {
    if (change.id == id) return &change;
  }
  return nullptr;
}

bool SimilarityKnowledge::is_one_incident(const std::string& id) const {
  const ChangeFragments* change = known_change(id);
  return change && change->one_incident;
}

bool SimilarityKnowledge::bound_to_releases(const std::string& id) const {
  const ChangeFragments* change = known_change(id);
  return change && !change->library.empty();
}

bool SimilarityKnowledge::is_machine_library(std::string_view name) const {
  return std::find(machine_libraries_.begin(), machine_libraries_.end(), name) != machine_libraries_.end();
}

std::vector<std::string> SimilarityKnowledge::model_mentions(const std::string& text) const {
  std::vector<std::string> out;
  re2::StringPiece input(text);
  std::string model;
  while (RE2::FindAndConsume(&input, *model_pattern_, &model)) {
    std::string key;
    for (char c : model) {
      if (c != ' ' && c != '-' && c != '_')
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    while (!key.empty() && key.back() == '.') key.pop_back();
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  }
  return out;
}

std::vector<std::string> SimilarityKnowledge::library_versions(const std::string& text) const {
  const RE2& pattern = *library_pattern_;
  const size_t groups = libraries_.size() + 2;  // the whole match, one per library, the version
  std::vector<re2::StringPiece> match(groups);
  std::vector<std::string> out;
  re2::StringPiece input(text);
  // Each search starts where the last match ended, with the text before it out of sight, as
  // RE2::FindAndConsume does.
  while (pattern.Match(input, 0, input.size(), RE2::UNANCHORED, match.data(), static_cast<int>(groups))) {
    size_t library = 0;
    while (library + 1 < libraries_.size() && match[library + 1].data() == nullptr) ++library;
    const re2::StringPiece& version = match[groups - 1];
    std::string key = libraries_[library] + " " + std::string(version.data(), version.size());
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(std::move(key));
    input.remove_prefix(static_cast<size_t>(match[0].data() + match[0].size() - input.data()));
  }
  return out;
}

}  // namespace firstmile
