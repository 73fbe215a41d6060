// base/progress_line.cpp — carriage return, erase to the end of the line, the text.
#include "base/progress_line.h"

#include <unistd.h>

#include <iostream>

namespace firstmile {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) != 0; }

ProgressLine::ProgressLine() : ProgressLine(std::cerr, stderr_is_terminal()) {}

ProgressLine::ProgressLine(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::show(std::string_view line) {
  if (!enabled_) return;
  out_ << "\r\033[K" << line << std::flush;
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_) return;
  out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace firstmile
