// mine/json_scanner.cpp — decoding escapes: the scanner's slow path, for strings with a backslash.
#include "mine/json_scanner.h"

#include <cstring>

namespace firstmile {

namespace {

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

// Appends what the escape at p (validated) stands for; returns its length in bytes (2, 6, or
// 12 for a surrogate pair).
size_t JsonScanner::decode_escape(const char* p, const char* end, std::string& out) {
  switch (p[1]) {
    case 'b': out += '\b'; return 2;
    case 'f': out += '\f'; return 2;
    case 'n': out += '\n'; return 2;
    case 'r': out += '\r'; return 2;
    case 't': out += '\t'; return 2;
    case 'u': {
      auto code = static_cast<uint32_t>(unicode_at(p, end));
      size_t length = 6;
      if (code >= 0xD800 && code <= 0xDBFF) {
        auto low = static_cast<uint32_t>(unicode_at(p + 6, end));
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        length = 12;
      }
      append_utf8(out, code);
      return length;
    }
    default: out += p[1]; return 2;  // " \ /
  }
}

// The content of a string raw_string validated.
void JsonScanner::unescape(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    const void* found = std::memchr(p, '\\', static_cast<size_t>(end - p));
    const char* slash = found ? static_cast<const char*>(found) : end;
    out.append(p, static_cast<size_t>(slash - p));
    if (slash == end) break;
    p = slash + decode_escape(slash, end, out);
  }
}

std::string_view JsonScanner::unescaped_string(std::vector<char>& buffer) {
  expect('"');
  if (buffer.size() < static_cast<size_t>(end_ - p_)) buffer.resize(static_cast<size_t>(end_ - p_));
  char* const start = buffer.data();
  char* out = start;
  const char* run = p_;  // the start of the bytes not yet copied
  auto copy_run = [&] {
    auto n = static_cast<size_t>(p_ - run);
    std::memcpy(out, run, n);
    out += n;
  };
  while (true) {
    skip_plain();
    if (p_ >= end_) throw Decline{};
    auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      copy_run();
      ++p_;
      return std::string_view(start, static_cast<size_t>(out - start));
    }
    if (c == '\\') {
      copy_run();
      if (end_ - p_ < 2) throw Decline{};
      char e = p_[1];
      char simple = e == '"' || e == '\\' || e == '/' ? e
                    : e == 'n'                        ? '\n'
                    : e == 't'                        ? '\t'
                    : e == 'r'                        ? '\r'
                    : e == 'b'                        ? '\b'
                    : e == 'f'                        ? '\f'
                                                      : '\0';
      if (simple != '\0') {  // an escape of two bytes decodes to one
        *out++ = simple;
        p_ += 2;
      } else {  // \uXXXX (six or twelve bytes) decodes to at most four
        const char* at = p_;
        escape();  // validates and moves past it
        std::string decoded;
        decode_escape(at, end_, decoded);
        std::memcpy(out, decoded.data(), decoded.size());
        out += decoded.size();
      }
      run = p_;
    } else {
      text_character(c);
    }
  }
}

}  // namespace firstmile
