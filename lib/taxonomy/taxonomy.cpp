// taxonomy/taxonomy.cpp — loading, validating and querying a taxonomy file.
#include "taxonomy/taxonomy.h"

#include <algorithm>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"

namespace firstmile {

namespace {

using nlohmann::json;

// Reads a string member; `where` names the object in messages ("node 'sym.crash'").
std::string string_field(const json& object, const char* key, const std::string& where, bool required) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) throw Error(where + ": missing field '" + key + "'");
    return {};
  }
  if (!it->is_string()) {
    throw Error(where + ": field '" + key + "' must be a string, got " + json_type_name(*it));
  }
  return it->get<std::string>();
}

bool is_id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'; }

TaxonomyDimension read_dimension(const json& object, const std::string& where) {
  if (!object.is_object()) throw Error(where + ": must be an object");
  TaxonomyDimension d;
  d.id = string_field(object, "id", where, true);
  d.name = string_field(object, "name", where, false);
  d.definition = string_field(object, "definition", where, false);
  if (auto it = object.find("levels"); it != object.end()) {
    if (!it->is_number_integer() || it->get<int>() < 1) {
      throw Error(where + " '" + d.id + "': 'levels' must be a positive integer");
    }
    d.levels = it->get<int>();
  }
  return d;
}

// A node's own fields; `where` gains its id for later messages. Its place in the tree is
// checked by Taxonomy::add_node.
TaxonomyNode read_node(const json& object, std::string& where) {
  if (!object.is_object()) throw Error(where + ": must be an object");
  TaxonomyNode n;
  n.id = string_field(object, "id", where, true);
  where += " '" + n.id + "'";
  if (n.id.empty() || !std::all_of(n.id.begin(), n.id.end(), is_id_char)) {
    throw Error(where + ": an id may hold only a-z, 0-9, '_', '-' and '.'");
  }
  n.name = normalize_space(string_field(object, "name", where, true));
  if (n.name.empty()) throw Error(where + ": empty name");
  if (split_label(n.name).size() != 1) throw Error(where + ": a name may not contain ' - '");
  n.definition = string_field(object, "definition", where, false);
  n.parent = string_field(object, "parent", where, false);
  if (auto it = object.find("aliases"); it != object.end()) {
    if (!it->is_array()) throw Error(where + ": 'aliases' must be an array of strings");
    for (const json& a : *it) {
      if (!a.is_string()) throw Error(where + ": 'aliases' must be an array of strings");
      n.aliases.push_back(normalize_space(a.get<std::string>()));
    }
  }
  return n;
}

}  // namespace

Taxonomy Taxonomy::load(const std::filesystem::path& path) { return parse(read_file(path), path.string()); }

Taxonomy Taxonomy::parse(std::string_view content, const std::string& origin) {
  json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": a taxonomy must be a JSON object");

  Taxonomy t;
  t.origin_ = origin;
  t.hash_ = git_blob_hash(content);
  t.content_ = std::string(content);
  t.id_ = string_field(doc, "taxonomy", origin, true);
  t.version_ = string_field(doc, "version", origin, true);
  t.title_ = string_field(doc, "title", origin, false);

  const json& dims = doc.value("dimensions", json());
  if (!dims.is_array() || dims.empty()) throw Error(origin + ": 'dimensions' must be a non-empty array");
  for (size_t i = 0; i < dims.size(); ++i) {
    std::string where = origin + ": dimension " + std::to_string(i + 1);
    TaxonomyDimension d = read_dimension(dims[i], where);
    if (t.has_dimension(d.id)) throw Error(where + ": duplicate dimension '" + d.id + "'");
    t.dimensions_.push_back(std::move(d));
  }

  const json& nodes = doc.value("nodes", json());
  if (!nodes.is_array() || nodes.empty()) throw Error(origin + ": 'nodes' must be a non-empty array");
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::string where = origin + ": node " + std::to_string(i + 1);
    TaxonomyNode n = read_node(nodes[i], where);
    std::string dimension = string_field(nodes[i], "dimension", where, false);
    t.add_node(std::move(n), dimension, where);
  }
  for (const TaxonomyDimension& d : t.dimensions_) {
    if (t.top_level(d.id).empty()) throw Error(origin + ": dimension '" + d.id + "' has no nodes");
  }
  return t;
}

void Taxonomy::add_node(TaxonomyNode n, const std::string& dimension, const std::string& where) {
  if (index_.count(n.id)) throw Error(where + ": duplicate id");
  if (n.parent.empty()) {
    if (dimension.empty()) throw Error(where + ": a top-level node needs a 'dimension'");
    if (!has_dimension(dimension)) throw Error(where + ": unknown dimension '" + dimension + "'");
    n.dimension = dimension;
    n.level = 1;
  } else {
    auto parent = index_.find(n.parent);
    if (parent == index_.end()) throw Error(where + ": parent '" + n.parent + "' is not defined before it");
    const TaxonomyNode& p = nodes_[parent->second];
    // Ids extend their parent's, so a subtree is an id prefix (handy in SQL: LIKE 'sym.crash.%').
    if (n.id.rfind(p.id + ".", 0) != 0) throw Error(where + ": id must start with its parent's id '" + p.id + ".'");
    if (!dimension.empty() && dimension != p.dimension) {
      throw Error(where + ": dimension '" + dimension + "' differs from its parent's '" + p.dimension + "'");
    }
    n.dimension = p.dimension;
    n.level = p.level + 1;
    if (n.level > this->dimension(n.dimension).levels) {
      throw Error(where + ": level " + std::to_string(n.level) + " is deeper than dimension '" + n.dimension +
                  "' allows (" + std::to_string(this->dimension(n.dimension).levels) + ")");
    }
  }
  // Siblings must be told apart by name, or a label could match two nodes.
  for (const TaxonomyNode& other : nodes_) {
    if (other.parent == n.parent && other.dimension == n.dimension &&
        to_lower_ascii(other.name) == to_lower_ascii(n.name)) {
      throw Error(where + ": same name as sibling '" + other.id + "'");
    }
  }
  index_.emplace(n.id, nodes_.size());
  if (!n.parent.empty()) nodes_[index_.at(n.parent)].children.push_back(n.id);
  nodes_.push_back(std::move(n));
}

bool Taxonomy::has_dimension(std::string_view id) const {
  for (const auto& d : dimensions_) {
    if (d.id == id) return true;
  }
  return false;
}

const TaxonomyDimension& Taxonomy::dimension(std::string_view id) const {
  for (const auto& d : dimensions_) {
    if (d.id == id) return d;
  }
  throw Error(origin_ + ": no dimension '" + std::string(id) + "'");
}

const TaxonomyNode* Taxonomy::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

const TaxonomyNode& Taxonomy::node(std::string_view id) const {
  if (const TaxonomyNode* n = find(id)) return *n;
  throw Error("taxonomy '" + id_ + "' has no node '" + std::string(id) + "'");
}

std::vector<const TaxonomyNode*> Taxonomy::top_level(std::string_view dimension) const {
  return at_level(dimension, 1);
}

std::vector<const TaxonomyNode*> Taxonomy::at_level(std::string_view dimension, int level) const {
  std::vector<const TaxonomyNode*> out;
  for (const auto& n : nodes_) {
    if (n.dimension == dimension && n.level == level) out.push_back(&n);
  }
  return out;
}

const TaxonomyNode& Taxonomy::ancestor_at_level(const TaxonomyNode& node, int level) const {
  const TaxonomyNode* n = &node;
  while (n->level > level) n = &nodes_[index_.find(n->parent)->second];
  return *n;
}

bool Taxonomy::is_ancestor_or_self(const TaxonomyNode& ancestor, const TaxonomyNode& node) const {
  if (node.level < ancestor.level) return false;
  return &ancestor_at_level(node, ancestor.level) == &ancestor;
}

std::string Taxonomy::path_name(const TaxonomyNode& node, std::string_view separator) const {
  std::vector<std::string> names;
  for (int level = 1; level <= node.level; ++level) names.push_back(ancestor_at_level(node, level).name);
  return join(names, separator);
}

LabelMatch Taxonomy::match_label(std::string_view dimension, std::string_view label) const {
  LabelMatch m;
  m.parts = split_label(label);
  m.whitespace_normalised = join(m.parts, " - ") != label;
  std::string parent;  // walk down from the top level, one part per level
  const TaxonomyNode* found = nullptr;
  for (const std::string& part : m.parts) {
    const TaxonomyNode* next = nullptr;
    const TaxonomyNode* loose = nullptr;  // alias or case-insensitive match
    for (const auto& n : nodes_) {
      if (n.dimension != dimension || n.parent != parent) continue;
      if (n.name == part) {
        next = &n;
        break;
      }
      bool alias = to_lower_ascii(n.name) == to_lower_ascii(part);
      for (const auto& a : n.aliases) alias = alias || to_lower_ascii(a) == to_lower_ascii(part);
      if (alias && !loose) loose = &n;
    }
    if (!next && loose) {
      next = loose;
      m.via_alias = true;
    }
    if (!next) {
      m.unmatched_part = part;
      return m;
    }
    found = next;
    parent = next->id;
  }
  m.node = found;
  return m;
}

nlohmann::json Taxonomy::to_json() const {
  json rows = json::array();
  for (const auto& n : nodes_) {
    rows.push_back({{"id", n.id},
                    {"dimension", n.dimension},
                    {"parent", n.parent},
                    {"name", n.name},
                    {"level", n.level},
                    {"definition", n.definition}});
  }
  return rows;
}

void print_taxonomy_tree(const Taxonomy& t, bool definitions, std::ostream& out) {
  out << t.id() << " version " << t.version() << " (" << t.origin() << ", git blob " << t.hash().substr(0, 12)
      << "): " << t.nodes().size() << " nodes\n";
  for (const TaxonomyDimension& d : t.dimensions()) {
    out << "\n" << d.name << " (" << d.id << ", " << d.levels << (d.levels == 1 ? " level" : " levels") << ")\n";
    for (const TaxonomyNode& n : t.nodes()) {
      if (n.dimension != d.id) continue;
      out << std::string(static_cast<size_t>(2 * n.level), ' ') << n.name << "  [" << n.id << "]\n";
      if (definitions && !n.definition.empty()) {
        out << std::string(static_cast<size_t>(2 * n.level + 4), ' ') << n.definition << "\n";
      }
    }
  }
}

nlohmann::json taxonomy_summary_json(const Taxonomy& t) {
  return {{"taxonomy", t.id()}, {"version", t.version()}, {"hash", t.hash()}, {"nodes", t.to_json()}};
}

}  // namespace firstmile
