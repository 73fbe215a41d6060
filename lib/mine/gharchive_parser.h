// mine/gharchive_parser.h — a GH Archive file's issue events, parsed on several threads and
// handed out in file order, a batch at a time.
//
//   ParallelParser parser("2024-05-01-12.json.gz", wanted, 4);   // starts reading at once
//   EventBatch batch;
//   while (parser.next(batch)) {
//     for (IssueEvent& e : batch.events) ...;
//     if (batch.error) std::rethrow_exception(batch.error);     // after the events before it
//   }
//
// The pipeline: one thread reads the file (decompression, line splitting, the pre-filter of
// mine/gharchive_event.h) and cuts the matched lines into a batch per chunk read (a megabyte
// of text, cut after the first line the chunk brings); `threads` parser threads each take
// the next batch and parse it; next() waits for the batch that comes next in the file. Batch
// bounds depend only on the file, so what a consumer sees does not depend on the number of
// threads. Only a few batches wait at each stage, so memory stays bounded whatever the
// file's size and however slow the consumer.
// Destroying the parser stops its threads.
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <vector>

#include "mine/gharchive_event.h"

namespace firstmile {

// The events of one batch of lines, parsed; `error` is the first error in the batch (a
// malformed issue event, or the reader's), after the events of the lines before it: the lines
// after it are not parsed.
struct EventBatch {
  std::vector<IssueEvent> events;
  std::exception_ptr error;
  // Where the reader was at the end of the batch, in the file.
  int64_t lines_read = 0, bytes = 0, compressed_offset = 0;
};

class ParallelParser {
 public:
  // Throws Error if the file cannot be opened (or is named .gz and is not gzip).
  ParallelParser(const std::filesystem::path& path, const WantedRepositories& wanted, unsigned threads);
  ~ParallelParser();
  ParallelParser(const ParallelParser&) = delete;
  ParallelParser& operator=(const ParallelParser&) = delete;

  // The next batch in file order; false after the last.
  bool next(EventBatch& batch);

 private:
  class Pipeline;
  std::unique_ptr<Pipeline> pipeline_;
};

}  // namespace firstmile
