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
  std::string prose, code, environment;
  std::vector<std::string> errors;
};

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

void split_text(const FeatureKnowledge& knowledge, std::string_view text, Split& out) {
  bool fenced = false;
  // In an environment inventory: 1 between its heading and its first line, 2 inside it (until
  // a blank line or the next heading).
  int inventory = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (starts_fence(line)) {
      fenced = !fenced;
      inventory = 0;  // an inventory pasted as a block is code, like any log
      continue;
    }
    if (!fenced) {
      if (line.size() <= 48 && RE2::FullMatch(line, knowledge.environment_heading())) {
        inventory = 1;
        continue;
      }
      if (blank(line)) {
        if (inventory == 2) inventory = 0;
      } else if (inventory > 0 && line[line.find_first_not_of(" ")] == '#') {  // the next heading
        inventory = 0;
      } else if (inventory > 0) {
        inventory = 2;
        out.environment.append(line).push_back('\n');
        continue;
      }
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

bool sentence_end(std::string_view text, size_t i, size_t* width) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  *width = 1;
  if (c == '\n') return true;
  if (c == '.' || c == '!' || c == '?') return i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
  // 。！？ (E3 80 82, EF BC 81, EF BC 9F)
  if (i + 2 < text.size() &&
      ((c == 0xE3 && text.substr(i, 3) == "\xE3\x80\x82") ||
       (c == 0xEF && (text.substr(i, 3) == "\xEF\xBC\x81" || text.substr(i, 3) == "\xEF\xBC\x9F")))) {
    *width = 3;
    return true;
  }
  return false;
}

// The sentences of `prose` with a resolution marker, each on its own line. One scan for the
// markers over the whole text; only the sentences around a match are cut out.
void add_resolution(const RE2& resolution_marker, std::string_view prose, std::string& out) {
  size_t from = 0;
  re2::StringPiece match;
  while (from < prose.size() && resolution_marker.Match(re2::StringPiece(prose.data(), prose.size()), from,
                                                        prose.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t at = static_cast<size_t>(match.data() - prose.data());
    size_t start = from, width = 1;
    for (size_t i = at; i > from; --i) {
      if (sentence_end(prose, i - 1, &width)) {
        start = i - 1 + width;
        break;
      }
    }
    size_t end = at + match.size();
    while (end < prose.size() && !sentence_end(prose, end, &width)) ++end;
    std::string_view sentence = prose.substr(start, end - start);
    if (sentence.size() > 3) out.append(trim(sentence)).push_back('\n');
    from = end < prose.size() ? end + width : end;
  }
}

}  // namespace

std::string normalize_error_line(std::string_view line) {
  std::string s(line);
  static const RE2 path(R"re((?:[A-Za-z]:)?(?:[\\/][\w.\-+@~]+){2,}[\\/]?)re");
  // A compiled extension's file name carries the user's Python and platform
  // (flash_attn_2_cuda.cpython-310-x86_64-linux-gnu.so): a path of its own, with or without folders.
  static const RE2 extension(R"re([\w.\-+]+\.(?:so|pyd|dll|dylib)(?:\.\d+)*\b)re");
  static const RE2 address(R"re(0x[0-9a-fA-F]+)re");
  static const RE2 number(R"re(\b\d+(?:\.\d+)*\b)re");
  static const RE2 spaces(R"re(\s+)re");
  RE2::GlobalReplace(&s, path, "<path>");
  RE2::GlobalReplace(&s, extension, "<path>");
  RE2::GlobalReplace(&s, address, "<addr>");
  RE2::GlobalReplace(&s, number, "<N>");
  RE2::GlobalReplace(&s, spaces, " ");
  s = trim(s);
  if (s.size() > 200) s = s.substr(0, 200);
  return s;
}

IssueFeatures extract_features(std::string_view title, std::string_view body, const std::vector<std::string>& comments,
                               const FeatureKnowledge& knowledge) {
  IssueFeatures f;
  f.title = std::string(title);
  Split split;
  split_text(knowledge, body, split);
  f.prose = std::move(split.prose);
  f.code = std::move(split.code);
  f.environment = std::move(split.environment);
  for (const std::string& c : comments) {
    f.comments.append(c).push_back('\n');
  }
  // Errors quoted only in comments still describe the failure (often the reporter's follow-up log).
  Split in_comments;
  for (const std::string& c : comments) split_text(knowledge, c, in_comments);
  for (std::string& e : in_comments.errors) add_unique(split.errors, std::move(e));
  add_resolution(knowledge.resolution_marker(), f.prose, f.resolution);
  add_resolution(knowledge.resolution_marker(), in_comments.prose, f.resolution);
  f.error_lines = std::move(split.errors);
  f.error_signature = pick_signature(f.error_lines);
  f.language = detect_language(f.title + "\n" + f.prose);
  return f;
}

}  // namespace firstmile
