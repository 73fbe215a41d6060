// classify/feature_knowledge.h — how reports are written, as the feature extractor reads them.
//
//   const FeatureKnowledge& k = FeatureKnowledge::shipped();   // taxonomy/features.json, once
//   IssueFeatures f = extract_features(title, body, comments);  // uses it
//   FeatureKnowledge mine = FeatureKnowledge::load("my-features.json");
//   IssueFeatures g = extract_features(title, body, comments, mine);
//
// The file lists the headings of an environment inventory ("Environment:", "### System Info",
// "环境") and the phrases of a sentence that tells the fix or the cause ("solved", "works
// after upgrading", "a maintainer replied", "原因是"), as RE2 patterns matched without case.
// Loading checks every entry and throws Error naming the file, the field and the entry; both
// lists are compiled once into one pattern each, so extracting features stays one pass per line.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace firstmile {

class FeatureKnowledge {
 public:
  // `file` empty: taxonomy/features.json from the resource directory.
  static FeatureKnowledge load(const std::filesystem::path& file = {});
  // `origin` names the text in error messages.
  static FeatureKnowledge parse(std::string_view text, const std::string& origin);
  // The shipped file, loaded on first use and kept (thread-safe); throws Error as load does.
  static const FeatureKnowledge& shipped();

  FeatureKnowledge(FeatureKnowledge&&) noexcept;
  FeatureKnowledge& operator=(FeatureKnowledge&&) noexcept;
  ~FeatureKnowledge();

  // A whole line that heads an inventory of versions and hardware.
  const re2::RE2& environment_heading() const { return *environment_heading_; }
  // Found anywhere in a sentence: the sentence tells the fix or the cause.
  const re2::RE2& resolution_marker() const { return *resolution_marker_; }
  const std::string& content() const { return content_; }  // the file as read, for the rules' hash

 private:
  FeatureKnowledge() = default;
  std::unique_ptr<re2::RE2> environment_heading_, resolution_marker_;
  std::string content_;
};

}  // namespace firstmile
