// classify/feature_knowledge.cpp — reading taxonomy/features.json and compiling its two patterns.
#include "classify/feature_knowledge.h"

#include <re2/re2.h>

#include <vector>

#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"

namespace firstmile {

namespace {

// The list at `key` of `o`: non-empty strings, each a valid RE2 pattern on its own.
std::vector<std::string> patterns(const nlohmann::json& o, const std::string& key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_array() || it->empty())
    throw Error(where + ": '" + key + "' must be a non-empty list of RE2 patterns");
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& p = (*it)[i];
    const std::string at = where + ": '" + key + "' entry " + std::to_string(i + 1);
    if (!p.is_string() || p.get<std::string>().empty()) throw Error(at + ": expected a non-empty string");
    RE2 check("(?i)(?:" + p.get<std::string>() + ")", RE2::Quiet);
    if (!check.ok()) throw Error(at + ": pattern '" + p.get<std::string>() + "': " + check.error());
    out.push_back(p.get<std::string>());
  }
  return out;
}

std::string alternatives(const std::vector<std::string>& entries) {
  std::string out;
  for (const std::string& e : entries) out += (out.empty() ? "" : "|") + e;
  return out;
}

std::unique_ptr<RE2> compile(const std::string& pattern, const std::string& where) {
  auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
  if (!re->ok()) throw Error(where + ": " + re->error());
  return re;
}

}  // namespace

FeatureKnowledge::FeatureKnowledge(FeatureKnowledge&&) noexcept = default;
FeatureKnowledge& FeatureKnowledge::operator=(FeatureKnowledge&&) noexcept = default;
FeatureKnowledge::~FeatureKnowledge() = default;

FeatureKnowledge FeatureKnowledge::load(const std::filesystem::path& file) {
  std::filesystem::path path = file.empty() ? resource_path("taxonomy/features.json") : file;
  return parse(read_file(path), path.string());
}

const FeatureKnowledge& FeatureKnowledge::shipped() {
  static const FeatureKnowledge knowledge = load();
  return knowledge;
}

FeatureKnowledge FeatureKnowledge::parse(std::string_view text, const std::string& origin) {
  nlohmann::json doc = parse_json(text, origin);
  if (!doc.is_object()) throw Error(origin + ": expected an object with 'environment_headings' and 'resolution'");
  FeatureKnowledge k;
  // The heading alone on its line, perhaps as a markdown heading ("### ") or in bold, perhaps
  // with a colon (ASCII or full-width).
  k.environment_heading_ =
      compile(R"re((?i)^\s*(?:#+\s*|\*\*)?(?:)re" + alternatives(patterns(doc, "environment_headings", origin)) +
                  R"re()(?:\*\*)?\s*[:：]?\s*$)re",
              origin + ": 'environment_headings'");
  auto resolution = doc.find("resolution");
  const std::string where = origin + ": 'resolution'";
  if (resolution == doc.end() || !resolution->is_object()) {
    throw Error(where + " must be an object with 'phrases', 'advisers', 'advice' and 'phrases_anywhere'");
  }
  // Phrases as whole words; an adviser and their advice, one space apart; the rest anywhere.
  const std::string phrases = alternatives(patterns(*resolution, "phrases", where));
  const std::string advisers = alternatives(patterns(*resolution, "advisers", where));
  const std::string advice = alternatives(patterns(*resolution, "advice", where));
  const std::string anywhere = alternatives(patterns(*resolution, "phrases_anywhere", where));
  k.resolution_marker_ =
      compile("(?i)\\b(?:" + phrases + ")\\b|(?:" + advisers + ") (?:" + advice + ")|" + anywhere, where);
  k.content_ = std::string(text);
  return k;
}

}  // namespace firstmile
