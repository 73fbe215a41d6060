// select/failure_filter.cpp — one RE2 alternation built from the keyword lists.
#include "select/failure_filter.h"

#include <re2/re2.h>

#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "base/text.h"

namespace firstmile {

namespace {

std::vector<std::string> string_list(const nlohmann::json& doc, const char* key, const std::string& origin) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end()) return out;
  if (!it->is_array()) throw Error(origin + ": '" + key + "' must be a list of strings");
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty()) {
      throw Error(origin + ": '" + key + "' must hold non-empty strings, got " + json_text(v));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string alternation(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& t : terms) {
    if (!out.empty()) out += '|';
    out += RE2::QuoteMeta(t);
  }
  return out;
}

}  // namespace

FailureFilter::FailureFilter(FailureFilter&&) noexcept = default;
FailureFilter& FailureFilter::operator=(FailureFilter&&) noexcept = default;
FailureFilter::~FailureFilter() = default;

FailureFilter FailureFilter::load(const std::filesystem::path& path) {
  std::filesystem::path file = path.empty() ? resource_path("taxonomy/selection.json") : path;
  return parse(read_file(file), file.string());
}

FailureFilter FailureFilter::parse(const std::string& content, const std::string& origin) {
  nlohmann::json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": expected an object");
  std::vector<std::string> english = string_list(doc, "english", origin);
  std::vector<std::string> suffixes = string_list(doc, "suffixes", origin);
  std::vector<std::string> chinese = string_list(doc, "chinese", origin);
  std::string pattern;
  auto add = [&pattern](const std::string& part) {
    if (part.empty()) return;
    if (!pattern.empty()) pattern += '|';
    pattern += part;
  };
  // Word start: not preceded by a letter or digit (\b is ASCII-only in RE2, which is what we want here).
  if (!english.empty()) add("\\b(?:" + alternation(english) + ")");
  // Suffixes keep their case: "RuntimeError" is an exception name, "Terror" is not.
  if (!suffixes.empty()) add("(?-i:" + alternation(suffixes) + ")\\b");
  if (!chinese.empty()) add("(?:" + alternation(chinese) + ")");
  if (pattern.empty()) throw Error(origin + ": no keywords ('english', 'suffixes' or 'chinese')");
  FailureFilter f;
  RE2::Options options;
  options.set_case_sensitive(false);
  f.pattern_ = std::make_unique<RE2>(pattern, options);
  if (!f.pattern_->ok()) throw Error(origin + ": keywords do not compile: " + f.pattern_->error());
  for (const std::string& l : string_list(doc, "labels", origin)) f.labels_.push_back(to_lower_ascii(l));
  f.origin_ = origin;
  return f;
}

bool FailureFilter::matches(const std::string& title, const std::string& body,
                            const std::vector<std::string>& labels) const {
  for (const std::string& l : labels) {
    std::string lower = to_lower_ascii(l);
    for (const std::string& wanted : labels_) {
      if (lower == wanted) return true;
    }
  }
  return RE2::PartialMatch(title, *pattern_) || RE2::PartialMatch(body, *pattern_);
}

}  // namespace firstmile
