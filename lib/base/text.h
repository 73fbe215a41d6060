// base/text.h — small text helpers shared by importers and reports.
//
//   normalize_space("  Environment   Issues ") == "Environment Issues"
//   split_label("Crash - CUDA Error - Out of Memory") == {"Crash", "CUDA Error", "Out of Memory"}
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

// Trims both ends and collapses every run of white space into one space.
std::string normalize_space(std::string_view text);

// Splits a published label "L1 - L2 - L3" on a dash with white space on both sides (so
// "Value-related" or "Fine-tuning" stay whole) and normalises each part's white space.
std::vector<std::string> split_label(std::string_view label);

// Joins with `separator`.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

std::string to_lower_ascii(std::string_view text);

// True when `text` is well-formed UTF-8 (no stray, overlong or truncated sequences).
bool valid_utf8(std::string_view text);
// Throws Error "<what>: '<text, invalid bytes as U+FFFD>' is not UTF-8 text" unless valid_utf8.
void require_utf8(std::string_view text, const std::string& what);

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary (never inside a character).
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

// "zh" when a fair share of the letters are CJK ideographs (one ideograph counting as about a
// short English word), else "en". Give it prose: code and logs are Latin in any report.
std::string detect_language(std::string_view text);

// `text` without its ``` fenced blocks: the prose of a Markdown report, for detect_language.
std::string without_fenced_blocks(std::string_view text);

}  // namespace firstmile
