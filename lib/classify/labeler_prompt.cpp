// classify/labeler_prompt.cpp — reading and checking the prompt file; filling in its placeholders.
#include "classify/labeler_prompt.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

const char* const kSectionKeys[kPromptSections] = {"title", "errors",   "report", "environment",
                                                   "code",  "comments", "hints"};
const std::set<std::string> kSystemPlaceholders = {"taxonomy_title", "taxonomy_id", "taxonomy_version",
                                                   "stage",          "symptom",     "root_cause"};
const std::set<std::string> kHeadingPlaceholders = {"dimension", "name"};

// `text` with each {{name}} replaced by values.at(name), in one pass: a value is never read
// for placeholders itself. Names were checked when the file was read.
std::string fill(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t from = 0;
  for (size_t open; (open = text.find("{{", from)) != std::string::npos;) {
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, from, open - from);
    out += values.at(text.substr(open + 2, close - open - 2));
    from = close + 2;
  }
  out.append(text, from, std::string::npos);
  return out;
}

// Throws unless every {{name}} in `text` is one of `allowed`.
void check_placeholders(const std::string& text, const std::set<std::string>& allowed, const std::string& where) {
  for (size_t open = text.find("{{"); open != std::string::npos; open = text.find("{{", open + 2)) {
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) throw Error(where + ": '{{' without '}}'");
    std::string name = text.substr(open + 2, close - open - 2);
    if (!allowed.count(name)) {
      std::string known;
      for (const std::string& a : allowed) known += (known.empty() ? "" : ", ") + std::string("{{") + a + "}}";
      throw Error(where + ": unknown placeholder '{{" + name + "}}' (" + known + ")");
    }
  }
}

std::string text_member(const nlohmann::json& o, const char* key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end()) throw Error(where + ": missing '" + key + "'");
  if (!it->is_string() || it->get<std::string>().empty())
    throw Error(where + ": '" + key + "' must be a non-empty string");
  return it->get<std::string>();
}

void list_nodes(const Taxonomy& t, const std::string& dimension, std::string& out) {
  int levels = t.dimension(dimension).levels;
  for (const TaxonomyNode& node : t.nodes()) {
    if (node.dimension != dimension || node.level > levels) continue;
    out += std::string(static_cast<size_t>(2 * (node.level - 1)), ' ') + "- " + node.id + " — " + t.path_name(node);
    if (!node.definition.empty()) out += ": " + node.definition;
    out += "\n";
  }
}

}  // namespace

LabelerPrompt LabelerPrompt::load(const std::filesystem::path& file) {
  std::filesystem::path path = file.empty() ? resource_path("taxonomy/prompts/labeler.json") : file;
  return parse(read_file(path), path.string());
}

LabelerPrompt LabelerPrompt::parse(std::string_view text, const std::string& origin) {
  nlohmann::json doc = parse_json(text, origin);
  if (!doc.is_object()) throw Error(origin + ": expected an object with 'system', 'ids_heading' and 'sections'");
  LabelerPrompt p;
  auto system = doc.find("system");
  if (system == doc.end() || !system->is_array() || system->empty())
    throw Error(origin + ": 'system' must be a list of lines");
  for (size_t i = 0; i < system->size(); ++i) {
    const std::string where = origin + ": 'system' line " + std::to_string(i + 1);
    if (!(*system)[i].is_string()) throw Error(where + ": expected a string");
    p.system_.push_back((*system)[i].get<std::string>());
    check_placeholders(p.system_.back(), kSystemPlaceholders, where);
  }
  p.ids_heading_ = text_member(doc, "ids_heading", origin);
  check_placeholders(p.ids_heading_, kHeadingPlaceholders, origin + ": 'ids_heading'");
  auto sections = doc.find("sections");
  if (sections == doc.end() || !sections->is_object())
    throw Error(origin + ": 'sections' must map each section to its heading");
  for (auto it = sections->begin(); it != sections->end(); ++it) {
    if (std::find(std::begin(kSectionKeys), std::end(kSectionKeys), it.key()) == std::end(kSectionKeys)) {
      throw Error(origin + ": 'sections': unknown section '" + it.key() +
                  "' (title, errors, report, environment, code, comments, hints)");
    }
  }
  for (size_t k = 0; k < kPromptSections; ++k)
    p.headings_[k] = text_member(*sections, kSectionKeys[k], origin + ": 'sections'");
  p.hash_ = git_blob_hash(text);
  return p;
}

std::string LabelerPrompt::system_message(const Taxonomy& t) const {
  const std::map<std::string, std::string> values = {{"taxonomy_title", t.title()},
                                                     {"taxonomy_id", t.id()},
                                                     {"taxonomy_version", t.version()},
                                                     {"stage", t.dimension("stage").definition},
                                                     {"symptom", t.dimension("symptom").definition},
                                                     {"root_cause", t.dimension("root_cause").definition}};
  std::string out;
  for (const std::string& line : system_) out += fill(line, values) + "\n";
  for (const char* d : {"stage", "symptom", "root_cause"}) {
    out += "\n" + fill(ids_heading_, {{"dimension", d}, {"name", t.dimension(d).name}}) + "\n";
    list_nodes(t, d, out);
  }
  return out;
}

}  // namespace firstmile
