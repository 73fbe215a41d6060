// store/run_lock.cpp — flock(2) on a file beside the database.
#include "store/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/clock.h"
#include "base/error.h"

namespace firstmile {

RunLock RunLock::acquire(const std::filesystem::path& database, const std::string& command) {
  std::string path = database.string() + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(path + ": cannot open lock file: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char holder[256] = {0};
    ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    std::string who = n > 0 ? std::string(holder, static_cast<size_t>(n)) : std::string("another firstmile run");
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    throw Error(database.string() + " is in use by " + who +
                "; wait for it to finish or stop it (a stopped run resumes where it was)");
  }
  std::string me =
      "firstmile " + command + " (pid " + std::to_string(::getpid()) + ", started " + utc_now_iso8601() + ")\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) < 0) {
    // The holder's name is only for the message of a second run; the lock itself is held.
  }
  return RunLock(fd);
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace firstmile
