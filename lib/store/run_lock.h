// store/run_lock.h — one long-running writer per database at a time.
//
//   RunLock lock = RunLock::acquire("firstmile.db", "mine");   // throws Error if another holds it
//
// An advisory lock (flock) on "<database>.lock", which names its holder. The kernel drops it
// when the holder exits, however it exits (kill -9 too), so a stale lock never blocks a resume.
#pragma once

#include <filesystem>
#include <string>

namespace firstmile {

class RunLock {
 public:
  // Throws Error naming the holder (command, pid, start time) when the lock is taken.
  static RunLock acquire(const std::filesystem::path& database, const std::string& command);
  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace firstmile
