// mine/gzip_lines.cpp — zlib reads into one buffer, lines found with memchr.
#include "mine/gzip_lines.h"

#include <cerrno>
#include <cstring>

#include <zlib.h>

#include "base/error.h"

namespace firstmile {

namespace {

std::string_view trim_cr(std::string_view s) { return s.ends_with('\r') ? s.substr(0, s.size() - 1) : s; }

}  // namespace

GzipLineReader::GzipLineReader(const std::filesystem::path& path) : path_(path.string()), buffer_(kGzipChunkBytes) {
  file_ = gzopen(path_.c_str(), "rb");
  if (!file_) throw Error(path_ + ": cannot open: " + std::strerror(errno));
  // Reads of at least twice the buffer inflate straight into ours, without a copy.
  gzbuffer(file_, kGzipChunkBytes / 4);
  if (path_.ends_with(".gz") && gzdirect(file_)) {
    gzclose_r(file_);
    throw Error(path_ + ": not a gzip file");
  }
}

GzipLineReader::~GzipLineReader() { gzclose_r(file_); }

int64_t GzipLineReader::compressed_offset() const { return static_cast<int64_t>(gzoffset(file_)); }

bool GzipLineReader::next(std::string_view& line) {
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

// False at the end of the file. zlib reads concatenated gzip members as one stream, and
// reports a stream cut short only through gzerror once the reads run dry.
bool GzipLineReader::fill() {
  int n = gzread(file_, buffer_.data(), kGzipChunkBytes);
  int code = Z_OK;
  const char* message = gzerror(file_, &code);
  if (n < 0 || (n == 0 && code != Z_OK)) {
    // zlib's message starts with the path itself: the error names it once.
    std::string detail = message ? message : "";
    if (detail.rfind(path_ + ": ", 0) == 0) detail.erase(0, path_.size() + 2);
    std::string reason = code == Z_BUF_ERROR ? "the gzip stream is truncated (unexpected end of file)"
                                             : "corrupt gzip stream: " + detail;
    throw Error(path_ + ": line " + std::to_string(line_number_ + 1) + ": " + reason);
  }
  pos_ = 0;
  end_ = static_cast<size_t>(n);
  bytes_ += n;
  return n > 0;
}

}  // namespace firstmile
