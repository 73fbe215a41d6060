// mine/gharchive.cpp — stream GH Archive dumps line by line; parse only the issue events.
#include "mine/gharchive.h"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_set>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "base/error.h"
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
    gzbuffer(file_, kChunkBytes);
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

RepositoryInfo repository_info(const Preset& preset, const std::string& owner, const std::string& name) {
  RepositoryInfo info{owner, name, "", "", ""};
  if (const PresetRepository* known = preset.repository(owner, name)) {
    info.series = known->series;
    info.model = known->model;
    info.architecture = known->architecture;
  } else if (preset.knows_owner(owner)) {
    info.series = preset.series_for_owner(owner);
  }
  return info;
}

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

class Importer {
 public:
  Importer(Store& store, const Preset& preset, const GharchiveOptions& options, GharchiveImportSummary& summary)
      : store_(store), preset_(preset), summary_(summary) {
    for (const std::string& r : options.repositories) {
      if (r.find('/') == std::string::npos) throw Error("--repo " + r + ": expected OWNER/NAME");
      wanted_.insert(ascii_lower(r));
    }
  }

  const std::unordered_set<std::string>& wanted() const { return wanted_; }

  // Parses and writes a line that passed the pre-filter, if it is an event we want.
  void take(std::string_view line, const std::string& path, int64_t number) {
    std::string where = path + ": line " + std::to_string(number);
    json event = parse_event(line, path, number);
    if (!event.is_object()) throw Error(where + ": expected an event object, got " + json_type_name(event));
    const std::string& type = member(event, "type", where, json::value_t::string).get_ref<const std::string&>();
    if (type != "IssuesEvent" && type != "IssueCommentEvent") return;
    const std::string& repo =
        member(member(event, "repo", where, json::value_t::object), "name", where + ": repo", json::value_t::string)
            .get_ref<const std::string&>();
    if (!wanted_.empty() && !wanted_.count(ascii_lower(repo))) return;
    size_t slash = repo.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size()) {
      throw Error(where + ": repo.name '" + repo + "' is not OWNER/NAME");
    }
    auto payload = event.find("payload");
    if (payload != event.end() && payload->is_string()) {
      // BigQuery's GH Archive tables hold the payload as a string of JSON.
      *payload = parse_json(payload->get_ref<const std::string&>(), where + ": payload");
    }
    import_event(member(event, "payload", where, json::value_t::object), type == "IssueCommentEvent", repo.substr(0, slash), repo.substr(slash + 1), where);
  }

  int64_t repositories() const { return static_cast<int64_t>(repositories_.size()); }

 private:
  void import_event(json& payload, bool comment_event, const std::string& owner, const std::string& name,
                    const std::string& where) {
    GharchiveImportSummary& s = summary_;
    json& issue_json = member(payload, "issue", where + ": payload", json::value_t::object);
    // Trimmed payloads may leave out html_url; the event names the repository.
    auto html_url = issue_json.find("html_url");
    if (html_url == issue_json.end() || html_url->is_null()) {
      auto number = issue_json.find("number");
      if (number != issue_json.end() && number->is_number_integer()) {
        issue_json["html_url"] = IssueLink{owner, name, number->get<int64_t>()}.url();
      }
    }
    GithubIssue issue = issue_from_json(issue_json, where + ": payload.issue");
    issue.data.repository_id = repository_id(owner, name);
    ++s.events;
    ++s.issues;
    s.pull_requests += issue.data.is_pull_request;
    auto [issue_id, result] = store_.upsert_issue(issue.data);
    switch (result) {
      case UpsertResult::kInserted: ++s.new_issues; break;
      case UpsertResult::kUpdated: ++s.updated_issues; break;
      case UpsertResult::kUnchanged: ++s.unchanged_issues; break;
      case UpsertResult::kOlder: ++s.older_issues; break;
    }
    if (!comment_event) return;
    ++s.comments;
    GithubComment comment =
        comment_from_json(member(payload, "comment", where + ": payload", json::value_t::object), where + ": payload.comment");
    auto action = payload.find("action");
    if (action != payload.end() && action->is_string() && action->get_ref<const std::string&>() == "deleted") {
      Statement& remove = store_.db().prepare("DELETE FROM comments WHERE github_id = ?");
      remove.bind(1, comment.data.github_id).run();
      s.deleted_comments += store_.db().changes();
      return;
    }
    switch (store_.upsert_comment(issue_id, comment.data)) {
      case UpsertResult::kInserted: ++s.new_comments; break;
      case UpsertResult::kUpdated: ++s.updated_comments; break;
      case UpsertResult::kUnchanged: break;
      case UpsertResult::kOlder: ++s.older_comments; break;
    }
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
  std::unordered_set<std::string> wanted_;  // lower case
  std::map<std::string, int64_t> repositories_;
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

  Transaction tx(store.db());
  s.run_id = store.begin_run("import gharchive", options.argv, nullptr);
  Importer importer(store, preset, options, s);
  int64_t done_bytes = 0;  // compressed bytes of the files finished
  for (const auto& f : files) {
    IssueEventReader reader(f, importer.wanted());
    LineBatch batch;
    int64_t file_lines = 0, file_bytes = 0;  // as far as the batches went
    while (reader.next(batch)) {
      for (const MatchedLine& l : batch.lines) {
        importer.take(std::string_view(batch.text).substr(l.offset, l.size), reader.path(), l.number);
      }
      if (batch.error) std::rethrow_exception(batch.error);
      if (options.progress) {  // after every chunk, and once at the end of the file
        progress.compressed_bytes = done_bytes + batch.compressed_offset;
        progress.events = s.events;
        progress.issues = s.issues;
        options.progress(progress);
      }
      file_lines = batch.lines_read;
      file_bytes = batch.bytes;
    }
    s.lines += file_lines;
    s.bytes += file_bytes;
    done_bytes += static_cast<int64_t>(std::filesystem::file_size(f));
    ++s.files;
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
                            {"comments", s.comments},
                            {"new_comments", s.new_comments},
                            {"updated_comments", s.updated_comments},
                            {"older_comments", s.older_comments},
                            {"deleted_comments", s.deleted_comments},
                            {"repositories", s.repositories},
                            {"repository_filter", options.repositories}};
  store.finish_run(s.run_id, "ok", summary.dump());
  tx.commit();
  return s;
}

}  // namespace firstmile
