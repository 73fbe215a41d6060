// Tests of package/zip_archive.h: the archive read back with zlib, entry by entry.
#include <doctest/doctest.h>

#include <zlib.h>

#include <filesystem>
#include <map>

#include "base/error.h"
#include "package/zip_archive.h"
#include "support/files.h"
#include "support/firstmile_process.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

uint32_t get16(const std::string& s, size_t at) {
  return static_cast<uint8_t>(s[at]) | static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 8;
}
uint32_t get32(const std::string& s, size_t at) { return get16(s, at) | get16(s, at + 2) << 16; }

std::string inflate_raw(const std::string& packed, size_t size) {
  std::string out(size, '\0');
  z_stream z{};
  REQUIRE(inflateInit2(&z, -15) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

// Name -> content of every entry, through the central directory and the local headers.
std::map<std::string, std::string> read_zip(const std::string& zip) {
  REQUIRE(zip.size() >= 22);
  size_t end = zip.size() - 22;
  REQUIRE(get32(zip, end) == 0x06054b50u);
  uint32_t entries = get16(zip, end + 10), at = get32(zip, end + 16);
  std::map<std::string, std::string> out;
  for (uint32_t i = 0; i < entries; ++i) {
    REQUIRE(get32(zip, at) == 0x02014b50u);
    uint32_t crc = get32(zip, at + 16), packed = get32(zip, at + 20), size = get32(zip, at + 24);
    uint32_t name_length = get16(zip, at + 28), local = get32(zip, at + 42);
    std::string name = zip.substr(at + 46, name_length);
    REQUIRE(get32(zip, local) == 0x04034b50u);
    size_t data = local + 30 + get16(zip, local + 26) + get16(zip, local + 28);
    std::string content = inflate_raw(zip.substr(data, packed), size);
    CHECK(crc32(0L, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())) == crc);
    out[name] = content;
    at += 46 + name_length + get16(zip, at + 30) + get16(zip, at + 32);
  }
  return out;
}

}  // namespace

TEST_CASE("a zip archive holds every file of the folder under its name, and is the same twice") {
  TempDir dir;
  fs::create_directories(dir / "pkg" / "sub dir");
  write_file(dir / "pkg" / "a.txt", std::string(5000, 'a') + "end");
  write_file(dir / "pkg" / "sub dir" / "b.json", "[]\n");
  write_file(dir / "pkg" / "empty", "");
  CHECK(write_zip_archive(dir / "pkg", dir / "one.zip") == 3);
  CHECK(write_zip_archive(dir / "pkg", dir / "two.zip") == 3);
  std::string zip = file_bytes(dir / "one.zip");
  CHECK(zip == file_bytes(dir / "two.zip"));
  CHECK(zip.size() < 1000);  // compressed
  auto entries = read_zip(zip);
  REQUIRE(entries.size() == 3);
  CHECK(entries["pkg/a.txt"] == std::string(5000, 'a') + "end");
  CHECK(entries["pkg/sub dir/b.json"] == "[]\n");
  CHECK(entries["pkg/empty"].empty());
}

TEST_CASE("package --zip archives the package beside it, and refuses to overwrite one without --force") {
  TempDir dir;
  std::string db = import_sample(dir);
  CommandResult r = run_firstmile({"package", (dir / "pkg").string(), "--keep-logins", "--zip", "--db", db});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto entries = read_zip(file_bytes(dir / "pkg.zip"));
  CHECK(entries["pkg/MANIFEST.json"] == file_bytes(dir / "pkg" / "MANIFEST.json"));
  CHECK(entries["pkg/tables/issues.csv"] == file_bytes(dir / "pkg" / "tables" / "issues.csv"));
  fs::remove_all(dir / "pkg");
  CommandResult again = run_firstmile({"package", (dir / "pkg").string(), "--keep-logins", "--zip", "--db", db});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("pkg.zip: exists; --force replaces it") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "pkg"));
}
