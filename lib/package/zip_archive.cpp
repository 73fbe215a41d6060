// package/zip_archive.cpp — local headers, deflated data, the central directory (PKWARE APPNOTE 4.3).
#include "package/zip_archive.h"

#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json_file.h"

namespace firstmile {

namespace fs = std::filesystem;

namespace {

constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01, the earliest a zip can say
constexpr uint16_t kUtf8Names = 0x0800;
constexpr uint16_t kDeflate = 8;
constexpr uint16_t kVersionNeeded = 20;
constexpr uint16_t kMadeByUnix = (3 << 8) | 30;
constexpr uint32_t kRegularFile0644 = 0100644u << 16;

void put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& out, uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

std::string deflate_raw(const std::string& data, const std::string& name) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw Error(name + ": zlib refused to start");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int status = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw Error(name + ": zlib could not compress it");
  return out;
}

struct Entry {
  std::string name;
  uint32_t crc = 0, compressed = 0, size = 0, offset = 0;
};

// The fields local and central headers share: version needed to the name's length.
void common_fields(std::string& out, const Entry& e) {
  put16(out, kVersionNeeded);
  put16(out, kUtf8Names);
  put16(out, kDeflate);
  put16(out, 0);  // time 00:00
  put16(out, kDosDate);
  put32(out, e.crc);
  put32(out, e.compressed);
  put32(out, e.size);
  put16(out, static_cast<uint32_t>(e.name.size()));
}

}  // namespace

int64_t write_zip_archive(const fs::path& dir, const fs::path& zip) {
  const fs::path root = fs::absolute(dir).lexically_normal();
  const std::string prefix = (root.has_filename() ? root.filename() : root.parent_path().filename()).string() + "/";
  std::map<std::string, fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files[prefix + fs::relative(entry.path(), root).generic_string()] = entry.path();
  }
  if (files.size() > std::numeric_limits<uint16_t>::max())
    throw Error(zip.string() + ": more than 65,535 files do not fit a plain zip");

  const fs::path partial = zip.string() + ".partial-" + std::to_string(::getpid());
  std::ofstream out(partial, std::ios::binary);
  if (!out) throw Error(zip.string() + ": cannot write");
  constexpr uint64_t kLimit = std::numeric_limits<uint32_t>::max();
  std::vector<Entry> entries;
  uint64_t offset = 0;
  try {
    for (const auto& [name, path] : files) {
      const std::string data = read_file(path);
      const std::string packed = deflate_raw(data, path.string());
      Entry e;
      e.name = name;
      e.crc = static_cast<uint32_t>(
          crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
      if (data.size() > kLimit || offset > kLimit) throw Error(zip.string() + ": over 4 GiB; zip the folder with a zip64 tool");
      e.size = static_cast<uint32_t>(data.size());
      e.compressed = static_cast<uint32_t>(packed.size());
      e.offset = static_cast<uint32_t>(offset);
      std::string header;
      put32(header, 0x04034b50);
      common_fields(header, e);
      put16(header, 0);  // no extra field
      header += name;
      out << header << packed;
      offset += header.size() + packed.size();
      entries.push_back(std::move(e));
    }
    std::string central;
    for (const Entry& e : entries) {
      put32(central, 0x02014b50);
      put16(central, kMadeByUnix);
      common_fields(central, e);
      put16(central, 0);  // extra
      put16(central, 0);  // comment
      put16(central, 0);  // disk
      put16(central, 0);  // internal attributes
      put32(central, kRegularFile0644);
      put32(central, e.offset);
      central += e.name;
    }
    if (offset + central.size() > kLimit) throw Error(zip.string() + ": over 4 GiB; zip the folder with a zip64 tool");
    std::string end;
    put32(end, 0x06054b50);
    put16(end, 0);
    put16(end, 0);
    put16(end, static_cast<uint32_t>(entries.size()));
    put16(end, static_cast<uint32_t>(entries.size()));
    put32(end, static_cast<uint32_t>(central.size()));
    put32(end, static_cast<uint32_t>(offset));
    put16(end, 0);  // comment
    out << central << end;
    out.close();
    if (!out) throw Error(zip.string() + ": cannot write");
    fs::rename(partial, zip);
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw;
  }
  return static_cast<int64_t>(entries.size());
}

}  // namespace firstmile
