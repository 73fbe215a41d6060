// support.cpp — test helpers.
#include "support.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace firstmile::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() / ("firstmile-test-" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path require_shared(const std::string& relative) {
  fs::path path = fs::path(FIRSTMILE_SHARED) / relative;
  if (!fs::exists(path)) {
    std::cerr << "SKIPPED: this test needs the reference data " << path.string()
              << " (../shared beside the repository), which is missing\n";
    std::exit(77);
  }
  return path;
}

fs::path test_data(const std::string& relative) { return fs::path(FIRSTMILE_TEST_DATA) / relative; }
fs::path source_file(const std::string& relative) { return fs::path(FIRSTMILE_SOURCE_DIR) / relative; }

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CommandResult run_firstmile(const std::vector<std::string>& args) {
  // stdout and stderr go to temporary files so a large output cannot block the child.
  TempDir tmp;
  fs::path out_path = tmp / "stdout", err_path = tmp / "stderr";
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = FIRSTMILE_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!freopen(out_path.c_str(), "w", stdout) || !freopen(err_path.c_str(), "w", stderr)) _exit(126);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = file_bytes(out_path);
  r.err = file_bytes(err_path);
  return r;
}

std::string import_sample(const TempDir& dir, bool gold) {
  std::string db = (dir / "t.db").string();
  CommandResult issues = run_firstmile({"import", "issues", source_file("data/sample/issues.json").string(),
                                        source_file("data/sample/comments.json").string(), "--db", db});
  REQUIRE_MESSAGE(issues.exit_code == 0, issues.err);
  if (gold) {
    CommandResult labels =
        run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--name", "sample", "--db", db});
    REQUIRE_MESSAGE(labels.exit_code == 0, labels.err);
  }
  return db;
}

int start_firstmile(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = FIRSTMILE_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int wait_firstmile(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
}

}  // namespace firstmile::testing
