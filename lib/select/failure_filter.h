// select/failure_filter.h — does an issue look like a failure report? (the funnel's keyword step)
//
//   FailureFilter f = FailureFilter::load();            // taxonomy/selection.json
//   f.matches("CUDA out of memory on A100", body, {"question"})  == true
//
// A cheap, recall-oriented filter over title, body and labels, as the study's first screening
// step; the classifier decides precisely later.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace firstmile {

class FailureFilter {
 public:
  // `path` empty: taxonomy/selection.json from the resource directory.
  static FailureFilter load(const std::filesystem::path& path = {});
  static FailureFilter parse(const std::string& content, const std::string& origin);
  FailureFilter(FailureFilter&&) noexcept;
  FailureFilter& operator=(FailureFilter&&) noexcept;
  ~FailureFilter();

  bool matches(const std::string& title, const std::string& body, const std::vector<std::string>& labels) const;
  const std::string& origin() const { return origin_; }

 private:
  FailureFilter() = default;
  std::unique_ptr<re2::RE2> pattern_;
  std::vector<std::string> labels_;  // lower case
  std::string origin_;
};

}  // namespace firstmile
