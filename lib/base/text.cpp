// base/text.cpp — white-space normalisation and label splitting.
#include "base/text.h"

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

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // a continuation byte
  return text.substr(0, end);
}

}  // namespace firstmile
