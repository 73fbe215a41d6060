// mine/gzip_lines.cpp — zlib's inflate into one buffer, lines found with memchr.
//
// The stream is inflated member by member with zlib's low-level API rather than gzread: gzread
// skips whatever follows the last member without a word, and a dump with bytes glued after its
// end is not one to import as if it were whole.
#include "mine/gzip_lines.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <zlib.h>

#include "base/error.h"

namespace firstmile {

namespace {

constexpr size_t kInputBytes = 256u << 10;

std::string_view trim_cr(std::string_view s) { return s.ends_with('\r') ? s.substr(0, s.size() - 1) : s; }

}  // namespace

struct GzipLineReader::Inflater {
  z_stream stream{};
  bool open = false;
  ~Inflater() {
    if (open) inflateEnd(&stream);
  }
};

GzipLineReader::GzipLineReader(const std::filesystem::path& path)
    : path_(path.string()), file_(std::fopen(path_.c_str(), "rb")), buffer_(kGzipChunkBytes), input_(kInputBytes) {
  if (!file_) throw Error(path_ + ": cannot open: " + std::strerror(errno));
  try {
    read_input();
  } catch (...) {
    std::fclose(file_);
    throw;
  }
  const bool gzip = input_end_ >= 2 && static_cast<unsigned char>(input_[0]) == 0x1f &&
                    static_cast<unsigned char>(input_[1]) == 0x8b;
  if (!gzip) {
    if (path_.ends_with(".gz")) {
      std::fclose(file_);
      throw Error(path_ + ": not a gzip file");
    }
    return;
  }
  inflater_ = std::make_unique<Inflater>();
  // 16 + 15: a gzip header and trailer around the largest window.
  if (inflateInit2(&inflater_->stream, 16 + MAX_WBITS) != Z_OK) {
    std::fclose(file_);
    throw Error(path_ + ": zlib cannot start inflating");
  }
  inflater_->open = true;
}

GzipLineReader::~GzipLineReader() {
  if (file_) std::fclose(file_);
}

// Reads the next block of compressed (or plain) bytes after those not yet used.
void GzipLineReader::read_input() {
  size_t kept = input_end_ - input_pos_;
  std::memmove(input_.data(), input_.data() + input_pos_, kept);
  input_pos_ = 0;
  input_end_ = kept;
  size_t n = std::fread(input_.data() + kept, 1, input_.size() - kept, file_);
  if (n < input_.size() - kept && std::ferror(file_))
    throw Error(path_ + ": cannot read: " + std::strerror(errno));
  input_end_ += n;
  input_read_ += static_cast<int64_t>(n);
  input_eof_ = n == 0 || std::feof(file_);
}

int64_t GzipLineReader::compressed_offset() const {
  return input_read_ - static_cast<int64_t>(input_end_ - input_pos_);
}

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

void GzipLineReader::fail(const std::string& reason) const {
  throw Error(path_ + ": line " + std::to_string(line_number_ + 1) + ": " + reason);
}

// False at the end of the file. A plain file's bytes are copied as they come; a gzip file's
// members are inflated one after another until the buffer is full or the file ends.
bool GzipLineReader::fill() {
  if (!pending_error_.empty()) fail(pending_error_);
  pos_ = 0;
  end_ = 0;
  if (!inflater_) {
    while (end_ < buffer_.size()) {
      if (input_pos_ == input_end_) {
        if (input_eof_) break;
        read_input();
        continue;
      }
      size_t n = std::min(buffer_.size() - end_, input_end_ - input_pos_);
      std::memcpy(buffer_.data() + end_, input_.data() + input_pos_, n);
      input_pos_ += n;
      end_ += n;
    }
    bytes_ += static_cast<int64_t>(end_);
    return end_ > 0;
  }
  z_stream& z = inflater_->stream;
  while (end_ < buffer_.size() && !finished_) {
    if (input_pos_ == input_end_ && !input_eof_) read_input();
    if (member_ended_) {
      // Between members: another gzip header, the end of the file, or bytes that are neither.
      if (input_end_ - input_pos_ < 2 && !input_eof_) {
        read_input();
        continue;
      }
      size_t left = input_end_ - input_pos_;
      if (left == 0) {
        finished_ = true;
        break;
      }
      const unsigned char* next = reinterpret_cast<const unsigned char*>(input_.data() + input_pos_);
      if (left >= 2 && next[0] == 0x1f && next[1] == 0x8b) {
        inflateReset(&z);
        member_ended_ = false;
        continue;
      }
      pending_error_ = "unexpected bytes after the end of the gzip data, at byte " +
                       std::to_string(compressed_offset()) + " of the file (not a gzip member: a damaged or "
                       "appended-to download?)";
      break;
    }
    z.next_in = reinterpret_cast<Bytef*>(input_.data() + input_pos_);
    z.avail_in = static_cast<uInt>(input_end_ - input_pos_);
    z.next_out = reinterpret_cast<Bytef*>(buffer_.data() + end_);
    z.avail_out = static_cast<uInt>(buffer_.size() - end_);
    int code = inflate(&z, Z_NO_FLUSH);
    size_t produced = buffer_.size() - end_ - z.avail_out;
    input_pos_ = input_end_ - z.avail_in;
    end_ += produced;
    if (code == Z_STREAM_END) {
      member_ended_ = true;
    } else if (code == Z_DATA_ERROR || code == Z_NEED_DICT || code == Z_MEM_ERROR || code == Z_STREAM_ERROR) {
      // What a corrupt chunk inflated to is not handed out: the error names the line it starts.
      end_ = 0;
      fail(std::string("corrupt gzip stream: ") + (z.msg ? z.msg : "zlib error " + std::to_string(code)));
    } else if (input_pos_ == input_end_ && input_eof_ && produced == 0) {
      pending_error_ = "the gzip stream is truncated (unexpected end of file)";
      break;
    }
  }
  bytes_ += static_cast<int64_t>(end_);
  if (end_ == 0 && !pending_error_.empty()) fail(pending_error_);
  return end_ > 0;
}

}  // namespace firstmile
