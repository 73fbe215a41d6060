// Tests of mine/gzip_lines.h: lines out of gzip members, plain files, long lines, and broken streams.
#include <doctest/doctest.h>

#include "base/error.h"
#include "gharchive_fixture.h"
#include "mine/gzip_lines.h"
#include "support/files.h"

using namespace firstmile;
using namespace firstmile::testing;

namespace {

std::vector<std::string> all_lines(GzipLineReader& reader) {
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line)) lines.emplace_back(line);
  return lines;
}

// Ten lines of 100 bytes each: "line 01 xxx...x\n".
std::string ten_lines() {
  std::string text;
  for (int i = 1; i <= 10; ++i) {
    std::string line = "line " + std::string(i < 10 ? "0" : "") + std::to_string(i) + " ";
    text += line + std::string(99 - line.size(), 'x') + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("concatenated gzip members read as one stream, even with a line cut between members") {
  TempDir dir;
  write_gzip(dir / "h.json.gz", {"first\nsec", "ond\n", "third\nfourth\n"});
  GzipLineReader reader(dir / "h.json.gz");
  CHECK(all_lines(reader) == std::vector<std::string>{"first", "second", "third", "fourth"});
  CHECK(reader.line_number() == 4);
  CHECK(reader.bytes() == 26);
  CHECK(reader.compressed_offset() == static_cast<int64_t>(std::filesystem::file_size(dir / "h.json.gz")));
}

TEST_CASE("line ends of \\r\\n lose both characters, and a last line without a newline is read") {
  TempDir dir;
  write_gzip(dir / "h.json.gz", {"one\r\ntwo\n\nlast"});
  GzipLineReader reader(dir / "h.json.gz");
  CHECK(all_lines(reader) == std::vector<std::string>{"one", "two", "", "last"});
  CHECK(reader.line_number() == 4);
}

TEST_CASE("a line longer than a chunk is read whole, between its neighbours") {
  TempDir dir;
  const std::string long_line(kGzipChunkBytes + kGzipChunkBytes / 2, 'y');
  write_gzip(dir / "h.json.gz", {"before\n" + long_line + "\nafter\n"});
  GzipLineReader reader(dir / "h.json.gz");
  std::vector<std::string> lines = all_lines(reader);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "before");
  CHECK(lines[1] == long_line);
  CHECK(lines[2] == "after");
  CHECK(reader.bytes() == static_cast<int64_t>(7 + long_line.size() + 1 + 6));
}

TEST_CASE("a file not ending in .gz is read as it is") {
  TempDir dir;
  write_file(dir / "h.jsonl", "{\"a\":1}\n{\"b\":2}\n");
  GzipLineReader reader(dir / "h.jsonl");
  CHECK(all_lines(reader) == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
}

TEST_CASE("a file named .gz that is not gzip is refused, and a missing one named") {
  TempDir dir;
  write_file(dir / "text.json.gz", "{\"a\":1}\n");
  CHECK_THROWS_WITH_AS(GzipLineReader(dir / "text.json.gz"), doctest::Contains("text.json.gz: not a gzip file"), Error);
  CHECK_THROWS_WITH_AS(GzipLineReader(dir / "missing.json.gz"), doctest::Contains("missing.json.gz: cannot open"),
                       Error);
}

TEST_CASE("a truncated gzip stream is an error naming the file and the line it stops in") {
  // Stored (level 0) blocks: the ten 100-byte lines follow the 10-byte gzip header and one
  // 5-byte block header, so cutting 450 bytes in keeps four whole lines and half the fifth.
  TempDir dir;
  write_gzip(dir / "full.json.gz", {ten_lines()}, 0);
  write_file(dir / "cut.json.gz", file_bytes(dir / "full.json.gz").substr(0, 10 + 5 + 450));
  GzipLineReader reader(dir / "cut.json.gz");
  std::string_view line;
  for (int i = 1; i <= 4; ++i) {
    REQUIRE(reader.next(line));
    CHECK(line.substr(0, 7) == "line 0" + std::to_string(i));
  }
  CHECK_THROWS_WITH_AS(reader.next(line),
                       doctest::Contains("cut.json.gz: line 5: the gzip stream is truncated (unexpected end of file)"),
                       Error);
}

TEST_CASE("a corrupt gzip stream is an error naming the file and saying what zlib found") {
  // A byte of the stored data changed: the stream ends with a checksum that does not match.
  // zlib finds it in the read that holds every line, so none is handed out; its message
  // names the file again.
  TempDir dir;
  write_gzip(dir / "full.json.gz", {ten_lines()}, 0);
  std::string bytes = file_bytes(dir / "full.json.gz");
  bytes[10 + 5 + 250] = 'z';
  write_file(dir / "corrupt.json.gz", bytes);
  GzipLineReader reader(dir / "corrupt.json.gz");
  std::string_view line;
  const std::string path = (dir / "corrupt.json.gz").string();
  CHECK_THROWS_WITH_AS(reader.next(line),
                       (path + ": line 1: corrupt gzip stream: incorrect data check").c_str(), Error);  // the path once
}

TEST_CASE("bytes after the last gzip member are an error after its lines, naming where they start") {
  TempDir dir;
  write_gzip(dir / "whole.json.gz", {"one\ntwo\n"});
  const std::string whole = file_bytes(dir / "whole.json.gz");
  write_file(dir / "tail.json.gz", whole + "<html>appended</html>\n");
  GzipLineReader reader(dir / "tail.json.gz");
  std::string_view line;
  REQUIRE(reader.next(line));
  CHECK(line == "one");
  REQUIRE(reader.next(line));
  CHECK(line == "two");
  const std::string expected =
      "tail.json.gz: line 3: unexpected bytes after the end of the gzip data, at byte " + std::to_string(whole.size());
  CHECK_THROWS_WITH_AS(reader.next(line), doctest::Contains(expected.c_str()), Error);
  // One stray byte is as wrong as many; a second whole member is not garbage.
  write_file(dir / "byte.json.gz", whole + "x");
  GzipLineReader one_byte(dir / "byte.json.gz");
  CHECK_THROWS_WITH_AS(all_lines(one_byte), doctest::Contains("unexpected bytes after the end"), Error);
  write_file(dir / "two.json.gz", whole + whole);
  GzipLineReader two(dir / "two.json.gz");
  CHECK(all_lines(two) == std::vector<std::string>{"one", "two", "one", "two"});
}

TEST_CASE("a plain file that starts like gzip is inflated, and an empty .gz file is not gzip") {
  TempDir dir;
  write_gzip(dir / "h.json.gz", {"a\nb\n"});
  write_file(dir / "h.jsonl", file_bytes(dir / "h.json.gz"));
  GzipLineReader reader(dir / "h.jsonl");
  CHECK(all_lines(reader) == std::vector<std::string>{"a", "b"});
  write_file(dir / "empty.json.gz", "");
  CHECK_THROWS_WITH_AS(GzipLineReader(dir / "empty.json.gz"), doctest::Contains("not a gzip file"), Error);
  write_file(dir / "empty.jsonl", "");
  GzipLineReader empty(dir / "empty.jsonl");
  CHECK(all_lines(empty).empty());
}
