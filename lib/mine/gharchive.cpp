// mine/gharchive.cpp — the GH Archive import: files in order through the parallel parser, events
// written in order with a look-ahead that leaves out pointless writes, one transaction.
#include "mine/gharchive.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <exception>
#include <memory>
#include <ostream>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "base/text_table.h"
#include "dataset/preset.h"
#include "mine/gharchive_parser.h"
#include "store/issue_rows.h"
#include "store/store.h"

namespace firstmile {

namespace {

// Whether an issue snapshot takes part in superseding: with a title (so the row it leaves is
// not a placeholder) and an updated_at (so the store's newer-wins rule decides by it).
bool plain_issue(const IssueData& d) { return d.title.has_value() && d.updated_at.has_value(); }

struct IssueKey {
  int64_t repository_id, number;
  bool operator==(const IssueKey&) const = default;
};
struct IssueKeyHash {
  size_t operator()(const IssueKey& k) const { return std::hash<int64_t>()(k.repository_id * 1000003 + k.number); }
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
      // The row is created as a placeholder if there is none yet; the snapshot that
      // superseded this one fills it.
      if (need_id) issue_id = store_.ensure_issue(event.issue.repository_id, event.issue.number, event.issue.url);
    } else {
      auto [id, result] = store_.upsert_issue(event.issue);
      issue_id = id;
      UpsertCounts{s.new_issues, s.updated_issues, s.unchanged_issues, s.older_issues}.add(result);
    }
    if (!event.comment_event) return;
    ++s.comments;
    if (event.deleted) {
      s.deleted_comments += delete_comment(store_, event.comment.github_id);
      return;
    }
    if (event.comment_superseded) {
      ++s.superseded_comments;
      return;
    }
    UpsertCounts{s.new_comments, s.updated_comments, s.unchanged_comments, s.older_comments}.add(
        store_.upsert_comment(issue_id, event.comment));
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

// A file's parser, opened ahead of its turn: the next file is opened and read while this one
// is written, so the pipeline does not drain between files (its queues are bounded as this
// one's). An error opening it is kept and thrown when its turn comes, after this file's.
struct OpenedFile {
  std::unique_ptr<ParallelParser> parser;
  std::exception_ptr error;
};

OpenedFile open_file(const std::filesystem::path& f, const WantedRepositories& wanted, unsigned threads) {
  OpenedFile o;
  try {
    o.parser = std::make_unique<ParallelParser>(f, wanted, threads);
  } catch (...) {
    o.error = std::current_exception();
  }
  return o;
}

// Writes one file's events in order, reporting progress after every batch written; adds the
// file's lines and bytes to the summary. `done_bytes`: the compressed sizes of the files before.
void import_file(ParallelParser& parser, Importer& importer, int64_t done_bytes, const GharchiveOptions& options,
                 GharchiveProgress& progress, GharchiveImportSummary& s) {
  EventBatch batch;
  int64_t file_lines = 0, file_bytes = 0;  // as far as the batches went
  auto written = [&] {
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
}

int64_t total_size(const std::vector<std::filesystem::path>& files) {
  int64_t total = 0;
  for (const auto& f : files) {
    std::error_code ec;
    auto size = std::filesystem::file_size(f, ec);
    if (ec) throw Error(f.string() + ": cannot read: " + ec.message());
    total += static_cast<int64_t>(size);
  }
  return total;
}

WantedRepositories wanted_repositories(const std::vector<std::string>& repositories) {
  WantedRepositories wanted;
  for (const std::string& r : repositories) {
    if (r.find('/') == std::string::npos) throw Error("--repo " + r + ": expected OWNER/NAME");
    wanted.insert(to_lower_ascii(r));
  }
  return wanted;
}

std::string run_summary(const GharchiveImportSummary& s, const GharchiveOptions& options) {
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
  return json_text(summary);
}

}  // namespace

GharchiveImportSummary import_gharchive(Store& store, const Preset& preset,
                                        const std::vector<std::filesystem::path>& files,
                                        const GharchiveOptions& options) {
  if (files.empty()) throw Error("import gharchive: no files given");
  GharchiveImportSummary s;
  GharchiveProgress progress;
  progress.compressed_bytes_total = total_size(files);
  WantedRepositories wanted = wanted_repositories(options.repositories);
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  // WAL throughout: readers keep the last committed state while the import runs, a second writer
  // waits for it (busy timeout) instead of failing on a journal-mode switch, and a killed import
  // leaves no hot journal that read-only commands cannot roll back.
  Transaction tx(store.db());
  s.run_id = store.begin_run("import gharchive", options.argv, nullptr);
  Importer importer(store, preset, s);
  int64_t done_bytes = 0;  // compressed bytes of the files finished
  OpenedFile current = open_file(files.front(), wanted, threads);
  for (size_t k = 0; k < files.size(); ++k) {
    OpenedFile next;
    if (k + 1 < files.size()) next = open_file(files[k + 1], wanted, threads);
    if (current.error) std::rethrow_exception(current.error);
    import_file(*current.parser, importer, done_bytes, options, progress, s);
    done_bytes += static_cast<int64_t>(std::filesystem::file_size(files[k]));
    ++s.files;
    current = std::move(next);
  }
  s.repositories = importer.repositories();
  store.finish_run(s.run_id, "ok", run_summary(s, options));
  tx.commit();
  return s;
}

std::string gharchive_progress_text(const GharchiveProgress& p) {
  double percent = p.compressed_bytes_total > 0
                       ? 100.0 * static_cast<double>(p.compressed_bytes) / static_cast<double>(p.compressed_bytes_total)
                       : 0.0;
  char text[128];
  std::snprintf(text, sizeof text, "%.1f MB read (%.0f%%), %lld events, %lld issues",
                static_cast<double>(p.compressed_bytes) / 1e6, percent, static_cast<long long>(p.events),
                static_cast<long long>(p.issues));
  return text;
}

void print_gharchive_summary(const GharchiveImportSummary& s, const std::string& db, std::ostream& out) {
  out << "Imported into " << db << " (run " << s.run_id << "): " << s.files << " files, "
      << format_fixed(static_cast<double>(s.bytes) / 1e6, 1) << " MB, " << s.lines << " events read, " << s.events
      << " issue and comment events imported, " << s.repositories << " repositories\n"
      << "Issues: " << s.issues << " snapshots (" << s.pull_requests << " of pull requests): " << s.new_issues
      << " new, " << s.updated_issues << " updated, " << s.unchanged_issues << " unchanged";
  if (s.older_issues) out << ", " << s.older_issues << " older than the database's copy (kept the newer)";
  if (s.superseded_issues) out << ", " << s.superseded_issues << " superseded by a later snapshot (not written)";
  out << "\nComments: " << s.comments << " events: " << s.new_comments << " new, " << s.updated_comments << " updated, "
      << s.deleted_comments << " deleted";
  if (s.older_comments) out << ", " << s.older_comments << " older than the database's copy (kept the newer)";
  if (s.superseded_comments) out << ", " << s.superseded_comments << " superseded by a later edit (not written)";
  out << "\n";
}

}  // namespace firstmile
