// dataset/preset.cpp — loading repository presets.
#include "dataset/preset.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "base/text.h"

namespace firstmile {

using nlohmann::json;

std::pair<std::string, std::string> split_repository(const std::string& full, const std::string& where) {
  auto slash = full.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == full.size() ||
      full.find('/', slash + 1) != std::string::npos) {
    throw Error(where + ": '" + full + "' is not OWNER/NAME");
  }
  return {full.substr(0, slash), full.substr(slash + 1)};
}

std::string Preset::series_for_owner(const std::string& owner) const {
  auto it = series_by_owner.find(to_lower_ascii(owner));
  return it == series_by_owner.end() ? owner : it->second;
}

bool Preset::knows_owner(const std::string& owner) const { return series_by_owner.count(to_lower_ascii(owner)) > 0; }

const PresetRepository* Preset::repository(const std::string& owner, const std::string& repo_name) const {
  std::string o = to_lower_ascii(owner), n = to_lower_ascii(repo_name);
  for (const auto& r : repositories) {
    if (to_lower_ascii(r.owner) == o && to_lower_ascii(r.name) == n) return &r;
    for (const auto& alias : r.aliases) {
      if (to_lower_ascii(alias) == o + "/" + n) return &r;
    }
  }
  return nullptr;
}

Preset parse_preset(const std::string& content, const std::string& origin) {
  json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": a preset must be a JSON object");
  auto text = [&](const json& o, const char* key, const std::string& where) -> std::string {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return {};
    if (!it->is_string()) throw Error(where + ": '" + key + "' must be a string, got " + json_type_name(*it));
    return it->get<std::string>();
  };
  Preset p;
  p.name = text(doc, "preset", origin);
  p.title = text(doc, "title", origin);
  if (auto d = doc.find("dataset"); d != doc.end()) {
    if (!d->is_object()) throw Error(origin + ": 'dataset' must be an object");
    p.dataset_name = text(*d, "name", origin + ": dataset");
    p.stated_in = text(*d, "stated_in", origin + ": dataset");
    if (auto n = d->find("stated_records"); n != d->end()) {
      if (!n->is_number_integer()) throw Error(origin + ": dataset: 'stated_records' must be an integer");
      p.stated_records = n->get<int64_t>();
    }
  }
  if (auto e = doc.find("evolution"); e != doc.end()) {
    bool ok = e->is_array();
    for (const json& pair : ok ? *e : json::array()) {
      ok = ok && pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string();
      if (ok) p.evolution.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
    if (!ok) throw Error(origin + ": 'evolution' must be an array of [earlier model, later model] pairs");
  }
  if (auto s = doc.find("series_by_owner"); s != doc.end()) {
    if (!s->is_object()) throw Error(origin + ": 'series_by_owner' must be an object");
    for (auto it = s->begin(); it != s->end(); ++it) {
      if (!it.value().is_string()) throw Error(origin + ": series_by_owner: '" + it.key() + "' must map to a string");
      p.series_by_owner[to_lower_ascii(it.key())] = it.value().get<std::string>();
    }
  }
  const json repos = doc.value("repositories", json::array());
  if (!repos.is_array()) throw Error(origin + ": 'repositories' must be an array");
  for (size_t i = 0; i < repos.size(); ++i) {
    std::string where = origin + ": repository " + std::to_string(i + 1);
    if (!repos[i].is_object()) throw Error(where + ": must be an object");
    PresetRepository r;
    std::tie(r.owner, r.name) = split_repository(text(repos[i], "repo", where), where);
    r.series = text(repos[i], "series", where);
    if (r.series.empty()) r.series = p.series_for_owner(r.owner);
    r.model = text(repos[i], "model", where);
    r.architecture = text(repos[i], "architecture", where);
    if (auto a = repos[i].find("aliases"); a != repos[i].end()) {
      if (!a->is_array()) throw Error(where + ": 'aliases' must be an array");
      for (const json& alias : *a) {
        if (!alias.is_string()) throw Error(where + ": 'aliases' must hold strings");
        split_repository(alias.get<std::string>(), where);
        r.aliases.push_back(alias.get<std::string>());
      }
    }
    p.repositories.push_back(std::move(r));
  }
  return p;
}

Preset load_preset(const std::string& name_or_path) {
  std::filesystem::path path = name_or_path;
  bool is_path = name_or_path.find('/') != std::string::npos || path.extension() == ".json";
  if (!is_path) path = resource_path("data/presets/" + name_or_path + ".json");
  return parse_preset(read_file(path), path.string());
}

RepositoryInfo repository_info(const Preset& preset, const std::string& owner, const std::string& name) {
  RepositoryInfo info{owner, name, "", "", ""};
  if (const PresetRepository* known = preset.repository(owner, name)) {
    info.series = known->series;
    info.model = known->model;
    info.architecture = known->architecture;
  } else if (preset.knows_owner(owner)) {
    info.series = preset.series_for_owner(owner);
  }
  return info;
}

}  // namespace firstmile
