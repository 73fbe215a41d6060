// taxonomy/taxonomy.h — a failure taxonomy: symptom, root cause and stage hierarchies as data.
//
//   Taxonomy t = Taxonomy::load("taxonomy/taxonomy.json");
//   LabelMatch m = t.match_label("symptom", "Crash - CUDA Error - Out of Memory");
//   if (m.node) std::cout << m.node->id;                       // "sym.crash.cuda.oom"
//   const TaxonomyNode& top = t.ancestor_at_level(*m.node, 1);  // "Crash"
//
// The file names each node with a stable id, its exact published name and a definition; a
// child names its parent, a top-level node its dimension. Loading validates the file (unique
// ids, parents exist and come first, dimensions known) and throws Error naming the node.
#pragma once

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace firstmile {

struct TaxonomyDimension {
  std::string id;    // "symptom", "root_cause", "stage"
  std::string name;  // "Symptom"
  int levels = 1;    // deepest level a label may reach
  std::string definition;
};

struct TaxonomyNode {
  std::string id;         // stable: "sym.crash.cuda.oom"
  std::string dimension;  // inherited from the top-level ancestor
  std::string parent;     // empty for a top-level node
  std::string name;       // exact published name of this level: "Out of Memory"
  std::string definition;
  std::vector<std::string> aliases;   // other spellings accepted when matching labels
  int level = 1;                      // 1 = top level
  std::vector<std::string> children;  // ids, in file order
};

// How a published label ("L1 - L2 - L3") landed in the taxonomy.
struct LabelMatch {
  const TaxonomyNode* node = nullptr;  // null: not in the taxonomy
  std::vector<std::string> parts;      // the label split on " - ", white space normalised
  bool whitespace_normalised = false;  // the label differed from its normal form
  bool via_alias = false;              // a part matched an alias or differed in case
  std::string unmatched_part;          // first part that matched no node (when node is null)
};

class Taxonomy {
 public:
  static Taxonomy load(const std::filesystem::path& path);
  // `origin` names the source in error messages; `content` is hashed for provenance.
  static Taxonomy parse(std::string_view content, const std::string& origin);

  const std::string& id() const { return id_; }            // "open-llm-failures"
  const std::string& version() const { return version_; }  // "1"
  const std::string& title() const { return title_; }
  const std::string& hash() const { return hash_; }  // git blob hash of the file
  const std::string& origin() const { return origin_; }
  const std::string& content() const { return content_; }  // the file as read

  const std::vector<TaxonomyDimension>& dimensions() const { return dimensions_; }
  const TaxonomyDimension& dimension(std::string_view id) const;  // throws if unknown
  bool has_dimension(std::string_view id) const;

  // All nodes in file order (parents before children).
  const std::vector<TaxonomyNode>& nodes() const { return nodes_; }
  const TaxonomyNode* find(std::string_view id) const;
  const TaxonomyNode& node(std::string_view id) const;  // throws Error if unknown
  std::vector<const TaxonomyNode*> top_level(std::string_view dimension) const;
  std::vector<const TaxonomyNode*> at_level(std::string_view dimension, int level) const;

  // The ancestor of `node` at `level` (1 = top); `node` itself when it is shallower.
  const TaxonomyNode& ancestor_at_level(const TaxonomyNode& node, int level) const;
  bool is_ancestor_or_self(const TaxonomyNode& ancestor, const TaxonomyNode& node) const;
  // Names from the top down, joined: "Crash / CUDA Error / Out of Memory".
  std::string path_name(const TaxonomyNode& node, std::string_view separator = " / ") const;

  LabelMatch match_label(std::string_view dimension, std::string_view label) const;

  // The taxonomy as rows for the store: id, dimension, parent, name, level, definition.
  nlohmann::json to_json() const;

 private:
  // Checks where `n` sits (its dimension when top-level, else its parent, id prefix and depth)
  // and that no sibling has its name, then adds it. `dimension` is as written, maybe empty.
  void add_node(TaxonomyNode n, const std::string& dimension, const std::string& where);

  std::string id_, version_, title_, hash_, origin_, content_;
  std::vector<TaxonomyDimension> dimensions_;
  std::vector<TaxonomyNode> nodes_;
  std::map<std::string, size_t, std::less<>> index_;
};

// `firstmile taxonomy`: the hierarchy as an indented tree (with each node's definition when
// asked), or as JSON (id, version, hash, nodes).
void print_taxonomy_tree(const Taxonomy& taxonomy, bool definitions, std::ostream& out);
nlohmann::json taxonomy_summary_json(const Taxonomy& taxonomy);

}  // namespace firstmile
