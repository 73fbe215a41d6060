// mine/json_scanner.h — a validating JSON scanner that builds no tree: the fast path of the
// GH Archive import (mine/gharchive_event.h).
//
//   JsonScanner s(line);
//   s.object([&](std::string_view key) {          // the scanner stands at the member's value
//     if (key == "title") s.optional_string(title);
//     else s.skip();                               // validates and moves past any value
//   });
//   if (!s.at_end()) throw JsonScanner::Decline{};
//
// It accepts a strict subset of JSON and gives up, throwing Decline, on anything outside it
// or anything it is unsure of: comments, escaped keys, numbers with exponents or of more than
// 18 digits (integers) or 100 characters (others), values nested more than 64 levels below
// the top one, malformed UTF-8, lone surrogates. A caller that catches Decline hands the text to a full parser, which
// either agrees or names the error; so the scanner never has to explain one. On what it
// accepts, it validates as nlohmann::json does (UTF-8, control characters, escapes).
//
// The scanner copies nothing but the strings asked for. Its per-byte methods are defined here,
// inline, since they run over every byte of every issue event; the decoding of escapes, which
// only strings with a backslash need, is in json_scanner.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace firstmile {

class JsonScanner {
 public:
  struct Decline {};  // outside the subset: hand the text to the full parser

  explicit JsonScanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // The next character that is not white space, without moving past it.
  char peek() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    if (p_ >= end_) throw Decline{};
    return *p_;
  }
  // Whether only white space is left.
  bool at_end() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    return p_ == end_;
  }
  void expect(char c) {
    if (peek() != c) throw Decline{};
    ++p_;
  }

  // A string's raw content (between the quotes), validated as the reference parser would:
  // UTF-8, no control characters, known escapes, paired surrogates. `escaped` says whether it
  // holds a backslash (then the raw content is not the value).
  std::string_view raw_string(bool& escaped) {
    expect('"');
    const char* start = p_;
    escaped = false;
    while (true) {
      skip_plain();
      if (p_ >= end_) throw Decline{};
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        std::string_view s(start, static_cast<size_t>(p_ - start));
        ++p_;
        return s;
      }
      if (c == '\\') {
        escaped = true;
        escape();
      } else {
        text_character(c);
      }
    }
  }

  // A string's content, validated and unescaped in one pass into `buffer` (grown as needed,
  // never shrunk: the unescaped text is no longer than the rest of the input). Returns the
  // content, a view into `buffer`. For a string that holds a whole JSON document.
  std::string_view unescaped_string(std::vector<char>& buffer);

  // A string's value.
  void string(std::string& out) {
    bool escaped = false;
    std::string_view raw = raw_string(escaped);
    if (escaped) {
      unescape(raw, out);
    } else {
      out.assign(raw);
    }
  }

  // A string or null.
  void optional_string(std::optional<std::string>& out) {
    if (null()) {
      out.reset();
      return;
    }
    if (peek() != '"') throw Decline{};
    string(out.emplace());
  }

  // An integer that fits int64 without question (no sign, up to 18 digits).
  int64_t integer() {
    peek();
    const char* start = p_;
    int64_t value = 0;
    // Digits past the 18th are counted, not added: the number is declined below, and adding
    // them would overflow first.
    for (; p_ < end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
      if (p_ - start < 18) value = value * 10 + (*p_ - '0');
    }
    size_t digits = static_cast<size_t>(p_ - start);
    if (digits == 0 || digits > 18 || (digits > 1 && *start == '0')) throw Decline{};
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) throw Decline{};
    return value;
  }
  void optional_integer(std::optional<int64_t>& out) {
    if (null()) {
      out.reset();
      return;
    }
    out = integer();
  }

  // Moves past a null and says so; false (and stays) at anything else.
  bool null() {
    if (peek() != 'n') return false;
    literal("null");
    return true;
  }

  // Calls member(key) for each member, with the scanner at the value, which member must consume.
  template <typename F>
  void object(F&& member) {
    expect('{');
    if (peek() == '}') {
      ++p_;
      return;
    }
    while (true) {
      bool escaped = false;
      std::string_view key = raw_string(escaped);
      if (escaped) throw Decline{};
      expect(':');
      member(key);
      char c = peek();
      ++p_;
      if (c == '}') return;
      if (c != ',') throw Decline{};
    }
  }

  // Calls element() for each element, with the scanner at it, which element must consume.
  template <typename F>
  void array(F&& element) {
    expect('[');
    if (peek() == ']') {
      ++p_;
      return;
    }
    while (true) {
      element();
      char c = peek();
      ++p_;
      if (c == ']') return;
      if (c != ',') throw Decline{};
    }
  }

  // Validates any value and moves past it.
  void skip(int depth = 0) {
    if (depth > 64) throw Decline{};
    switch (peek()) {
      case '{': object([&](std::string_view) { skip(depth + 1); }); return;
      case '[': array([&] { skip(depth + 1); }); return;
      case '"': {
        bool escaped = false;
        raw_string(escaped);
        return;
      }
      case 't': literal("true"); return;
      case 'f': literal("false"); return;
      case 'n': literal("null"); return;
      default: number(); return;
    }
  }

  const char* position() const { return p_; }

 private:
  // Moves past string bytes that need no attention (not a quote, a backslash, a control
  // character or a UTF-8 byte), 16 at a time where SSE2 is there; the caller looks at the rest.
  void skip_plain() {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end_ - p_ >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      // Signed, so bytes >= 0x80 (UTF-8) count as below 0x20 along with control characters.
      __m128i special =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
      int mask = _mm_movemask_epi8(special);
      if (mask != 0) {
        p_ += __builtin_ctz(static_cast<unsigned>(mask));
        return;
      }
      p_ += 16;
    }
#endif
  }

  // Moves past one character of a string's text that is neither a quote nor a backslash
  // (`c`, its first byte): ASCII, or a whole UTF-8 sequence. Control characters decline.
  void text_character(unsigned char c) {
    if (c < 0x20) throw Decline{};
    if (c < 0x80) {
      ++p_;
    } else {
      utf8();
    }
  }

  void literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) throw Decline{};
    p_ += word.size();
  }

  // A number the reference parser takes without trouble: no exponent, not absurdly long.
  void number() {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    const char* digits = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    if (p_ == digits || (p_ - digits > 1 && *digits == '0')) throw Decline{};
    if (p_ < end_ && *p_ == '.') {
      const char* fraction = ++p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == fraction) throw Decline{};
    }
    if ((p_ < end_ && (*p_ == 'e' || *p_ == 'E')) || p_ - start > 100) throw Decline{};
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // \uXXXX at p (pointing at the backslash); -1 if it is not one.
  static int32_t unicode_at(const char* p, const char* end) {
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return -1;
    int32_t value = 0;
    for (int i = 2; i < 6; ++i) {
      int h = hex(p[i]);
      if (h < 0) return -1;
      value = value * 16 + h;
    }
    return value;
  }

  void escape() {  // p_ at the backslash
    if (end_ - p_ < 2) throw Decline{};
    char e = p_[1];
    if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
      p_ += 2;
      return;
    }
    int32_t code = unicode_at(p_, end_);
    if (code < 0 || (code >= 0xDC00 && code <= 0xDFFF)) throw Decline{};
    p_ += 6;
    if (code >= 0xD800 && code <= 0xDBFF) {
      int32_t low = unicode_at(p_, end_);
      if (low < 0xDC00 || low > 0xDFFF) throw Decline{};
      p_ += 6;
    }
  }

  void utf8() {  // p_ at a byte >= 0x80; well-formed UTF-8 (RFC 3629) only
    auto b = [&](ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    auto cont = [&](ptrdiff_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) { return b(i) >= lo && b(i) <= hi; };
    ptrdiff_t left = end_ - p_;
    unsigned char c = b(0);
    if (c >= 0xC2 && c <= 0xDF && left >= 2 && cont(1)) {
      p_ += 2;
    } else if (c >= 0xE0 && c <= 0xEF && left >= 3 && cont(1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) &&
               cont(2)) {
      p_ += 3;
    } else if (c >= 0xF0 && c <= 0xF4 && left >= 4 && cont(1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) &&
               cont(2) && cont(3)) {
      p_ += 4;
    } else {
      throw Decline{};
    }
  }

  // The escapes of a string raw_string validated, decoded (json_scanner.cpp).
  static size_t decode_escape(const char* p, const char* end, std::string& out);
  static void unescape(std::string_view raw, std::string& out);

  const char* p_;
  const char* end_;
};

}  // namespace firstmile
