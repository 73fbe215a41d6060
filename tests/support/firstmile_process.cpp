// support/firstmile_process.cpp — fork, redirect, exec the built binary; wait for it.
#include "support/firstmile_process.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace firstmile::testing {

namespace fs = std::filesystem;

namespace {

// The binary with `args`, its stdout and stderr sent to the given files; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = FIRSTMILE_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(126);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

CommandResult run_firstmile(const std::vector<std::string>& args) {
  // stdout and stderr go to temporary files so a large output cannot block the child.
  TempDir tmp;
  fs::path out_path = tmp / "stdout", err_path = tmp / "stderr";
  int status = 0;
  waitpid(spawn(args, out_path, err_path), &status, 0);
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

int start_firstmile(const std::vector<std::string>& args) { return spawn(args, "/dev/null", "/dev/null"); }

int wait_firstmile(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
}

}  // namespace firstmile::testing
