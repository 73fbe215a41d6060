// mine/gharchive.h — `firstmile import gharchive FILE.json.gz...`: issues and comments from
// GH Archive's hourly event dumps (gharchive.org), offline.
//
//   GharchiveOptions o;
//   o.repositories = {"QwenLM/Qwen2.5"};           // empty: every repository
//   GharchiveImportSummary s = import_gharchive(store, preset, {"2024-05-01-12.json.gz"}, o);
//   s.events, s.new_issues, s.new_comments, s.deleted_comments
//   print_gharchive_summary(s, "firstmile.db", std::cout);
//
// A dump is gzip (members may be concatenated) holding one event per line. Only IssuesEvent
// and IssueCommentEvent lines are parsed: the event type (and, with `repositories`, the
// repository name) is checked on the raw line first, so the other events — most of a dump —
// cost a substring search, and their malformation is none of our business. Files are streamed
// in fixed-size chunks; memory does not grow with the dump. A file not ending in ".gz" is read
// as plain JSON Lines. Rows exported from GH Archive's BigQuery tables, where `payload` is a
// string holding JSON, are accepted too.
//
// The repository of an event is its `repo.name`. Each event's issue is upserted (a snapshot
// older than the stored copy, by updated_at, is kept out), its comment upserted, or deleted
// when the action is "deleted". Everything is written in one transaction with a run record: a
// corrupt gzip stream or a malformed issue event throws Error("FILE: line N: ...") and leaves
// the database as it was. Re-importing is idempotent.
//
// The parts, in the order a line meets them: mine/gzip_lines.h reads the lines;
// mine/gharchive_event.h filters and parses one line (the fast scanner is mine/json_scanner.h);
// mine/gharchive_parser.h runs both on several threads and hands batches out in file order;
// this import writes them, with a look-ahead over a window of batches that leaves out a write
// a later event of the window makes pointless (counted as superseded). The one transaction
// runs in WAL mode, as every write does: readers see the state before it until it commits, a
// second writer waits for it, and a killed import leaves nothing that blocks a reader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace firstmile {

class Store;
struct Preset;

struct GharchiveProgress {
  int64_t compressed_bytes = 0;        // read so far, over all files
  int64_t compressed_bytes_total = 0;  // the sizes of all files
  int64_t events = 0;                  // issue and comment events imported so far
  int64_t issues = 0;                  // issue snapshots among them (one per event)
};

struct GharchiveOptions {
  std::vector<std::string> repositories;  // OWNER/NAME, case-insensitive; empty: all
  std::vector<std::string> argv;          // recorded in the run
  // Called after every chunk read (about every megabyte of compressed input).
  std::function<void(const GharchiveProgress&)> progress;
  // Parser threads; 0: std::thread::hardware_concurrency(). The result does not depend on it.
  unsigned threads = 0;
};

struct GharchiveImportSummary {
  int64_t run_id = 0;
  int64_t files = 0;
  int64_t bytes = 0;          // uncompressed
  int64_t lines = 0;          // events in the files, of every type
  int64_t events = 0;         // IssuesEvent and IssueCommentEvent imported (after --repo)
  int64_t issues = 0;         // issue snapshots read: one per event
  int64_t pull_requests = 0;  // of those, pull requests
  int64_t new_issues = 0;     // not in the database before, or only as a placeholder
  int64_t updated_issues = 0;
  int64_t unchanged_issues = 0;
  int64_t older_issues = 0;       // older than the database's copy: kept the newer
  int64_t superseded_issues = 0;  // not written: a later snapshot of the same issue, close by in
                                  // the file and as new or newer, replaced it before the end
  int64_t comments = 0;           // comment events read
  int64_t new_comments = 0;
  int64_t updated_comments = 0;  // stored before and changed by this copy
  int64_t unchanged_comments = 0;
  int64_t older_comments = 0;       // older than the database's copy: kept the newer
  int64_t deleted_comments = 0;     // rows removed for "deleted" events
  int64_t superseded_comments = 0;  // edits not written: a later, as new or newer edit of the
                                    // same comment close by, with no delete between, replaced it
  int64_t repositories = 0;         // distinct repositories the events touched
};

GharchiveImportSummary import_gharchive(Store& store, const Preset& preset,
                                        const std::vector<std::filesystem::path>& files,
                                        const GharchiveOptions& options);

// "412.0 MB read (38%), 51234 events, 49876 issues": the progress line of `firstmile import gharchive`.
std::string gharchive_progress_text(const GharchiveProgress& progress);
// What `firstmile import gharchive` prints when done: what was read, and what became of it.
void print_gharchive_summary(const GharchiveImportSummary& summary, const std::string& db, std::ostream& out);

}  // namespace firstmile
