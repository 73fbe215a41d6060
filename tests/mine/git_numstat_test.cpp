// `firstmile git`'s line counts against git's own: `git log --numstat` (git, not libgit2) on a
// generated history with the cases a line counter gets wrong — no trailing newline, CRLF,
// empty files, binary files and binary turned text, mode changes, renames, lines that occur
// many times (blank lines, braces: xdiff discards some before diffing), and rewrites large
// enough for xdiff's cost heuristics.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>

#include "dataset/preset.h"
#include "mine/git_history.h"
#include "store/store.h"
#include "support/files.h"
#include "support/git_fixture.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

constexpr git_time_t kMay1Noon = 1714564800;

// Per commit sha, per path: "insertions|deletions", or "-|-" for a binary file.
using Numstat = std::map<std::string, std::map<std::string, std::string>>;

// The new path of a numstat rename: "old => new" or "dir/{old => new}/file".
std::string renamed_to(const std::string& path) {
  const size_t arrow = path.find(" => ");
  if (arrow == std::string::npos) return path;
  const size_t open = path.rfind('{', arrow), close = path.find('}', arrow);
  if (open == std::string::npos || close == std::string::npos) return path.substr(arrow + 4);
  std::string out = path.substr(0, open) + path.substr(arrow + 4, close - arrow - 4) + path.substr(close + 1);
  if (size_t twice = out.find("//"); twice != std::string::npos) out.erase(twice, 1);
  return out;
}

// What git itself counts, with no user or system configuration (no diff.algorithm).
Numstat git_numstat(const fs::path& repo, const fs::path& home) {
  const std::string command = "env GIT_CONFIG_NOSYSTEM=1 HOME='" + home.string() + "' XDG_CONFIG_HOME='" +
                              home.string() + "' git -C '" + repo.string() +
                              "' log --numstat -M --diff-merges=first-parent --format=commit%x20%H HEAD";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE_MESSAGE(pipe, "cannot run git");
  std::string text;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  REQUIRE_MESSAGE(pclose(pipe) == 0, "git log failed (is git installed? scripts/install-deps.sh)");
  Numstat out;
  std::istringstream lines(text);
  std::string line, sha;
  while (std::getline(lines, line)) {
    if (line.rfind("commit ", 0) == 0) {
      sha = line.substr(7);
      out[sha];
      continue;
    }
    const size_t tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
    if (tab1 == std::string::npos || tab2 == std::string::npos) continue;
    out[sha][renamed_to(line.substr(tab2 + 1))] = line.substr(0, tab1) + "|" + line.substr(tab1 + 1, tab2 - tab1 - 1);
  }
  return out;
}

Numstat firstmile_numstat(Store& store) {
  Numstat out;
  Query q = store.db().query(
      "SELECT c.sha, f.path, f.insertions, f.deletions FROM commits c LEFT JOIN commit_files f ON f.commit_id = c.id");
  while (q.step()) {
    auto& files = out[q.column_text(0)];
    if (q.column_is_null(1)) continue;
    files[q.column_text(1)] = q.column_is_null(2) ? std::string("-|-") : q.column_text(2) + "|" + q.column_text(3);
  }
  return out;
}

// A deterministic stream of small numbers.
struct Dice {
  uint32_t state;
  uint32_t roll(uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  }
};

// Code-like text: blank lines and lone braces recur, as they do in real files.
std::string code(Dice& dice, int lines, const char* eol = "\n") {
  static const char* kRecurring[] = {"", "}", "  }", "{", "  return 0;", "#include <x.h>"};
  std::string out;
  for (int i = 0; i < lines; ++i) {
    out += dice.roll(3) == 0 ? kRecurring[dice.roll(6)] : "  int v" + std::to_string(dice.roll(40)) + " = f();";
    out += eol;
  }
  return out;
}

// `text` with some lines replaced, inserted or deleted.
std::string edit(Dice& dice, const std::string& text, int edits) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (int e = 0; e < edits; ++e) {
    const size_t at = lines.empty() ? 0 : dice.roll(static_cast<uint32_t>(lines.size()));
    switch (dice.roll(3)) {
      case 0: lines.insert(lines.begin() + static_cast<long>(at), dice.roll(2) ? "" : "  added();"); break;
      case 1: if (!lines.empty()) lines.erase(lines.begin() + static_cast<long>(at)); break;
      default: if (!lines.empty()) lines[at] = dice.roll(2) ? "}" : "  changed(" + std::to_string(e) + ");";
    }
  }
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("line counts agree with git log --numstat on a history of tricky changes") {
  TempDir dir;
  GitFixture repo(dir / "repo");
  git_time_t when = kMay1Noon;
  auto commit = [&](const std::map<std::string, std::optional<std::string>>& changes, const std::string& message) {
    return repo.commit(changes, message, when += 3600);
  };
  Dice dice{2026};
  std::map<std::string, std::string> files;
  for (const char* name : {"src/a.c", "src/b.c", "src/deep/c.c", "d.c"}) files[name] = code(dice, 120);
  files["long.c"] = code(dice, 3000);
  std::map<std::string, std::optional<std::string>> first(files.begin(), files.end());
  first["nonl.txt"] = "one\ntwo";
  first["crlf.txt"] = "one\r\ntwo\r\nthree\r\n";
  first["empty.txt"] = "";
  first["bin.dat"] = std::string("\x89PNG\0\0\x01\x02", 8);
  first["run.sh"] = "#!/bin/sh\necho hi\n";
  commit(first, "Add\n");

  commit({{"nonl.txt", "one\ntwo\n"}, {"crlf.txt", "one\r\n2\r\nthree\r\nfour"}, {"empty.txt", "now text\n"}},
         "Newline at the end, CRLF, empty no more\n");
  commit({{"nonl.txt", "one\nthree"}, {"empty.txt", ""}, {"bin.dat", std::string("\x89PNG\0\0\x03\x04\n", 9)}},
         "Newline gone, emptied, binary changed\n");
  commit({{"bin.dat", "text now\nand more\n"}, {"crlf.txt", "one\ntwo\nthree\n"}}, "Binary to text, CRLF to LF\n");
  repo.set_mode("run.sh", GIT_FILEMODE_BLOB_EXECUTABLE);
  commit({{"run.sh", "#!/bin/sh\necho hi\n"}}, "Executable, same content\n");
  commit({{"run.sh", "#!/bin/sh\necho hello\n"}, {"d.c", std::nullopt}, {"e.c", files["d.c"]}},
         "Edit an executable; move d.c to e.c\n");
  files.erase("d.c");
  files["e.c"] = first["d.c"].value();
  files["long.c"] = code(dice, 2500);  // most lines new: xdiff's cost limit applies
  commit({{"long.c", files["long.c"]}}, "Rewrite\n");
  for (int i = 0; i < 40; ++i) {
    std::map<std::string, std::optional<std::string>> changes;
    for (auto& [path, text] : files) {
      if (dice.roll(3) != 0) continue;
      text = edit(dice, text, 1 + static_cast<int>(dice.roll(path == "long.c" ? 400 : 12)));
      changes[path] = text;
    }
    if (changes.empty()) changes["src/a.c"] = files["src/a.c"] += "  tail();\n";
    commit(changes, "Edit " + std::to_string(i) + "\n");
  }

  fs::create_directories(dir / "home");
  SUBCASE("loose objects, read by libgit2") {}
  SUBCASE("packed by git (delta chains), read by mine/git_pack_reader.h") {
    const std::string repack = "env GIT_CONFIG_NOSYSTEM=1 HOME='" + (dir / "home").string() + "' git -C '" +
                               (dir / "repo").string() + "' repack -adfq";
    REQUIRE(std::system(repack.c_str()) == 0);
  }
  Store store = Store::open_memory();
  GitImportOptions o;
  o.source = (dir / "repo").string();
  o.repository = "acme/demo";
  import_git_history(store, load_preset(source_file("data/presets/open-llm-failures.json").string()), o);
  const Numstat git = git_numstat(dir / "repo", dir / "home");
  const Numstat ours = firstmile_numstat(store);
  REQUIRE(git.size() == 47);
  CHECK(ours.size() == git.size());
  int files_compared = 0;
  for (const auto& [sha, expected] : git) {
    CAPTURE(sha);
    auto found = ours.find(sha);
    REQUIRE(found != ours.end());
    for (const auto& [path, counts] : expected) {
      CAPTURE(path);
      auto file = found->second.find(path);
      REQUIRE(file != found->second.end());
      CHECK(file->second == counts);
      ++files_compared;
    }
    CHECK(found->second.size() == expected.size());
  }
  CHECK(files_compared > 100);
}
