// aggregate/pair_judge.cpp — the knowledge files, the pair prompt, its schema and the answer's validation.
#include "aggregate/pair_judge.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>
#include <tuple>
#include <utility>

#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "base/text.h"
#include "llm/answer_reader.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;

constexpr size_t kLineCap = 300;       // bytes per title, signature or error line
constexpr size_t kMaxLibraries = 12;

// The longest prefix of `text` of at most `n` bytes that does not split a UTF-8 character.
std::string_view utf8_suffix(std::string_view text, size_t n) {
  if (text.size() <= n) return text;
  size_t start = text.size() - n;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return text.substr(start);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// An excerpt's beginning says what was done, its end what came of it.
std::string head_and_tail(std::string_view text, size_t cap) {
  text = trim(text);
  if (text.size() <= cap) return std::string(text);
  const std::string marker = "\n[... cut ...]\n";
  if (cap <= marker.size()) return std::string(utf8_prefix(text, cap));
  size_t head = (cap - marker.size()) * 2 / 3;
  return std::string(utf8_prefix(text, head)) + marker + std::string(utf8_suffix(text, cap - marker.size() - head));
}

std::string one_line(std::string_view text) { return normalize_space(utf8_prefix(text, kLineCap)); }

// ---- knowledge files

void check_keys(const json& object, std::initializer_list<const char*> allowed, const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return it.key() == k; });
    if (known) continue;
    std::string list;
    for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
    throw Error(where + ": unknown field '" + it.key() + "' (" + list + ")");
  }
}

std::string text_member(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) throw Error(where + ": missing '" + key + "'");
  if (!it->is_string()) throw Error(where + ": '" + key + "' must be a string, got " + json_type_name(*it));
  std::string value = normalize_space(it->get<std::string>());
  if (value.empty()) throw Error(where + ": '" + key + "' is empty");
  return value;
}

const json& list_member(const json& doc, const char* key, const std::string& origin) {
  const json& list = doc[key];
  if (!list.is_array()) throw Error(origin + ": '" + key + "' must be a list, got " + json_type_name(list));
  return list;
}

KnownChange parse_change(const json& c, const std::string& origin, size_t index) {
  std::string where = origin + ": change " + std::to_string(index);
  if (!c.is_object()) throw Error(where + ": expected an object, got " + json_type_name(c));
  KnownChange change;
  change.id = text_member(c, "id", where);
  where = origin + ": change '" + change.id + "'";
  check_keys(c, {"id", "library", "versions", "description", "tell_tale_errors", "root_cause"}, where);
  change.origin = where;
  change.library = text_member(c, "library", where);
  change.versions = text_member(c, "versions", where);
  change.description = text_member(c, "description", where);
  change.root_cause = text_member(c, "root_cause", where);
  auto errors = c.find("tell_tale_errors");
  if (errors == c.end() || !errors->is_array() || errors->empty()) {
    throw Error(where + ": 'tell_tale_errors' must be a non-empty list of error strings");
  }
  for (const json& e : *errors) {
    // Verbatim: only the ends are trimmed, inner spacing may be part of the message.
    if (!e.is_string() || trim(e.get_ref<const std::string&>()).empty()) {
      throw Error(where + ": 'tell_tale_errors' must hold non-empty strings");
    }
    change.tell_tale_errors.emplace_back(trim(e.get_ref<const std::string&>()));
  }
  return change;
}

// ---- the prompt

std::string node_label(const Taxonomy& t, const std::string& id) {
  const TaxonomyNode* node = t.find(id);
  return node ? id + " (" + t.path_name(*node) + ")" : id;
}

void list_root_causes(const Taxonomy& t, const Knowledge& k, std::string& out) {
  int levels = t.dimension("root_cause").levels;
  for (const TaxonomyNode& node : t.nodes()) {
    if (node.dimension != "root_cause" || node.level > levels) continue;
    out += std::string(static_cast<size_t>(2 * (node.level - 1)), ' ') + "- " + node.id + " — " + t.path_name(node);
    if (!node.definition.empty()) out += ": " + node.definition;
    for (const RootCauseNote& n : k.notes) {
      if (n.root_cause == node.id) out += " For pairs: " + n.note;
    }
    out += "\n";
  }
}

void list_changes(const Taxonomy& t, const Knowledge& k, std::string& out) {
  for (const KnownChange& c : k.changes) {
    out += "- [" + c.id + "] " + c.library + " (" + c.versions + "): " + c.description + " Tell-tale errors: ";
    for (size_t i = 0; i < c.tell_tale_errors.size(); ++i) out += (i ? "; \"" : "\"") + c.tell_tale_errors[i] + "\"";
    out += ". Root cause: " + node_label(t, c.root_cause) + ".\n";
  }
}

}  // namespace

Knowledge Knowledge::load(const std::filesystem::path& directory) {
  std::filesystem::path dir = directory.empty() ? resource_path("taxonomy/knowledge") : directory;
  if (!std::filesystem::is_directory(dir)) throw Error(dir.string() + ": no such knowledge directory");
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) throw Error(dir.string() + ": no knowledge files (*.json)");
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& p : paths) files.emplace_back(p.string(), read_file(p));
  return parse(files);
}

Knowledge Knowledge::parse(const std::vector<std::pair<std::string, std::string>>& files) {
  Knowledge k;
  std::set<std::string> ids;
  for (const auto& [origin, content] : files) {
    k.origin += (k.origin.empty() ? "" : ", ") + origin;
    json doc = parse_json(content, origin);
    if (!doc.is_object() || doc.empty()) {
      throw Error(origin + ": expected an object with 'guidance', 'notes' or 'changes'");
    }
    check_keys(doc, {"guidance", "notes", "changes"}, origin);
    if (doc.contains("guidance")) {
      size_t index = 0;
      for (const json& g : list_member(doc, "guidance", origin)) {
        std::string where = origin + ": guidance " + std::to_string(++index);
        if (!g.is_string() || normalize_space(g.get_ref<const std::string&>()).empty()) {
          throw Error(where + ": expected a non-empty string");
        }
        k.guidance.push_back(normalize_space(g.get_ref<const std::string&>()));
      }
    }
    if (doc.contains("notes")) {
      size_t index = 0;
      for (const json& n : list_member(doc, "notes", origin)) {
        std::string where = origin + ": note " + std::to_string(++index);
        if (!n.is_object()) throw Error(where + ": expected an object, got " + json_type_name(n));
        check_keys(n, {"root_cause", "note"}, where);
        k.notes.push_back({text_member(n, "root_cause", where), text_member(n, "note", where), where});
      }
    }
    if (doc.contains("changes")) {
      size_t index = 0;
      for (const json& c : list_member(doc, "changes", origin)) {
        KnownChange change = parse_change(c, origin, ++index);
        if (!ids.insert(change.id).second) throw Error(change.origin + ": duplicate change id");
        k.changes.push_back(std::move(change));
      }
    }
  }
  return k;
}

void Knowledge::check(const Taxonomy& taxonomy) const {
  if (!taxonomy.has_dimension("root_cause")) throw Error(taxonomy.origin() + ": no 'root_cause' dimension");
  int levels = taxonomy.dimension("root_cause").levels;
  auto verify = [&](const std::string& id, const std::string& where) {
    const TaxonomyNode* node = taxonomy.find(id);
    if (!node || node->dimension != "root_cause" || node->level > levels) {
      throw Error(where + ": root cause '" + id + "' is not a root_cause node of taxonomy " + taxonomy.id() +
                  " (levels 1-" + std::to_string(levels) + ")");
    }
  };
  for (const RootCauseNote& n : notes) verify(n.root_cause, n.origin);
  for (const KnownChange& c : changes) verify(c.root_cause, c.origin);
}

PairJudge::PairJudge(const Taxonomy& taxonomy, const Knowledge& knowledge, PairJudgeOptions options)
    : taxonomy_(taxonomy), knowledge_(knowledge), options_(options) {
  knowledge_.check(taxonomy_);
  const Taxonomy& t = taxonomy_;
  system_ = "You compare failure reports from GitHub issues of open-source LLM projects, to group reports of one "
            "incident. For the two reports you are given, decide whether they share ONE root cause: the same "
            "underlying defect, change or misconfiguration, so that one fix resolves both. A similar symptom, the "
            "same model or the same repository is not enough.\n"
            "Root causes follow the taxonomy \"" + t.title() + "\" (" + t.id() + ", version " + t.version() + "): " +
            t.dimension("root_cause").definition + "\n"
            "Answer with one JSON object and nothing else: {\"same_root_cause\": true|false, \"reason\": \"one or "
            "two sentences naming the shared cause, or what differs\"}.\n";
  if (!knowledge_.guidance.empty()) {
    system_ += "\n## When two reports share a root cause\n";
    for (const std::string& g : knowledge_.guidance) system_ += "- " + g + "\n";
  }
  system_ += "\n## Root causes (" + t.dimension("root_cause").name + ")\n";
  list_root_causes(t, knowledge_, system_);
  if (!knowledge_.changes.empty()) {
    system_ += "\n## Known breaking changes and their tell-tale errors\n";
    list_changes(t, knowledge_, system_);
  }
  schema_ = {{"type", "object"},
             {"properties", {{"same_root_cause", {{"type", "boolean"}}}, {"reason", {{"type", "string"}}}}},
             {"required", {"same_root_cause", "reason"}},
             {"additionalProperties", false}};
}

std::string PairJudge::describe(const PairReport& r) const {
  std::string out = r.repository + "#" + std::to_string(r.number);
  if (!r.created_at.empty()) out += ", opened " + one_line(r.created_at);
  out += "\nTitle: " + one_line(r.title) + "\n";
  if (!trim(r.error_signature).empty()) out += "Error signature: " + one_line(r.error_signature) + "\n";
  std::string errors;
  size_t shown = 0;
  for (const std::string& e : r.error_lines) {
    if (shown == options_.max_error_lines) break;
    std::string line = one_line(e);
    if (line.empty()) continue;
    errors += "- " + line + "\n";
    ++shown;
  }
  if (!errors.empty()) out += "Error lines:\n" + errors;
  std::vector<std::string> libraries;
  for (const std::string& l : r.libraries) {
    if (libraries.size() < kMaxLibraries && !trim(l).empty()) libraries.push_back(one_line(l));
  }
  if (!libraries.empty()) out += "Libraries: " + join(libraries, ", ") + "\n";
  // Only a label the taxonomy can give is shown; anything else would be noise.
  const TaxonomyNode* label = taxonomy_.find(r.root_cause);
  if (label && label->dimension == "root_cause") {
    out += "Root-cause label (a hint, may be wrong): " + node_label(taxonomy_, label->id) + "\n";
  }
  std::string excerpt = head_and_tail(r.excerpt, options_.max_excerpt_chars);
  if (!excerpt.empty()) out += "Excerpt:\n" + excerpt + "\n";
  return out;
}

LlmRequest PairJudge::request(const PairReport& a, const PairReport& b) const {
  std::string first = describe(a), second = describe(b);
  // (repository, number) orders the pair; the descriptions break a tie so that equal keys
  // still give one request whatever the argument order.
  if (std::tie(b.repository, b.number, second) < std::tie(a.repository, a.number, first)) std::swap(first, second);
  std::string user = "Do these two failure reports share one root cause?\n\n## Report 1: " + first +
                     "\n## Report 2: " + second;
  return {.system = system_, .user = user, .schema_name = kSchemaName, .schema = schema_};
}

PairVerdict PairJudge::read_answer(std::string_view content) const {
  PairVerdict verdict;
  verdict.raw = std::string(content);
  auto reject = [&](const std::string& why) {
    PairVerdict rejected;
    rejected.error = "answer rejected: " + why;
    rejected.raw = std::move(verdict.raw);
    return rejected;
  };
  JsonAnswer read = read_json_answer(content, {"same_root_cause", "reason"}, ExtraFields::kRejected);
  if (!read.ok()) return reject(read.error);
  json& answer = read.value;
  if (!answer["same_root_cause"].is_boolean()) return reject("same_root_cause is not true or false");
  if (!answer["reason"].is_string()) return reject("reason is not a string");
  std::string reason = normalize_space(answer["reason"].get_ref<const std::string&>());
  if (reason.empty()) return reject("reason is empty");
  verdict.same = answer["same_root_cause"].get<bool>();
  verdict.reason = std::string(utf8_prefix(reason, options_.max_reason_chars));
  verdict.ok = true;
  return verdict;
}

}  // namespace firstmile
