// taxonomy/crosswalk.cpp — loading and resolving a crosswalk file.
#include "taxonomy/crosswalk.h"

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"

namespace firstmile {

Crosswalk Crosswalk::load(const std::filesystem::path& path, const Taxonomy& from, const Taxonomy& to) {
  return parse(read_file(path), path.string(), from, to);
}

std::string Crosswalk::file_name(const std::string& from_id, const std::string& to_id) {
  return from_id + "--" + to_id + ".json";
}

Crosswalk Crosswalk::parse(std::string_view content, const std::string& origin, const Taxonomy& from,
                           const Taxonomy& to) {
  nlohmann::json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": a crosswalk must be a JSON object");
  auto expect_id = [&](const char* key, const Taxonomy& t) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string()) throw Error(origin + ": missing string field '" + key + "'");
    if (it->get<std::string>() != t.id()) {
      throw Error(origin + ": '" + key + "' is '" + it->get<std::string>() + "' but the taxonomy is '" + t.id() + "'");
    }
  };
  expect_id("from", from);
  expect_id("to", to);
  auto map = doc.find("map");
  if (map == doc.end() || !map->is_object()) throw Error(origin + ": 'map' must be an object");

  Crosswalk cw;
  cw.from_ = &from;
  cw.to_ = &to;
  cw.hash_ = git_blob_hash(content);
  std::map<std::string, const TaxonomyNode*> direct;
  for (auto it = map->begin(); it != map->end(); ++it) {
    const TaxonomyNode* source = from.find(it.key());
    if (!source) throw Error(origin + ": map: '" + it.key() + "' is not a node of " + from.id());
    if (!it.value().is_string()) throw Error(origin + ": map: '" + it.key() + "': target must be a string");
    const TaxonomyNode* target = to.find(it.value().get<std::string>());
    if (!target) {
      throw Error(origin + ": map: '" + it.key() + "' -> '" + it.value().get<std::string>() + "' is not a node of " +
                  to.id());
    }
    if (target->dimension != source->dimension) {
      throw Error(origin + ": map: '" + it.key() + "' (" + source->dimension + ") -> '" + target->id + "' (" +
                  target->dimension + "): dimensions differ");
    }
    direct[source->id] = target;
  }
  // Nodes come parents first, so each node's ancestor is resolved before it.
  for (const TaxonomyNode& n : from.nodes()) {
    if (auto it = direct.find(n.id); it != direct.end()) {
      cw.resolved_[n.id] = it->second;
    } else if (!n.parent.empty() && cw.resolved_.count(n.parent)) {
      cw.resolved_[n.id] = cw.resolved_.at(n.parent);
    } else {
      throw Error(origin + ": node '" + n.id + "' (" + from.path_name(n) +
                  ") has no mapping, and neither has any ancestor");
    }
  }
  return cw;
}

const TaxonomyNode& Crosswalk::map(const TaxonomyNode& node) const {
  auto it = resolved_.find(node.id);
  if (it == resolved_.end()) throw Error("crosswalk: '" + node.id + "' is not a node of " + from_->id());
  return *it->second;
}

}  // namespace firstmile
