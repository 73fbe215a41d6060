// base/text.cpp — white-space normalisation and label splitting.
#include "base/text.h"

#include <cstdint>

#include "base/error.h"

namespace firstmile {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string normalize_space(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> split_label(std::string_view label) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    bool dash_with_spaces =
        label[i] == '-' && i > 0 && is_space(label[i - 1]) && i + 1 < label.size() && is_space(label[i + 1]);
    if (dash_with_spaces) {
      parts.push_back(normalize_space(label.substr(start, i - start)));
      start = i + 1;
    }
  }
  parts.push_back(normalize_space(label.substr(start)));
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    const uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < smallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

void require_utf8(std::string_view text, const std::string& what) {
  if (valid_utf8(text)) return;
  std::string shown;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    shown += c < 0x80 ? std::string(1, static_cast<char>(c)) : std::string("\xEF\xBF\xBD");
  }
  throw Error(what + ": '" + shown + "' is not UTF-8 text");
}

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // a continuation byte
  return text.substr(0, end);
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

std::string without_fenced_blocks(std::string_view text) {
  std::string out;
  bool fenced = false;
  for (size_t from = 0; from < text.size();) {
    size_t end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(from, end - from);
    size_t indent = line.find_first_not_of(" \t");
    if (indent != std::string_view::npos && line.substr(indent).rfind("```", 0) == 0) {
      fenced = !fenced;
    } else if (!fenced) {
      out.append(line).push_back('\n');
    }
    from = end + 1;
  }
  return out;
}

}  // namespace firstmile
