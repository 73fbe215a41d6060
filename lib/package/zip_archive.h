// package/zip_archive.h — a folder as one .zip file (deflate, through zlib), byte for byte the
// same for the same files.
//
//   int64_t entries = write_zip_archive("study-package", "study-package.zip");
//   // unzip study-package.zip  ->  study-package/MANIFEST.json, study-package/tables/...
//
// Entries are the folder's files in byte order of their paths, under the folder's name, with
// a fixed time (1980-01-01 00:00) and mode 0644, so the archive depends on the content alone.
// Plain zip, no zip64: more than 65,535 files or 4 GiB refuse with a message. The archive is
// written to a temporary file beside the target and renamed into place.
#pragma once

#include <cstdint>
#include <filesystem>

namespace firstmile {

int64_t write_zip_archive(const std::filesystem::path& dir, const std::filesystem::path& zip);

}  // namespace firstmile
