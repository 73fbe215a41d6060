// base/resources.cpp — locating shipped data files.
#include "base/resources.h"

#include <cstdlib>
#include <vector>

#include "base/error.h"

namespace firstmile {

namespace fs = std::filesystem;

namespace {
std::vector<fs::path> search_roots() {
  std::vector<fs::path> roots;
  if (const char* home = std::getenv("FIRSTMILE_HOME"); home && *home) roots.emplace_back(home);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) roots.push_back(exe.parent_path().parent_path() / "share" / "firstmile");
  roots.emplace_back(FIRSTMILE_SOURCE_HOME);
  return roots;
}
}  // namespace

fs::path resource_path(const std::string& relative) {
  std::string tried;
  for (const fs::path& root : search_roots()) {
    fs::path candidate = root / relative;
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
    tried += (tried.empty() ? "" : ", ") + root.string();
  }
  throw Error("cannot find " + relative + " (looked in " + tried + "; set FIRSTMILE_HOME)");
}

}  // namespace firstmile
