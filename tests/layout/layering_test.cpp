// Tests of the house rules that lib/CMakeLists.txt states: data flows one way between the
// libraries, SQL is spoken only by the store, tools stay thin, and files stay short.
// They read the source tree (FIRSTMILE_SOURCE_DIR), so a change that breaks a rule fails here.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = FIRSTMILE_SOURCE_DIR;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The lib folders in the order lib/CMakeLists.txt adds them.
std::vector<std::string> library_order() {
  std::vector<std::string> out;
  std::string text = read(kSource / "lib" / "CMakeLists.txt");
  std::regex add(R"(^add_subdirectory\((\w+)\))", std::regex::multiline);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), add); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// The firstmile libraries a folder's CMakeLists.txt links.
std::set<std::string> links_of(const std::string& library) {
  std::set<std::string> out;
  std::string text = read(kSource / "lib" / library / "CMakeLists.txt");
  std::regex link(R"(firstmile_(\w+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it) {
    if ((*it)[1] != library) out.insert((*it)[1]);
  }
  return out;
}

std::set<std::string> reachable(const std::string& library, const std::map<std::string, std::set<std::string>>& links) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {library};
  while (!todo.empty()) {
    std::string next = todo.back();
    todo.pop_back();
    for (const std::string& l : links.at(next)) {
      if (seen.insert(l).second) todo.push_back(l);
    }
  }
  return seen;
}

std::vector<fs::path> sources_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& p = entry.path();
    if (p.extension() == ".cpp" || p.extension() == ".h") out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Lines that speak SQL: a statement run or prepared on a connection, or an SQL keyword pair in
// a string literal.
std::vector<std::string> sql_lines(const fs::path& file) {
  static const std::regex sql(
      R"re((\.query\(|\.query_int\(|\.exec\(|"[^"]*\b(SELECT\s.*\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b))re");
  std::vector<std::string> out;
  std::istringstream lines(read(file));
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (std::regex_search(line, sql))
      out.push_back(file.filename().string() + ":" + std::to_string(number) + ": " + line);
  }
  return out;
}

}  // namespace

TEST_CASE("a library links only libraries added before it in lib/CMakeLists.txt") {
  std::vector<std::string> order = library_order();
  REQUIRE(order.size() >= 10);
  for (size_t i = 0; i < order.size(); ++i) {
    for (const std::string& l : links_of(order[i])) {
      CAPTURE(order[i]);
      CAPTURE(l);
      auto at = std::find(order.begin(), order.end(), l);
      REQUIRE(at != order.end());
      CHECK(static_cast<size_t>(at - order.begin()) < i);
    }
  }
}

TEST_CASE("a library includes headers only of itself and of the libraries it links") {
  std::map<std::string, std::set<std::string>> links;
  for (const std::string& l : library_order()) links[l] = links_of(l);
  std::regex include(R"re(#include "(\w+)/)re");
  for (const auto& [library, _] : links) {
    std::set<std::string> allowed = reachable(library, links);
    allowed.insert(library);
    for (const fs::path& file : sources_in(kSource / "lib" / library)) {
      std::string text = read(file);
      for (auto it = std::sregex_iterator(text.begin(), text.end(), include); it != std::sregex_iterator(); ++it) {
        std::string used = (*it)[1];
        CAPTURE(file.string());
        CAPTURE(used);
        CHECK(allowed.count(used) == 1);
      }
    }
  }
}

TEST_CASE("no SQL in tools/, and none in lib/ outside the store") {
  std::vector<std::string> found;
  for (const fs::path& file : sources_in(kSource / "tools" / "firstmile")) {
    for (const std::string& line : sql_lines(file)) found.push_back("tools/firstmile/" + line);
  }
  for (const std::string& library : library_order()) {
    if (library == "store") continue;
    for (const fs::path& file : sources_in(kSource / "lib" / library)) {
      for (const std::string& line : sql_lines(file)) found.push_back("lib/" + library + "/" + line);
    }
  }
  CHECK_MESSAGE(
      found.empty(), "SQL outside lib/store/:\n"
                         << [&] {
                              std::string all;
                              for (const std::string& f : found) all += "  " + f + "\n";
                              return all;
                            }());
}

TEST_CASE("no source file in lib/ is longer than 600 lines") {
  for (const std::string& library : library_order()) {
    for (const fs::path& file : sources_in(kSource / "lib" / library)) {
      std::string text = read(file);
      CAPTURE(file.string());
      CHECK(std::count(text.begin(), text.end(), '\n') <= 600);
    }
  }
}

TEST_CASE("no test case name holds a semicolon, which ctest would cut and so never run") {
  // doctest_discover_tests writes each name into a CMake list: a ';' splits it, and the cut
  // name's --test-case filter matches nothing, which doctest reports as success.
  const std::regex test_case(R"re(TEST_CASE\(((?:\s*"(?:[^"\\]|\\.)*")+))re");
  const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(kSource / "tests"); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().extension() != ".cpp") continue;
    const std::string text = read(it->path());
    for (auto m = std::sregex_iterator(text.begin(), text.end(), test_case); m != std::sregex_iterator(); ++m) {
      std::string name, literals = (*m)[1].str();
      for (auto l = std::sregex_iterator(literals.begin(), literals.end(), literal); l != std::sregex_iterator(); ++l)
        name += (*l)[1].str();
      if (name.find(';') != std::string::npos) found.push_back(it->path().filename().string() + ": " + name);
    }
  }
  CHECK_MESSAGE(found.empty(), "test case names with ';': " << found.size() << (found.empty() ? "" : ", first: " + found[0]));
}
