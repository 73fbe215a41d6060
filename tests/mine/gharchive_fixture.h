// gharchive_fixture.h — GH Archive events and dumps for the tests of mine/gharchive*.h and
// mine/gzip_lines.h, written at test time.
//
//   json i = issue(5, "2024-05-01T10:00:00Z");                      // trimmed: no html_url
//   std::string line = comment_event("QwenLM/Qwen2.5", i, comment(77, "try bf16"));   // ends in "\n"
//   write_gzip(dir / "h.json.gz", {line + kPush, issues_event("o/r", i)});          // two gzip members
//   std::vector<std::string> lines = storm_lines();                  // 4,000 lines, several MB
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/preset.h"

namespace firstmile::testing {

// The shipped preset the imports use for series and models.
Preset gharchive_preset();

// An issue as GH Archive's payloads carry it; trimmed (no html_url) like recent dumps.
nlohmann::json issue(int64_t number, const std::string& updated_at, const std::string& title = "Model fails to load");
nlohmann::json comment(int64_t id, const std::string& body, const std::string& updated_at = "2024-05-01T11:00:00Z");

// One event line, with its "\n".
std::string event(const std::string& type, const std::string& repo, const nlohmann::json& payload);
std::string issues_event(const std::string& repo, const nlohmann::json& issue_object,
                         const std::string& action = "opened");
std::string comment_event(const std::string& repo, const nlohmann::json& issue_object,
                          const nlohmann::json& comment_object, const std::string& action = "created");

// Events of other types, with their "\n".
extern const std::string kPush;
extern const std::string kWatch;

// Each string becomes one gzip member of the file: GH Archive files may be concatenations.
// `level` 0 writes stored (uncompressed) blocks, whose bytes sit at known offsets.
void write_gzip(const std::filesystem::path& path, const std::vector<std::string>& members, int level = -1);

// A few thousand issue events (and noise) over a few dozen issues, deterministic: storms of
// snapshots of the same issue, some older than the one before, some tied; comments created,
// edited, re-sent older and deleted; bodies of a few KB with escapes, Chinese, emoji and
// nulls; some payloads as BigQuery strings. Several megabytes, so many batches.
std::vector<std::string> storm_lines();

}  // namespace firstmile::testing
