// export/paper.h — everything a paper needs from one analysis, in one folder.
//
//   PaperFiles f = write_paper(report, "paper/", {"csv", "latex", "json", "svg"});
//   // paper/README.md indexes every file written
//
// Deterministic: the same labels and options give byte-identical files (no timestamps).
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "analyze/study.h"

namespace firstmile {

struct PaperFiles {
  std::vector<std::string> files;  // relative to the folder, README.md last
};

// `formats`: any of "csv", "latex", "json", "svg"; throws Error on an unknown one.
PaperFiles write_paper(const StudyReport& report, const std::filesystem::path& dir,
                       const std::set<std::string>& formats);

}  // namespace firstmile
