// support/firstmile_process.h — the built firstmile binary run as a user runs it (fork and
// exec, no shell), for the CLI tests.
//
//   CommandResult r = run_firstmile({"summary", "--db", db});
//   CHECK(r.exit_code == 0); r.out; r.err
//   int pid = start_firstmile({"mine", ...});  kill(pid, SIGKILL);  wait_firstmile(pid);
#pragma once

#include <string>
#include <vector>

#include "support/files.h"

namespace firstmile::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the built firstmile binary with `args`, capturing both streams.
CommandResult run_firstmile(const std::vector<std::string>& args);

// Imports the embedded sample (issues and comments; with `gold`, also its labels as source
// gold:sample) into DIR/t.db through the CLI, as a user would; returns the database path.
// Fails the calling test if an import fails.
std::string import_sample(const TempDir& dir, bool gold = true);

// Starts the firstmile binary in the background (output discarded); returns its pid.
int start_firstmile(const std::vector<std::string>& args);
// Waits for it: its exit code, or minus the signal that ended it.
int wait_firstmile(int pid);

}  // namespace firstmile::testing
