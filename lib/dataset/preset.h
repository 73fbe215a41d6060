// dataset/preset.h — named sets of repositories with their series, models and aliases.
//
//   Preset p = load_preset("open-llm-failures");      // data/presets/open-llm-failures.json
//   p.series_for_owner("QwenLM") == "Qwen";
//   const PresetRepository* r = p.repository("QwenLM", "Qwen2.5");   // r->aliases: QwenLM/Qwen3
//
// A preset is data (commented JSON under data/presets/), shared by import-dataset and mine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace firstmile {

struct PresetRepository {
  std::string owner, name, series, model, architecture;
  std::vector<std::string> aliases;  // "owner/name"
};

struct Preset {
  std::string name;
  std::string title;
  std::string dataset_name;               // the labelled dataset it describes, if any
  std::optional<int64_t> stated_records;  // the record count its publication states
  std::string stated_in;
  std::map<std::string, std::string> series_by_owner;          // keys lower case
  std::vector<std::pair<std::string, std::string>> evolution;  // (earlier model, later model)
  std::vector<PresetRepository> repositories;

  // The series of an owner; the owner itself when the preset does not know it.
  std::string series_for_owner(const std::string& owner) const;
  bool knows_owner(const std::string& owner) const;
  const PresetRepository* repository(const std::string& owner, const std::string& repo_name) const;
};

// `name_or_path`: a file path, or a name looked up as data/presets/NAME.json.
Preset load_preset(const std::string& name_or_path);
Preset parse_preset(const std::string& content, const std::string& origin);

// The repository as the store should know it: series, model and architecture from the preset
// when it lists the repository, else the series its owner stands for.
RepositoryInfo repository_info(const Preset& preset, const std::string& owner, const std::string& name);

// Splits "owner/name"; throws Error naming `where` otherwise.
std::pair<std::string, std::string> split_repository(const std::string& full, const std::string& where);

}  // namespace firstmile
