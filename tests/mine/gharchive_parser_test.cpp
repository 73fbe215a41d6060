// Tests of mine/gharchive_parser.h: batches in file order whatever the threads, errors after
// the events before them.
#include <doctest/doctest.h>

#include <algorithm>

#include "base/error.h"
#include "gharchive_fixture.h"
#include "mine/gharchive_parser.h"
#include "mine/gzip_lines.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

// Each batch as "lines_read bytes compressed_offset: #number@updated_at ..." and its error.
std::vector<std::string> batches(const std::filesystem::path& file, unsigned threads, std::string* error = nullptr) {
  ParallelParser parser(file, {}, threads);
  std::vector<std::string> out;
  EventBatch batch;
  while (parser.next(batch)) {
    std::string line = std::to_string(batch.lines_read) + " " + std::to_string(batch.bytes) + " " +
                       std::to_string(batch.compressed_offset) + ":";
    for (const IssueEvent& e : batch.events) line += " #" + std::to_string(e.issue.number) + "@" + *e.issue.updated_at;
    out.push_back(line);
    if (batch.error) {
      try {
        std::rethrow_exception(batch.error);
      } catch (const Error& e) {
        if (error) *error = e.what();
      }
    }
  }
  return out;
}

int64_t events_in(const std::vector<std::string>& batches) {
  int64_t n = 0;
  for (const std::string& b : batches) n += std::count(b.begin(), b.end(), '#');
  return n;
}

}  // namespace

TEST_CASE("batches come in file order with the events of their lines, whatever the number of threads") {
  TempDir dir;
  std::vector<std::string> lines = storm_lines();
  std::string all;
  int64_t noise = 0;
  for (const std::string& l : lines) {
    all += l;
    noise += l == kPush || l == kWatch;
  }
  write_gzip(dir / "all.json.gz", {all});
  std::vector<std::string> one = batches(dir / "all.json.gz", 1);
  CHECK(batches(dir / "all.json.gz", 4) == one);
  CHECK(batches(dir / "all.json.gz", 7) == one);
  // A batch per chunk read (cut after the first line the chunk brings), and a last one at the end.
  CHECK(one.size() == (all.size() + kGzipChunkBytes - 1) / kGzipChunkBytes + 1);
  CHECK(events_in(one) == 4000 - noise);
  CHECK(one.back().starts_with("4000 " + std::to_string(all.size()) + " " +
                               std::to_string(std::filesystem::file_size(dir / "all.json.gz")) + ":"));
}

TEST_CASE("a malformed event ends its batch's events, and its error follows the events before it") {
  TempDir dir;
  std::string broken = issues_event("o/r", issue(3, "2024-05-01T10:00:00Z"));
  broken = broken.substr(0, broken.size() - 2) + "\n";
  write_gzip(dir / "bad.json.gz", {issues_event("o/r", issue(1, "2024-05-01T10:00:00Z")) + kPush +
                                   issues_event("o/r", issue(2, "2024-05-01T10:00:00Z")) + broken +
                                   issues_event("o/r", issue(4, "2024-05-01T10:00:00Z"))});
  std::string error;
  std::vector<std::string> got = batches(dir / "bad.json.gz", 2, &error);
  // The file's one chunk is cut after its first line; the rest of the lines come at the end.
  REQUIRE(got.size() == 2);
  CHECK(got[0].starts_with("1 "));
  CHECK(got[0].ends_with(": #1@2024-05-01T10:00:00Z"));
  CHECK(got[1].starts_with("5 "));
  CHECK(got[1].ends_with(": #2@2024-05-01T10:00:00Z"));  // #4, after the error, is not parsed
  CHECK(error.find("bad.json.gz: line 4, column") != std::string::npos);
}

TEST_CASE("a truncated file hands out the events of its whole lines, then the reader's error") {
  // Stored (level 0) gzip: the lines follow a 10-byte header and a 5-byte block header.
  TempDir dir;
  std::string text;
  for (int n = 1; n <= 5; ++n) text += issues_event("o/r", issue(n, "2024-05-01T10:00:00Z"));
  write_gzip(dir / "full.json.gz", {text}, 0);
  size_t four_lines = 0;
  for (int k = 0; k < 4; ++k) four_lines = text.find('\n', four_lines) + 1;
  write_file(dir / "cut.json.gz", file_bytes(dir / "full.json.gz").substr(0, 10 + 5 + four_lines + 30));
  std::string error;
  std::vector<std::string> got = batches(dir / "cut.json.gz", 3, &error);
  CHECK(events_in(got) == 4);
  CHECK(error.find("cut.json.gz: line 5: the gzip stream is truncated") != std::string::npos);
}

TEST_CASE("a file that cannot be opened is an error from the constructor") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(ParallelParser(dir / "missing.json.gz", {}, 2),
                       doctest::Contains("missing.json.gz: cannot open"), Error);
}
