// base/atomic_file.cpp — write beside, then rename over.
#include "base/atomic_file.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "base/error.h"

namespace firstmile {

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  // The pid keeps two processes writing the same target from sharing a temporary.
  std::filesystem::path temporary = path;
  temporary += ".tmp" + std::to_string(::getpid());
  std::error_code ignored;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, ignored);
      throw Error(path.string() + ": cannot write");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ignored);
    throw Error(path.string() + ": cannot write (" + ec.message() + ")");
  }
}

}  // namespace firstmile
