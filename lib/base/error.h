// base/error.h — the one error type of firstmile.
//
// Library code throws firstmile::Error with a message a user can act on, naming the file,
// record or field at fault:
//
//   throw Error("dataset/R1 /DeepSeek-R1.json: record 7: unknown root cause 'Foo'");
//
// `main` prints the message as one line on stderr and exits with code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace firstmile {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Exit codes shared by every subcommand.
enum ExitCode : int {
  kExitOk = 0,        // success
  kExitProblems = 1,  // ran, and found problems (e.g. `check` findings)
  kExitError = 2,     // bad input or failure; nothing was changed
};

}  // namespace firstmile
