// mine/gharchive.cpp — stream GH Archive dumps line by line; parse only the issue events.
#include "mine/gharchive.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "base/error.h"
#include "base/issue_link.h"
#include "base/json_file.h"
#include "dataset/preset.h"
#include "mine/github_json.h"
#include "store/store.h"

namespace firstmile {

using nlohmann::json;

namespace {

// Large reads keep zlib and the line splitter in their fast loops; a megabyte is also how
// often progress is reported.
constexpr unsigned kChunkBytes = 1u << 20;

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// --- The pre-filter: decides on the raw line whether it may be an event we import. It may
// let through a line that is not (the parsed event is checked again), never the reverse.

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// The string value of `"key": "value"` whose key starts at `at`, or nullopt if the value is
// not a string without escapes.
std::optional<std::string_view> string_value_at(std::string_view line, size_t at, size_t key_size) {
  size_t i = skip_space(line, at + key_size);
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  i = skip_space(line, i + 1);
  if (i >= line.size() || line[i] != '"') return std::nullopt;
  size_t end = line.find('"', i + 1);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view value = line.substr(i + 1, end - i - 1);
  if (value.find('\\') != std::string_view::npos) return std::nullopt;
  return value;
}

// A quoted key or value can appear raw only as a JSON string token: inside another string its
// quotes would be escaped. The first "type" whose value ends in "Event" is the event's type
// (nested objects carry types such as "User", never "...Event").
bool is_issue_event_line(std::string_view line) {
  constexpr std::string_view kKey = "\"type\"";
  for (size_t at = line.find(kKey); at != std::string_view::npos; at = line.find(kKey, at + kKey.size())) {
    std::optional<std::string_view> type = string_value_at(line, at, kKey.size());
    if (!type || !ends_with(*type, "Event")) continue;
    return *type == "IssuesEvent" || *type == "IssueCommentEvent";
  }
  return false;
}

// Whether some "repo": {... "name": "OWNER/NAME" ...} of the line is wanted. Unsure lines pass.
bool may_be_wanted_repository(std::string_view line, const std::unordered_set<std::string>& wanted) {
  constexpr std::string_view kRepo = "\"repo\"", kName = "\"name\"";
  bool found = false;
  for (size_t at = line.find(kRepo); at != std::string_view::npos; at = line.find(kRepo, at + kRepo.size())) {
    size_t object = skip_space(line, at + kRepo.size());
    if (object < line.size() && line[object] == ':') object = skip_space(line, object + 1);
    if (object >= line.size() || line[object] != '{') continue;
    size_t close = line.find('}', object);
    size_t name = line.find(kName, object);
    if (name == std::string_view::npos || name > close) continue;
    std::optional<std::string_view> value = string_value_at(line, name, kName.size());
    if (!value) return true;
    found = true;
    if (wanted.count(ascii_lower(*value))) return true;
  }
  return !found;
}

// The lines of a gzip file (or of a plain file), read in fixed-size chunks. A line is handed
// out as a view into the chunk; only a line that straddles two chunks is copied.
class LineReader {
 public:
  explicit LineReader(const std::filesystem::path& path) : path_(path.string()), buffer_(kChunkBytes) {
    file_ = gzopen(path_.c_str(), "rb");
    if (!file_) throw Error(path_ + ": cannot open: " + std::strerror(errno));
    // Reads of at least twice the buffer inflate straight into ours, without a copy.
    gzbuffer(file_, kChunkBytes / 4);
    if (ends_with(path_, ".gz") && gzdirect(file_)) {
      gzclose_r(file_);
      throw Error(path_ + ": not a gzip file");
    }
  }
  ~LineReader() { gzclose_r(file_); }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its end of line; false at the end of the file.
  bool next(std::string_view& line) {
    if (carry_used_) {
      carry_.clear();
      carry_used_ = false;
    }
    while (true) {
      if (pos_ < end_) {
        const char* start = buffer_.data() + pos_;
        const void* nl = std::memchr(start, '\n', end_ - pos_);
        if (nl) {
          size_t length = static_cast<const char*>(nl) - start;
          pos_ += length + 1;
          ++line_number_;
          if (carry_.empty()) {
            line = trim_cr(std::string_view(start, length));
          } else {
            carry_.append(start, length);
            carry_used_ = true;
            line = trim_cr(carry_);
          }
          return true;
        }
        carry_.append(start, end_ - pos_);
        pos_ = end_;
      }
      if (!fill()) break;
    }
    if (carry_.empty()) return false;
    ++line_number_;  // a last line without a newline
    carry_used_ = true;
    line = trim_cr(carry_);
    return true;
  }

  int64_t line_number() const { return line_number_; }
  int64_t bytes() const { return bytes_; }
  int64_t compressed_offset() const { return static_cast<int64_t>(gzoffset(file_)); }
  const std::string& path() const { return path_; }

 private:
  static std::string_view trim_cr(std::string_view s) { return ends_with(s, "\r") ? s.substr(0, s.size() - 1) : s; }

  // False at the end of the file. zlib reads concatenated gzip members as one stream, and
  // reports a stream cut short only through gzerror once the reads run dry.
  bool fill() {
    int n = gzread(file_, buffer_.data(), kChunkBytes);
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (n < 0 || (n == 0 && code != Z_OK)) {
      std::string reason = code == Z_BUF_ERROR ? "the gzip stream is truncated (unexpected end of file)"
                                               : std::string("corrupt gzip stream: ") + message;
      throw Error(path_ + ": line " + std::to_string(line_number_ + 1) + ": " + reason);
    }
    pos_ = 0;
    end_ = static_cast<size_t>(n);
    bytes_ += n;
    return n > 0;
  }

  std::string path_;
  gzFile file_ = nullptr;
  std::vector<char> buffer_;
  size_t pos_ = 0, end_ = 0;
  std::string carry_;  // the start of a line the previous chunk cut
  bool carry_used_ = false;
  int64_t line_number_ = 0;
  int64_t bytes_ = 0;
};

// One matched line: where it sits in its batch and in its file.
struct MatchedLine {
  size_t offset = 0, size = 0;
  int64_t number = 0;
};

// The lines of about one chunk that passed the pre-filter, copied out, with where the reader was.
struct LineBatch {
  std::string text;
  std::vector<MatchedLine> lines;
  int64_t lines_read = 0;  // of the file, up to the end of this batch
  int64_t bytes = 0;       // uncompressed, likewise
  int64_t compressed_offset = 0;
  std::exception_ptr error;  // the reader failed after this batch's lines
};

// Reads a file on a thread of its own: decompression, line splitting and the pre-filter run
// while the caller parses and writes the previous batch. A few batches wait at most, so
// memory stays bounded whatever the file's size.
class IssueEventReader {
 public:
  IssueEventReader(const std::filesystem::path& path, const std::unordered_set<std::string>& wanted)
      : reader_(path), wanted_(wanted), thread_([this] { run(); }) {}
  ~IssueEventReader() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  IssueEventReader(const IssueEventReader&) = delete;
  IssueEventReader& operator=(const IssueEventReader&) = delete;

  // The next batch; false after the last. Rethrows the reader's error after the lines before it.
  bool next(LineBatch& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) return false;
    batch = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return true;
  }

  const std::string& path() const { return reader_.path(); }

 private:
  static constexpr size_t kQueuedBatches = 4;

  void run() {
    LineBatch batch;
    try {
      std::string_view line;
      int64_t bytes = 0;
      while (reader_.next(line)) {
        if (is_issue_event_line(line) && (wanted_.empty() || may_be_wanted_repository(line, wanted_))) {
          batch.lines.push_back({batch.text.size(), line.size(), reader_.line_number()});
          batch.text.append(line);
        }
        if (reader_.bytes() != bytes) {  // a new chunk was read: hand over what came before
          bytes = reader_.bytes();
          if (!push(batch)) return;
        }
      }
    } catch (...) {
      batch.error = std::current_exception();
    }
    push(batch);
    std::lock_guard lock(mutex_);
    done_ = true;
    changed_.notify_all();
  }

  bool push(LineBatch& batch) {
    batch.lines_read = reader_.line_number();
    batch.bytes = reader_.bytes();
    batch.compressed_offset = reader_.compressed_offset();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kQueuedBatches || stop_; });
    if (stop_) return false;
    queue_.push_back(std::move(batch));
    batch = LineBatch();
    lock.unlock();
    changed_.notify_all();
    return true;
  }

  LineReader reader_;
  const std::unordered_set<std::string>& wanted_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<LineBatch> queue_;
  bool stop_ = false, done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};


// What one issue event asks of the store: an issue snapshot, and for a comment event a comment
// to upsert or delete. Parsing (on the parser threads) ends here; writing starts from it.
struct IssueEvent {
  std::string owner, name;  // of the event's repository
  IssueData issue;          // repository_id left 0
  bool comment_event = false;
  bool deleted = false;  // a comment event whose action is "deleted"
  CommentData comment;
  // Set by the Importer's look-ahead: a later snapshot makes this one's write pointless.
  bool issue_superseded = false, comment_superseded = false;
};

// --- The reference parser: nlohmann::json, with precise errors. Every line the fast parser
// below declines goes through it, so it defines what is accepted and what each error says.

// object[key], which must exist and have `type` (an object or a string).
json& member(json& object, const char* key, const std::string& where, json::value_t type) {
  auto it = object.find(key);
  if (it == object.end() || it->type() != type) {
    throw Error(where + ": field '" + key + "' must be " + (type == json::value_t::object ? "an object" : "a string") +
                (it == object.end() ? ", but is missing" : ", got " + json_type_name(*it)));
  }
  return *it;
}

// Whether a member is one the import never reads: avatars, API links, node ids, reactions,
// the actor... Leaving them out of the parsed tree saves most of its allocations.
bool unused_member(const std::string& key) {
  static const std::unordered_set<std::string> kUnused = {
      "url", "node_id", "actor", "org", "reactions", "performed_via_github_app", "assignee", "assignees",
      "milestone", "label", "gravatar_id", "site_admin", "active_lock_reason", "locked", "draft", "sub_issues_summary"};
  if (ends_with(key, "_url")) return key != "html_url" && key != "repository_url" && key != "issue_url";
  return kUnused.count(key) > 0;
}

json parse_event(std::string_view line, const std::string& path, int64_t number) {
  json::parser_callback_t keep = [](int, json::parse_event_t event, json& parsed) {
    return event != json::parse_event_t::key || !unused_member(parsed.get_ref<const std::string&>());
  };
  json event = json::parse(line, keep, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  // A parse error: parse again the usual way for the message naming line and column.
  if (event.is_discarded()) return parse_json(line, path, static_cast<size_t>(number));
  return event;
}

// The event of a line that passed the pre-filter; false if it is not one we import. Throws
// Error("PATH: line N: ...") for a malformed issue event.
bool parse_event_slowly(std::string_view line, const std::string& path, int64_t number,
                        const std::unordered_set<std::string>& wanted, IssueEvent& out) {
  std::string where = path + ": line " + std::to_string(number);
  json event = parse_event(line, path, number);
  if (!event.is_object()) throw Error(where + ": expected an event object, got " + json_type_name(event));
  const std::string& type = member(event, "type", where, json::value_t::string).get_ref<const std::string&>();
  if (type != "IssuesEvent" && type != "IssueCommentEvent") return false;
  const std::string& repo =
      member(member(event, "repo", where, json::value_t::object), "name", where + ": repo", json::value_t::string)
          .get_ref<const std::string&>();
  if (!wanted.empty() && !wanted.count(ascii_lower(repo))) return false;
  size_t slash = repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size()) {
    throw Error(where + ": repo.name '" + repo + "' is not OWNER/NAME");
  }
  out.owner = repo.substr(0, slash);
  out.name = repo.substr(slash + 1);
  out.comment_event = type == "IssueCommentEvent";
  auto payload_it = event.find("payload");
  if (payload_it != event.end() && payload_it->is_string()) {
    // BigQuery's GH Archive tables hold the payload as a string of JSON.
    *payload_it = parse_json(payload_it->get_ref<const std::string&>(), where + ": payload");
  }
  json& payload = member(event, "payload", where, json::value_t::object);
  json& issue_json = member(payload, "issue", where + ": payload", json::value_t::object);
  // Trimmed payloads may leave out html_url; the event names the repository.
  auto html_url = issue_json.find("html_url");
  if (html_url == issue_json.end() || html_url->is_null()) {
    auto n = issue_json.find("number");
    if (n != issue_json.end() && n->is_number_integer()) {
      issue_json["html_url"] = IssueLink{out.owner, out.name, n->get<int64_t>()}.url();
    }
  }
  out.issue = issue_from_json(issue_json, where + ": payload.issue").data;
  if (!out.comment_event) return true;
  out.comment =
      comment_from_json(member(payload, "comment", where + ": payload", json::value_t::object), where + ": payload.comment")
          .data;
  auto action = payload.find("action");
  out.deleted = action != payload.end() && action->is_string() && action->get_ref<const std::string&>() == "deleted";
  return true;
}

// --- The fast parser: a validating JSON scanner that builds no tree and copies out only the
// fields the store needs. It accepts a strict subset of what the reference parser accepts
// (no comments, no escaped keys, no repeated wanted keys, no exponents, no embedded comment
// arrays...) and, on that subset, extracts exactly what the reference parser does; on
// anything else it gives up (throws Decline) and the line goes to the reference parser, which
// either agrees or names the error.

struct Decline {};

class Scanner {
 public:
  explicit Scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  char peek() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    if (p_ >= end_) throw Decline{};
    return *p_;
  }
  bool at_end() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    return p_ == end_;
  }
  void expect(char c) {
    if (peek() != c) throw Decline{};
    ++p_;
  }

  // Moves past string bytes that need no attention (not a quote, a backslash, a control
  // character or a UTF-8 byte), 16 at a time where SSE2 is there; the caller looks at the rest.
  void skip_plain() {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end_ - p_ >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      // Signed, so bytes >= 0x80 (UTF-8) count as below 0x20 along with control characters.
      __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                     _mm_cmplt_epi8(v, space));
      int mask = _mm_movemask_epi8(special);
      if (mask != 0) {
        p_ += __builtin_ctz(static_cast<unsigned>(mask));
        return;
      }
      p_ += 16;
    }
#endif
  }

  // A string's raw content (between the quotes), validated as the reference parser would:
  // UTF-8, no control characters, known escapes, paired surrogates.
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
      } else if (c < 0x20) {
        throw Decline{};
      } else if (c < 0x80) {
        ++p_;
      } else {
        utf8();
      }
    }
  }

  // A string's content, validated and unescaped in one pass into `buffer` (grown as needed,
  // never shrunk: the unescaped text is no longer than the rest of the input). Returns the
  // content, a view into `buffer`.
  std::string_view unescaped_string(std::vector<char>& buffer) {
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
                      : e == 'n'                          ? '\n'
                      : e == 't'                          ? '\t'
                      : e == 'r'                          ? '\r'
                      : e == 'b'                          ? '\b'
                      : e == 'f'                          ? '\f'
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
      } else if (c < 0x20) {
        throw Decline{};
      } else if (c < 0x80) {
        ++p_;
      } else {
        utf8();
      }
    }
  }

  void string(std::string& out) {
    bool escaped = false;
    std::string_view raw = raw_string(escaped);
    if (escaped) {
      unescape(raw, out);
    } else {
      out.assign(raw);
    }
  }

  // A string or null (an absent member leaves `out` empty too).
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
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') value = value * 10 + (*p_++ - '0');
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
    } else if (c >= 0xE0 && c <= 0xEF && left >= 3 &&
               cont(1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) && cont(2)) {
      p_ += 3;
    } else if (c >= 0xF0 && c <= 0xF4 && left >= 4 &&
               cont(1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) && cont(2) && cont(3)) {
      p_ += 4;
    } else {
      throw Decline{};
    }
  }

  static void append_utf8(std::string& out, uint32_t code) {
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

  // Appends what the escape at p (validated) stands for; returns its length in bytes (2, 6, or
  // 12 for a surrogate pair).
  static size_t decode_escape(const char* p, const char* end, std::string& out) {
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
  static void unescape(std::string_view raw, std::string& out) {
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

  const char* p_;
  const char* end_;
};

// Marks a wanted member seen; a repeated one is left to the reference parser.
inline void once(bool& seen) {
  if (seen) throw Decline{};
  seen = true;
}

void scan_login(Scanner& s, std::optional<std::string>& author) {
  if (s.null()) return;
  if (s.peek() != '{') throw Decline{};
  bool login = false;
  s.object([&](std::string_view key) {
    if (key == "login") {
      once(login);
      s.optional_string(author);
    } else {
      s.skip();
    }
  });
}

void scan_issue(Scanner& s, const IssueEvent& event, IssueData& d) {
  if (s.peek() != '{') throw Decline{};
  bool number = false, html_url = false, repository_url = false, id = false, title = false, body = false,
       state = false, state_reason = false, user = false, association = false, created = false, updated = false,
       closed = false, pull_request = false, labels = false, comments = false;
  std::optional<std::string> url, ignored;
  std::optional<int64_t> n;
  s.object([&](std::string_view key) {
    if (key == "number") {
      once(number);
      s.optional_integer(n);
    } else if (key == "html_url") {
      once(html_url);
      s.optional_string(url);
    } else if (key == "repository_url") {
      once(repository_url);
      s.optional_string(ignored);  // read only when html_url names no issue: declined below
    } else if (key == "id") {
      once(id);
      s.optional_integer(d.github_id);
    } else if (key == "title") {
      once(title);
      s.optional_string(d.title);
    } else if (key == "body") {
      once(body);
      s.optional_string(d.body);
    } else if (key == "state") {
      once(state);
      s.optional_string(d.state);
    } else if (key == "state_reason") {
      once(state_reason);
      s.optional_string(d.state_reason);
    } else if (key == "user") {
      once(user);
      scan_login(s, d.author);
    } else if (key == "author_association") {
      once(association);
      s.optional_string(d.author_association);
    } else if (key == "created_at") {
      once(created);
      s.optional_string(d.created_at);
    } else if (key == "updated_at") {
      once(updated);
      s.optional_string(d.updated_at);
    } else if (key == "closed_at") {
      once(closed);
      s.optional_string(d.closed_at);
    } else if (key == "pull_request") {
      once(pull_request);
      d.is_pull_request = !s.null();
      if (d.is_pull_request) s.skip();
    } else if (key == "labels") {
      once(labels);
      if (s.null()) return;
      s.array([&] {
        if (s.peek() == '"') {
          s.string(d.labels.emplace_back());
          return;
        }
        if (s.peek() != '{') throw Decline{};
        bool name = false;
        s.object([&](std::string_view label_key) {
          if (label_key == "name") {
            once(name);
            if (s.peek() != '"') throw Decline{};
            s.string(d.labels.emplace_back());
          } else {
            s.skip();
          }
        });
        if (!name) throw Decline{};
      });
    } else if (key == "comments") {
      once(comments);
      s.optional_integer(d.comments_count);  // an array of embedded comments declines
    } else {
      s.skip();
    }
  });
  if (!n || *n <= 0) throw Decline{};
  d.number = *n;
  // Trimmed payloads may leave out html_url; the event names the repository.
  d.url = url ? *url : IssueLink{event.owner, event.name, d.number}.url();
  if (!parse_issue_link(d.url)) throw Decline{};
}

void scan_comment(Scanner& s, CommentData& c) {
  if (s.peek() != '{') throw Decline{};
  bool id = false, user = false, association = false, body = false, created = false, updated = false,
       html_url = false, issue_url = false;
  std::optional<int64_t> github_id;
  std::optional<std::string> ignored;
  s.object([&](std::string_view key) {
    if (key == "id") {
      once(id);
      s.optional_integer(github_id);
    } else if (key == "user") {
      once(user);
      scan_login(s, c.author);
    } else if (key == "author_association") {
      once(association);
      s.optional_string(c.author_association);
    } else if (key == "body") {
      once(body);
      s.optional_string(c.body);
    } else if (key == "created_at") {
      once(created);
      s.optional_string(c.created_at);
    } else if (key == "updated_at") {
      once(updated);
      s.optional_string(c.updated_at);
    } else if (key == "html_url") {
      once(html_url);
      s.optional_string(c.url);
    } else if (key == "issue_url") {
      once(issue_url);
      s.optional_string(ignored);  // must be a string or null when read
    } else {
      s.skip();
    }
  });
  if (!github_id) throw Decline{};
  c.github_id = *github_id;
}

void scan_payload(Scanner& s, IssueEvent& event) {
  if (s.peek() != '{') throw Decline{};
  bool action = false, issue = false, comment = false;
  s.object([&](std::string_view key) {
    if (key == "action") {
      once(action);
      if (s.peek() == '"') {
        std::string value;
        s.string(value);
        event.deleted = value == "deleted";
      } else {
        s.skip();
      }
    } else if (key == "issue") {
      once(issue);
      scan_issue(s, event, event.issue);
    } else if (key == "comment" && event.comment_event) {
      once(comment);
      scan_comment(s, event.comment);
    } else {
      s.skip();
    }
  });
  if (!issue || (event.comment_event && !comment)) throw Decline{};
  if (!event.comment_event) event.deleted = false;
}

enum class FastResult { kEvent, kSkip, kDeclined };

// Like parse_event_slowly, on the subset of lines the fast parser takes.
FastResult parse_event_quickly(std::string_view line, const std::unordered_set<std::string>& wanted, IssueEvent& out) {
  try {
    Scanner s(line);
    if (s.peek() != '{') throw Decline{};
    bool have_type = false, have_repo = false, have_payload = false, payload_done = false;
    std::string_view type;
    std::string repo;
    const char* payload_start = nullptr;
    const char* payload_end = nullptr;
    // -1: not decided yet (type or repo not seen); 0: not imported; 1: imported.
    auto decide = [&]() -> int {
      if (!have_type || !have_repo) return -1;
      if (type != "IssuesEvent" && type != "IssueCommentEvent") return 0;
      if (!wanted.empty() && !wanted.count(ascii_lower(repo))) return 0;
      size_t slash = repo.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size()) throw Decline{};
      out.owner = repo.substr(0, slash);
      out.name = repo.substr(slash + 1);
      out.comment_event = type == "IssueCommentEvent";
      return 1;
    };
    auto payload = [&](Scanner& p) {
      if (p.peek() == '"') {  // BigQuery: a string holding the payload's JSON
        // Unescaped in one pass into a buffer each parser thread keeps, then scanned.
        thread_local std::vector<char> buffer;
        Scanner inner(p.unescaped_string(buffer));
        scan_payload(inner, out);
        if (!inner.at_end()) throw Decline{};
      } else {
        scan_payload(p, out);
      }
    };
    s.object([&](std::string_view key) {
      if (key == "type") {
        once(have_type);
        bool escaped = false;
        if (s.peek() != '"') throw Decline{};
        type = s.raw_string(escaped);
        if (escaped) throw Decline{};
      } else if (key == "repo") {
        once(have_repo);
        if (s.peek() != '{') throw Decline{};
        bool name = false;
        s.object([&](std::string_view repo_key) {
          if (repo_key == "name") {
            once(name);
            if (s.peek() != '"') throw Decline{};
            s.string(repo);
          } else {
            s.skip();
          }
        });
        if (!name) throw Decline{};
      } else if (key == "payload") {
        once(have_payload);
        if (decide() == 1) {  // the usual order: type and repo first, so the payload is read in place
          payload(s);
          payload_done = true;
        } else {
          s.peek();
          payload_start = s.position();
          s.skip();
          payload_end = s.position();
        }
      } else {
        s.skip();
      }
    });
    if (!s.at_end() || !have_type) throw Decline{};
    if (type != "IssuesEvent" && type != "IssueCommentEvent") return FastResult::kSkip;
    if (!have_repo) throw Decline{};
    int decision = decide();
    if (decision == 0) return FastResult::kSkip;
    if (!have_payload) throw Decline{};
    if (!payload_done) {
      Scanner p(std::string_view(payload_start, static_cast<size_t>(payload_end - payload_start)));
      payload(p);
    }
    return FastResult::kEvent;
  } catch (const Decline&) {
    out = IssueEvent();
    return FastResult::kDeclined;
  }
}

// The events of one batch of lines, parsed; `error` is the first line's error, after the
// events of the lines before it (the lines after it are not parsed).
struct EventBatch {
  std::vector<IssueEvent> events;
  std::exception_ptr error;
  int64_t lines_read = 0, bytes = 0, compressed_offset = 0;
};

void parse_batch(LineBatch& lines, const std::string& path, const std::unordered_set<std::string>& wanted,
                 EventBatch& out) {
  out.lines_read = lines.lines_read;
  out.bytes = lines.bytes;
  out.compressed_offset = lines.compressed_offset;
  out.events.reserve(lines.lines.size());
  try {
    IssueEvent event;
    for (const MatchedLine& l : lines.lines) {
      std::string_view line = std::string_view(lines.text).substr(l.offset, l.size);
      FastResult r = parse_event_quickly(line, wanted, event);
      if (r == FastResult::kDeclined && parse_event_slowly(line, path, l.number, wanted, event)) r = FastResult::kEvent;
      if (r == FastResult::kEvent) out.events.push_back(std::move(event));
      event = IssueEvent();
    }
  } catch (...) {
    out.error = std::current_exception();
    return;
  }
  out.error = lines.error;  // the reader's, after all of this batch's lines
}

// Parses a file's batches on `threads` threads and hands them out in file order: the reader
// thread splits lines, parser threads each take the next batch, and next() waits for the
// batch that comes next. At most kAhead batches are read but not yet handed out, so memory
// stays bounded whatever the file's size and however slow the consumer.
class ParallelParser {
 public:
  ParallelParser(const std::filesystem::path& path, const std::unordered_set<std::string>& wanted, unsigned threads)
      : reader_(path, wanted), wanted_(wanted), ahead_(2 * static_cast<int64_t>(threads) + 2) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~ParallelParser() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  ParallelParser(const ParallelParser&) = delete;
  ParallelParser& operator=(const ParallelParser&) = delete;

  // The next batch in file order; false after the last.
  bool next(EventBatch& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return done_.count(next_out_) || (end_ && next_out_ == *end_); });
    auto it = done_.find(next_out_);
    if (it == done_.end()) return false;
    batch = std::move(it->second);
    done_.erase(it);
    ++next_out_;
    lock.unlock();
    changed_.notify_all();
    return true;
  }

 private:
  void work() {
    while (true) {
      LineBatch lines;
      int64_t sequence = 0;
      {
        // Taking a batch and numbering it happen under take_mutex_, so numbers follow the
        // file. Lock order: take_mutex_, then mutex_.
        std::unique_lock take(take_mutex_);
        {
          std::unique_lock lock(mutex_);
          changed_.wait(lock, [&] { return stop_ || end_ || next_in_ - next_out_ < ahead_; });
          if (stop_ || end_) return;
        }
        bool more = reader_.next(lines);
        std::lock_guard lock(mutex_);
        if (!more) {
          end_ = next_in_;
          changed_.notify_all();
          return;
        }
        sequence = next_in_++;
      }
      EventBatch events;
      parse_batch(lines, reader_.path(), wanted_, events);
      {
        std::lock_guard lock(mutex_);
        done_.emplace(sequence, std::move(events));
      }
      changed_.notify_all();
    }
  }

  IssueEventReader reader_;
  const std::unordered_set<std::string>& wanted_;
  const int64_t ahead_;
  std::mutex mutex_, take_mutex_;
  std::condition_variable changed_;
  std::map<int64_t, EventBatch> done_;  // parsed, waiting for next()
  int64_t next_in_ = 0, next_out_ = 0;
  std::optional<int64_t> end_;  // the number of batches, once the reader is done
  bool stop_ = false;
  std::vector<std::thread> workers_;  // last: start once the members above exist
};

// Whether an issue snapshot takes part in superseding: with a title (so the row it leaves is
// not a placeholder) and an updated_at (so the store's newer-wins rule decides by it).
bool plain_issue(const IssueData& d) { return d.title.has_value() && d.updated_at.has_value(); }

struct IssueKey {
  int64_t repository_id, number;
  bool operator==(const IssueKey&) const = default;
};
struct IssueKeyHash {
  size_t operator()(const IssueKey& k) const {
    return std::hash<int64_t>()(k.repository_id * 1000003 + k.number);
  }
};

// Writes parsed events in file order, counting what each did, with a look-ahead of a few
// batches to leave out writes a later event of the window makes pointless:
//
// - an issue snapshot whose next snapshot of the same issue (repository, number) in the
//   window has updated_at >= its own (both with a title and updated_at): whatever the row
//   holds before the two, the store's rule (a snapshot older than the stored one is kept
//   out, ties and placeholders are overwritten) leaves the later snapshot's content after
//   both, or the stored row after both — with or without the earlier write. Counted as
//   superseded_issues; the row is still created (as a placeholder, which the later snapshot
//   fills and counts as new) when a comment needs its id.
// - a comment upsert whose next event for the same github_id is an upsert with updated_at
//   >= its own (both with updated_at), by the same argument. A delete between them keeps
//   both, so deletes and the edits around them are applied in order as before. Counted as
//   superseded_comments.
//
// The final rows equal those of writing every event (row ids may differ: a skipped first
// snapshot no longer takes its id first). Windows are made of whole batches, whose bounds
// depend only on the file, so the counts do not depend on the number of threads.
class Importer {
 public:
  static constexpr size_t kWindowBatches = 16;

  Importer(Store& store, const Preset& preset, GharchiveImportSummary& summary)
      : store_(store), preset_(preset), summary_(summary) {}

  // Takes a batch in file order; writes the batches that left the window. True if it wrote one.
  bool add(EventBatch&& batch) {
    window_.push_back(std::move(batch));
    for (IssueEvent& event : window_.back().events) look_ahead(event);
    bool wrote = false;
    while (window_.size() > kWindowBatches) {
      write_first();
      wrote = true;
    }
    return wrote;
  }

  // Writes everything in the window, in order; at the end of a file, and before an error.
  bool flush() {
    bool wrote = !window_.empty();
    while (!window_.empty()) write_first();
    return wrote;
  }

  // The batch last written (its events cleared): where the reader was.
  const EventBatch& written() const { return written_; }

  int64_t repositories() const { return static_cast<int64_t>(repositories_.size()); }

 private:
  void look_ahead(IssueEvent& event) {
    // Repositories are upserted as events enter, in file order: ids as in the serial import.
    event.issue.repository_id = repository_id(event.owner, event.name);
    IssueEvent*& last = last_issue_[IssueKey{event.issue.repository_id, event.issue.number}];
    if (last && plain_issue(last->issue) && plain_issue(event.issue) &&
        *event.issue.updated_at >= *last->issue.updated_at) {
      last->issue_superseded = true;
    }
    last = &event;
    if (!event.comment_event) return;
    IssueEvent*& last_comment = last_comment_[event.comment.github_id];
    if (last_comment && !last_comment->deleted && !event.deleted && last_comment->comment.updated_at &&
        event.comment.updated_at && *event.comment.updated_at >= *last_comment->comment.updated_at) {
      last_comment->comment_superseded = true;
    }
    last_comment = &event;
  }

  void write_first() {
    EventBatch& batch = window_.front();
    for (IssueEvent& event : batch.events) {
      auto issue = last_issue_.find(IssueKey{event.issue.repository_id, event.issue.number});
      if (issue != last_issue_.end() && issue->second == &event) last_issue_.erase(issue);
      if (event.comment_event) {
        auto comment = last_comment_.find(event.comment.github_id);
        if (comment != last_comment_.end() && comment->second == &event) last_comment_.erase(comment);
      }
      write(event);
    }
    std::exception_ptr error = batch.error;
    written_ = std::move(batch);
    written_.events.clear();
    window_.pop_front();
    if (error) std::rethrow_exception(error);  // after the lines before it, as the serial import
  }

  void write(IssueEvent& event) {
    GharchiveImportSummary& s = summary_;
    ++s.events;
    ++s.issues;
    s.pull_requests += event.issue.is_pull_request;
    bool need_id = event.comment_event && !event.deleted && !event.comment_superseded;
    int64_t issue_id = 0;
    if (event.issue_superseded) {
      ++s.superseded_issues;
      if (need_id) issue_id = issue_row(event.issue);
    } else {
      auto [id, result] = store_.upsert_issue(event.issue);
      issue_id = id;
      switch (result) {
        case UpsertResult::kInserted: ++s.new_issues; break;
        case UpsertResult::kUpdated: ++s.updated_issues; break;
        case UpsertResult::kUnchanged: ++s.unchanged_issues; break;
        case UpsertResult::kOlder: ++s.older_issues; break;
      }
    }
    if (!event.comment_event) return;
    ++s.comments;
    if (event.deleted) {
      Query remove = store_.db().query("DELETE FROM comments WHERE github_id = ?");
      remove.bind(1, event.comment.github_id).run();
      s.deleted_comments += store_.db().changes();
      return;
    }
    if (event.comment_superseded) {
      ++s.superseded_comments;
      return;
    }
    switch (store_.upsert_comment(issue_id, event.comment)) {
      case UpsertResult::kInserted: ++s.new_comments; break;
      case UpsertResult::kUpdated: ++s.updated_comments; break;
      case UpsertResult::kUnchanged: ++s.unchanged_comments; break;
      case UpsertResult::kOlder: ++s.older_comments; break;
    }
  }

  // The id of an issue's row, created as a placeholder (as upsert_issue would before filling
  // it) if there is none yet; the snapshot that superseded this one fills it.
  int64_t issue_row(const IssueData& issue) {
    Query find = store_.db().query("SELECT id FROM issues WHERE repository_id = ? AND number = ?");
    find.bind(1, issue.repository_id).bind(2, issue.number);
    std::optional<int64_t> id;
    if (find.step()) id = find.column_int(0);
    if (id) return *id;
    store_.db()
        .query("INSERT INTO issues (repository_id, number, url) VALUES (?, ?, ?)")
        .bind(1, issue.repository_id)
        .bind(2, issue.number)
        .bind(3, issue.url)
        .run();
    return store_.db().last_insert_rowid();
  }

  int64_t repository_id(const std::string& owner, const std::string& name) {
    std::string key = owner + "/" + name;
    auto it = repositories_.find(key);
    if (it != repositories_.end()) return it->second;
    int64_t id = store_.upsert_repository(repository_info(preset_, owner, name));
    repositories_.emplace(std::move(key), id);
    return id;
  }

  Store& store_;
  const Preset& preset_;
  GharchiveImportSummary& summary_;
  std::unordered_map<std::string, int64_t> repositories_;
  std::deque<EventBatch> window_;  // parsed, not written yet; the events do not move
  // The last event of the window for each issue and each comment.
  std::unordered_map<IssueKey, IssueEvent*, IssueKeyHash> last_issue_;
  std::unordered_map<int64_t, IssueEvent*> last_comment_;
  EventBatch written_;
};

// For the import's one long transaction, a rollback journal instead of the WAL: pages the
// transaction adds to the file (most of them, for an import into a new or growing database)
// need no journal copy and are written once, where in WAL mode each is written to the WAL and
// then copied again into the database by the checkpoint that follows the commit (about 0.25 s
// of kernel time per GB of events). Atomicity stays: a rollback journal is all-or-nothing
// too, with synchronous = FULL so that it also holds across a power loss. The cost: other
// processes reading the database while the import runs may see "database is locked" once
// the import spills pages, instead of the snapshot before it. The journal mode is switched
// only when nothing else holds the database (SQLite refuses otherwise: the import then runs
// in WAL mode as before), and WAL mode and synchronous = NORMAL are restored afterwards.
class RollbackJournalForImport {
 public:
  explicit RollbackJournalForImport(Database& db) : db_(db) {
    try {
      if (journal_mode("PRAGMA journal_mode") != "wal") return;  // in memory, or read as configured
      if (journal_mode("PRAGMA journal_mode = DELETE") != "delete") return;
      switched_ = true;
      db_.exec("PRAGMA synchronous = FULL");
    } catch (const Error&) {
      // Busy: stay in WAL mode.
    }
  }
  ~RollbackJournalForImport() {
    if (!switched_) return;
    try {
      db_.exec("PRAGMA journal_mode = WAL");
      db_.exec("PRAGMA synchronous = NORMAL");
    } catch (...) {
      // Every open sets WAL mode again.
    }
  }
  RollbackJournalForImport(const RollbackJournalForImport&) = delete;
  RollbackJournalForImport& operator=(const RollbackJournalForImport&) = delete;

 private:
  std::string journal_mode(const std::string& sql) {
    Query s = db_.query(sql);
    std::string mode = s.step() ? s.column_text(0) : "";
    return mode;
  }

  Database& db_;
  bool switched_ = false;
};

}  // namespace

GharchiveImportSummary import_gharchive(Store& store, const Preset& preset,
                                        const std::vector<std::filesystem::path>& files,
                                        const GharchiveOptions& options) {
  if (files.empty()) throw Error("import gharchive: no files given");
  GharchiveImportSummary s;
  GharchiveProgress progress;
  for (const auto& f : files) {
    std::error_code ec;
    auto size = std::filesystem::file_size(f, ec);
    if (ec) throw Error(f.string() + ": cannot read: " + ec.message());
    progress.compressed_bytes_total += static_cast<int64_t>(size);
  }

  std::unordered_set<std::string> wanted;  // lower case
  for (const std::string& r : options.repositories) {
    if (r.find('/') == std::string::npos) throw Error("--repo " + r + ": expected OWNER/NAME");
    wanted.insert(ascii_lower(r));
  }
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  RollbackJournalForImport journal(store.db());  // outlives the transaction
  Transaction tx(store.db());
  s.run_id = store.begin_run("import gharchive", options.argv, nullptr);
  Importer importer(store, preset, s);
  int64_t done_bytes = 0;  // compressed bytes of the files finished
  // The next file is opened and read ahead while this one is written, so the pipeline does
  // not drain between files (its queues are bounded as this one's). An error opening it is
  // kept and thrown when its turn comes, after this file's.
  struct Opened {
    std::unique_ptr<ParallelParser> parser;
    std::exception_ptr error;
  };
  auto open = [&](const std::filesystem::path& f) {
    Opened o;
    try {
      o.parser = std::make_unique<ParallelParser>(f, wanted, threads);
    } catch (...) {
      o.error = std::current_exception();
    }
    return o;
  };
  Opened current = open(files.front());
  for (size_t k = 0; k < files.size(); ++k) {
    const std::filesystem::path& f = files[k];
    Opened next;
    if (k + 1 < files.size()) next = open(files[k + 1]);
    if (current.error) std::rethrow_exception(current.error);
    ParallelParser& parser = *current.parser;
    EventBatch batch;
    int64_t file_lines = 0, file_bytes = 0;  // as far as the batches went
    auto written = [&] {  // after every chunk written
      const EventBatch& last = importer.written();
      if (options.progress) {
        progress.compressed_bytes = done_bytes + last.compressed_offset;
        progress.events = s.events;
        progress.issues = s.issues;
        options.progress(progress);
      }
      file_lines = last.lines_read;
      file_bytes = last.bytes;
    };
    while (parser.next(batch)) {
      bool error = static_cast<bool>(batch.error);
      if (importer.add(std::move(batch))) written();
      batch = EventBatch();
      if (error) importer.flush();  // throws after the lines before the error
    }
    if (importer.flush()) written();
    s.lines += file_lines;
    s.bytes += file_bytes;
    done_bytes += static_cast<int64_t>(std::filesystem::file_size(f));
    ++s.files;
    current = std::move(next);
  }
  s.repositories = importer.repositories();

  nlohmann::json summary = {{"files", s.files},
                            {"bytes", s.bytes},
                            {"lines", s.lines},
                            {"events", s.events},
                            {"issues", s.issues},
                            {"pull_requests", s.pull_requests},
                            {"new_issues", s.new_issues},
                            {"updated_issues", s.updated_issues},
                            {"unchanged_issues", s.unchanged_issues},
                            {"older_issues", s.older_issues},
                            {"superseded_issues", s.superseded_issues},
                            {"comments", s.comments},
                            {"new_comments", s.new_comments},
                            {"updated_comments", s.updated_comments},
                            {"unchanged_comments", s.unchanged_comments},
                            {"older_comments", s.older_comments},
                            {"superseded_comments", s.superseded_comments},
                            {"deleted_comments", s.deleted_comments},
                            {"repositories", s.repositories},
                            {"repository_filter", options.repositories}};
  store.finish_run(s.run_id, "ok", summary.dump());
  tx.commit();
  return s;
}

}  // namespace firstmile
