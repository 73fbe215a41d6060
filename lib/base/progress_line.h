// base/progress_line.h — one status line on a terminal, rewritten in place.
//
//   ProgressLine progress;                       // on only when stderr is a terminal
//   progress.show("classified 120 of 4000");     // "\r\033[K" + the line
//   progress.clear();                            // before printing anything else; also on destruction
//
// Long commands (mine, import, classify, aggregate, git) report through one of these, so that
// output piped to a file or a log holds no carriage returns.
#pragma once

#include <iosfwd>
#include <string_view>

namespace firstmile {

bool stderr_is_terminal();

class ProgressLine {
 public:
  ProgressLine();  // std::cerr, enabled when it is a terminal
  ProgressLine(std::ostream& out, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  void show(std::string_view line);
  // Erases the line if one is shown.
  void clear();

 private:
  std::ostream& out_;
  bool enabled_;
  bool shown_ = false;
};

}  // namespace firstmile
