// classify/features.cpp — line-by-line split of a report into prose, code and error lines.
#include "classify/features.h"

#include <re2/re2.h>

#include <algorithm>

#include "base/text.h"

namespace firstmile {

namespace {

bool starts_fence(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  std::string_view rest = line.substr(i);
  return rest.rfind("```", 0) == 0 || rest.rfind("~~~", 0) == 0;
}

// Lines that are log output even outside a fence: tracebacks, indented code, runtime messages.
const RE2& log_line() {
  static const RE2 re(
      R"re(^(?:    |\t)|^\s*(?:Traceback \(most recent call last\)|File ".*", line \d+|at [\w.$]+\(|\[rank\d+\]|)re"
      R"re(\[\d{4}-\d\d-\d\d|\d{4}-\d\d-\d\d[ T]\d\d:\d\d|(?:E|W|I)\d{4} |INFO[: ]|WARNING[: ]|ERROR[: ]|>>>|\$ ))re");
  return re;
}

// An error line: an exception with its message, or a runtime's error report.
const RE2& error_line() {
  static const RE2 re(
      R"re(^\s*(?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Interrupt|Exit)(?:\s*:|\s*$))re"
      R"re(|CUDA (?:error|out of memory)|NCCL (?:error|WARN|timeout)|cuDNN error|cuBLAS error|CUBLAS_STATUS_\w+)re"
      R"re(|device-side assert|Segmentation fault|core dumped|terminate called after throwing|what\(\):)re"
      R"re(|Assertion .* failed|illegal memory access|Floating point exception|Aborted \(core|^\s*Killed\s*$)re"
      R"re(|^\s*(?:ERROR|FATAL|error)(?:\]|:)\s)re");
  return re;
}

void add_unique(std::vector<std::string>& lines, std::string line) {
  if (line.size() > 400) line = line.substr(0, 400);
  if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(std::move(line));
}

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

struct Split {
  std::string prose, code;
  std::vector<std::string> errors;
};

void split_text(std::string_view text, Split& out) {
  bool fenced = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (starts_fence(line)) {
      fenced = !fenced;
      continue;
    }
    bool is_error = RE2::PartialMatch(line, error_line());
    if (fenced || is_error || RE2::PartialMatch(line, log_line())) {
      out.code.append(line).push_back('\n');
    } else {
      out.prose.append(line).push_back('\n');
    }
    // In prose an exception name is usually talk about it ("it raises a KeyError"); only lines
    // shaped like an error report count, which error_line() anchors.
    if (is_error) add_unique(out.errors, trim(line));
    if (end == text.size()) break;
  }
}

// The exception lines first (the final line of a traceback names the cause), then the rest.
std::string pick_signature(const std::vector<std::string>& errors) {
  static const RE2 exception(R"re(^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception)\s*:)re");
  for (const std::string& e : errors) {
    if (RE2::PartialMatch(e, exception)) return normalize_error_line(e);
  }
  return errors.empty() ? "" : normalize_error_line(errors.front());
}

// Chinese when a fair share of the letters are CJK ideographs.
std::string detect_language(std::string_view text) {
  size_t cjk = 0, latin = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      latin += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      ++i;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < text.size()) {
      unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                    (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      cjk += cp >= 0x4E00 && cp <= 0x9FFF;
      i += 3;
    } else {
      ++i;
    }
  }
  // One ideograph carries about as much as a short English word (~4 letters).
  return cjk >= 4 && cjk * 4 >= latin / 2 ? "zh" : "en";
}

}  // namespace

std::string normalize_error_line(std::string_view line) {
  std::string s(line);
  static const RE2 path(R"re((?:[A-Za-z]:)?(?:[\\/][\w.\-+@~]+){2,}[\\/]?)re");
  static const RE2 address(R"re(0x[0-9a-fA-F]+)re");
  static const RE2 number(R"re(\b\d+(?:\.\d+)*\b)re");
  static const RE2 spaces(R"re(\s+)re");
  RE2::GlobalReplace(&s, path, "<path>");
  RE2::GlobalReplace(&s, address, "<addr>");
  RE2::GlobalReplace(&s, number, "<N>");
  RE2::GlobalReplace(&s, spaces, " ");
  s = trim(s);
  if (s.size() > 200) s = s.substr(0, 200);
  return s;
}

IssueFeatures extract_features(std::string_view title, std::string_view body, const std::vector<std::string>& comments) {
  IssueFeatures f;
  f.title = std::string(title);
  Split split;
  split_text(body, split);
  f.prose = std::move(split.prose);
  f.code = std::move(split.code);
  for (const std::string& c : comments) {
    f.comments.append(c).push_back('\n');
  }
  // Errors quoted only in comments still describe the failure (often the reporter's follow-up log).
  Split in_comments;
  for (const std::string& c : comments) split_text(c, in_comments);
  for (std::string& e : in_comments.errors) add_unique(split.errors, std::move(e));
  f.error_lines = std::move(split.errors);
  f.error_signature = pick_signature(f.error_lines);
  f.language = detect_language(f.title + "\n" + f.prose);
  return f;
}

}  // namespace firstmile
