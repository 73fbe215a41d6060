// mine/gzip_lines.h — the lines of a gzip file (or of a plain file), read in fixed-size chunks.
//
//   GzipLineReader reader("2024-05-01-12.json.gz");   // throws Error if it cannot be opened
//   std::string_view line;
//   while (reader.next(line)) ...line, reader.line_number()...   // throws Error("PATH: line N: ...")
//
// Concatenated gzip members read as one stream (GH Archive files may be such); bytes after the
// last member that begin no new one are an error. A file whose name ends in ".gz" must be gzip;
// any other is read as it is (inflated if it starts like gzip). A line comes without its "\n"
// (and "\r\n"), as a view into the reader's chunk: valid until the next call. Only a line that
// straddles two chunks is copied. A corrupt or truncated stream throws, naming the file and
// the line it stopped in.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

// Large reads keep zlib and the line splitter in their fast loops; a chunk is also how often
// the GH Archive import reports progress.
constexpr unsigned kGzipChunkBytes = 1u << 20;

class GzipLineReader {
 public:
  explicit GzipLineReader(const std::filesystem::path& path);
  ~GzipLineReader();
  GzipLineReader(const GzipLineReader&) = delete;
  GzipLineReader& operator=(const GzipLineReader&) = delete;

  // The next line without its end of line; false at the end of the file.
  bool next(std::string_view& line);

  int64_t line_number() const { return line_number_; }  // of the line last handed out
  int64_t bytes() const { return bytes_; }              // uncompressed, read so far: grows a chunk at a time
  int64_t compressed_offset() const;                    // in the file, as far as zlib has consumed it
  const std::string& path() const { return path_; }

 private:
  struct Inflater;
  bool fill();
  void read_input();
  [[noreturn]] void fail(const std::string& reason) const;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;  // what the lines are cut from
  std::vector<char> input_;   // bytes of the file not yet inflated
  size_t input_pos_ = 0, input_end_ = 0;
  int64_t input_read_ = 0;
  bool input_eof_ = false;
  std::unique_ptr<Inflater> inflater_;  // none for a plain file
  bool member_ended_ = false, finished_ = false;
  std::string pending_error_;  // found after bytes still to hand out
  size_t pos_ = 0, end_ = 0;
  std::string carry_;  // the start of a line the previous chunk cut
  bool carry_used_ = false;
  int64_t line_number_ = 0;
  int64_t bytes_ = 0;
};

}  // namespace firstmile
