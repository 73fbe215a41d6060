// mine/gharchive_parser.cpp — the reader thread, the parser threads, and the hand-out in order.
#include "mine/gharchive_parser.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "mine/gzip_lines.h"

namespace firstmile {

namespace {

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
// while the parsers work on the previous batches. A few batches wait at most.
class IssueEventReader {
 public:
  IssueEventReader(const std::filesystem::path& path, const WantedRepositories& wanted)
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

  // The next batch; false after the last. A batch carries the reader's error after its lines.
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

  GzipLineReader reader_;
  const WantedRepositories& wanted_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<LineBatch> queue_;
  bool stop_ = false, done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

void parse_batch(LineBatch& lines, const std::string& path, const WantedRepositories& wanted, EventBatch& out) {
  out.lines_read = lines.lines_read;
  out.bytes = lines.bytes;
  out.compressed_offset = lines.compressed_offset;
  out.events.reserve(lines.lines.size());
  try {
    IssueEvent event;
    for (const MatchedLine& l : lines.lines) {
      std::string_view line = std::string_view(lines.text).substr(l.offset, l.size);
      if (parse_issue_event(line, path, l.number, wanted, event)) out.events.push_back(std::move(event));
      event = IssueEvent();
    }
  } catch (...) {
    out.error = std::current_exception();
    return;
  }
  out.error = lines.error;  // the reader's, after all of this batch's lines
}

}  // namespace

// Parser threads each take the next batch from the reader and number it; next() hands the
// batches out by number. At most `ahead_` batches are read but not yet handed out.
class ParallelParser::Pipeline {
 public:
  Pipeline(const std::filesystem::path& path, const WantedRepositories& wanted, unsigned threads)
      : reader_(path, wanted), wanted_(wanted), ahead_(2 * static_cast<int64_t>(threads) + 2) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pipeline() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

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
      if (!take(lines, sequence)) return;
      EventBatch events;
      parse_batch(lines, reader_.path(), wanted_, events);
      {
        std::lock_guard lock(mutex_);
        done_.emplace(sequence, std::move(events));
      }
      changed_.notify_all();
    }
  }

  // The reader's next batch and its number; false when there is none or the pipeline stops.
  // Taking a batch and numbering it happen under take_mutex_, so numbers follow the file.
  // Lock order: take_mutex_, then mutex_.
  bool take(LineBatch& lines, int64_t& sequence) {
    std::unique_lock taking(take_mutex_);
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || end_ || next_in_ - next_out_ < ahead_; });
      if (stop_ || end_) return false;
    }
    bool more = reader_.next(lines);
    std::lock_guard lock(mutex_);
    if (!more) {
      end_ = next_in_;
      changed_.notify_all();
      return false;
    }
    sequence = next_in_++;
    return true;
  }

  IssueEventReader reader_;
  const WantedRepositories& wanted_;
  const int64_t ahead_;
  std::mutex mutex_, take_mutex_;
  std::condition_variable changed_;
  std::map<int64_t, EventBatch> done_;  // parsed, waiting for next()
  int64_t next_in_ = 0, next_out_ = 0;
  std::optional<int64_t> end_;  // the number of batches, once the reader is done
  bool stop_ = false;
  std::vector<std::thread> workers_;  // last: start once the members above exist
};

ParallelParser::ParallelParser(const std::filesystem::path& path, const WantedRepositories& wanted, unsigned threads)
    : pipeline_(std::make_unique<Pipeline>(path, wanted, threads)) {}

ParallelParser::~ParallelParser() = default;

bool ParallelParser::next(EventBatch& batch) { return pipeline_->next(batch); }

}  // namespace firstmile
