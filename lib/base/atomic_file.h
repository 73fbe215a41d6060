// base/atomic_file.h — files written whole or not at all.
//
//   write_file_atomically("paper/rq1_symptom.tex", text);
//
// The content goes to a temporary file beside the target, which is then renamed over it: a
// reader never sees half a file, and a failed write leaves the old file (or none) and no
// temporary behind. Throws Error naming the target.
#pragma once

#include <filesystem>
#include <string_view>

namespace firstmile {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace firstmile
