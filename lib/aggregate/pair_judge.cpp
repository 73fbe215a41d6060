// aggregate/pair_judge.cpp — the knowledge and prompt files, the pair prompt, its schema, the
// answer's validation, and the asker that puts them between the grouping and an LLM client.
#include "aggregate/pair_judge.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>
#include <tuple>
#include <utility>

#include "aggregate/json_fields.h"
#include "base/content_hash.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "base/text.h"
#include "llm/answer_reader.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

using nlohmann::json;

constexpr size_t kLineCap = 300;  // bytes per title, signature or error line
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
std::string head_and_tail(std::string_view text, size_t cap, const std::string& cut_marker) {
  text = trim(text);
  if (text.size() <= cap) return std::string(text);
  const std::string marker = "\n" + cut_marker + "\n";
  if (cap <= marker.size()) return std::string(utf8_prefix(text, cap));
  size_t head = (cap - marker.size()) * 2 / 3;
  return std::string(utf8_prefix(text, head)) + marker + std::string(utf8_suffix(text, cap - marker.size() - head));
}

std::string one_line(std::string_view text) { return normalize_space(utf8_prefix(text, kLineCap)); }

// ---- knowledge files

KnownChange parse_change(const json& c, const std::string& origin, size_t index) {
  std::string where = origin + ": change " + std::to_string(index);
  if (!c.is_object()) throw Error(where + ": expected an object, got " + json_type_name(c));
  KnownChange change;
  change.id = text_field(c, "id", where);
  where = origin + ": change '" + change.id + "'";
  check_fields(c,
               {"id", "library", "versions", "description", "tell_tale_errors", "root_cause", "one_incident",
                "any_release"},
               where);
  change.origin = where;
  change.library = text_field(c, "library", where);
  change.versions = text_field(c, "versions", where);
  change.description = text_field(c, "description", where);
  change.root_cause = text_field(c, "root_cause", where);
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
  auto one = c.find("one_incident");
  if (one == c.end() || !one->is_boolean()) {
    throw Error(where +
                ": 'one_incident' must be true (one root cause whoever reports it) or false (a kind of failure)");
  }
  change.one_incident = one->get<bool>();
  if (auto any = c.find("any_release"); any != c.end()) {
    if (!any->is_boolean()) throw Error(where + ": 'any_release' must be true or false");
    change.any_release = any->get<bool>();
  }
  return change;
}

// ---- the prompt file

// One text of the prompt file: its section, its name there, where it goes, the values it may
// use.
struct PromptText {
  const char* section;
  const char* key;
  std::string PairPrompt::*field;
  std::vector<std::string> placeholders;
};

const std::vector<PromptText>& prompt_texts() {
  static const std::vector<PromptText> kTexts = {
      {"system", "task", &PairPrompt::task, {}},
      {"system", "taxonomy", &PairPrompt::taxonomy, {"title", "id", "version", "definition"}},
      {"system", "answer", &PairPrompt::answer, {}},
      {"system", "guidance_heading", &PairPrompt::guidance_heading, {}},
      {"system", "root_causes_heading", &PairPrompt::root_causes_heading, {"dimension"}},
      {"system", "changes_heading", &PairPrompt::changes_heading, {}},
      {"system", "note_label", &PairPrompt::note_label, {}},
      {"system", "errors_label", &PairPrompt::errors_label, {}},
      {"system", "root_cause_label", &PairPrompt::change_root_cause_label, {}},
      {"system", "kind_label", &PairPrompt::kind_label, {}},
      {"user", "question", &PairPrompt::question, {}},
      {"user", "report_heading", &PairPrompt::report_heading, {}},
      {"user", "opened", &PairPrompt::opened, {}},
      {"user", "title_label", &PairPrompt::title_label, {}},
      {"user", "signature_label", &PairPrompt::signature_label, {}},
      {"user", "error_lines_label", &PairPrompt::error_lines_label, {}},
      {"user", "libraries_label", &PairPrompt::libraries_label, {}},
      {"user", "root_cause_label", &PairPrompt::root_cause_label, {}},
      {"user", "excerpt_label", &PairPrompt::excerpt_label, {}},
      {"user", "cut_marker", &PairPrompt::cut_marker, {}},
  };
  return kTexts;
}

// "{name}" with name of lower-case letters and '_'; the JSON the answer text shows ({"same...)
// is none.
std::vector<std::string> placeholders_in(const std::string& text) {
  std::vector<std::string> out;
  for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    size_t end = open + 1;
    while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    if (end > open + 1 && end < text.size() && text[end] == '}') out.push_back(text.substr(open + 1, end - open - 1));
  }
  return out;
}

void check_placeholders(const PromptText& t, const std::string& text, const std::string& where) {
  for (const std::string& name : placeholders_in(text)) {
    if (std::find(t.placeholders.begin(), t.placeholders.end(), name) != t.placeholders.end()) continue;
    throw Error(
        where + ": '" + t.key + "' uses {" + name + "}" +
        (t.placeholders.empty() ? ", but takes no value" : " (it may use {" + join(t.placeholders, "}, {") + "})"));
  }
}

// `text` with each {name} replaced by its value, in one pass (a value is not searched again).
std::string fill(const std::string& text, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    bool replaced = false;
    for (const auto& [name, value] : values) {
      if (text.compare(at, name.size() + 2, "{" + name + "}") == 0) {
        out += value;
        at += name.size() + 2;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(text[at++]);
  }
  return out;
}

// ---- the prompt

std::string node_label(const Taxonomy& t, const std::string& id) {
  const TaxonomyNode* node = t.find(id);
  return node ? id + " (" + t.path_name(*node) + ")" : id;
}

void list_root_causes(const Taxonomy& t, const Knowledge& k, const PairPrompt& words, std::string& out) {
  int levels = t.dimension("root_cause").levels;
  for (const TaxonomyNode& node : t.nodes()) {
    if (node.dimension != "root_cause" || node.level > levels) continue;
    out += std::string(static_cast<size_t>(2 * (node.level - 1)), ' ') + "- " + node.id + " — " + t.path_name(node);
    if (!node.definition.empty()) out += ": " + node.definition;
    for (const RootCauseNote& n : k.notes) {
      if (n.root_cause == node.id) out += " " + words.note_label + ": " + n.note;
    }
    out += "\n";
  }
}

void list_changes(const Taxonomy& t, const Knowledge& k, const PairPrompt& words, std::string& out) {
  for (const KnownChange& c : k.changes) {
    out +=
        "- [" + c.id + "] " + c.library + " (" + c.versions + "): " + c.description + " " + words.errors_label + ": ";
    for (size_t i = 0; i < c.tell_tale_errors.size(); ++i) out += (i ? "; \"" : "\"") + c.tell_tale_errors[i] + "\"";
    out += ". " + words.change_root_cause_label + ": " + node_label(t, c.root_cause) + ".";
    if (!c.one_incident) out += " " + words.kind_label + ".";
    out += "\n";
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
  std::string contents;
  for (const auto& [origin, content] : files) {
    k.origin += (k.origin.empty() ? "" : ", ") + origin;
    contents += content;
    json doc = parse_json(content, origin);
    if (!doc.is_object() || doc.empty()) {
      throw Error(origin + ": expected an object with 'guidance', 'notes' or 'changes'");
    }
    check_fields(doc, {"guidance", "notes", "changes"}, origin);
    if (doc.contains("guidance")) {
      size_t index = 0;
      for (const json& g : list_field(doc, "guidance", origin)) {
        std::string where = origin + ": guidance " + std::to_string(++index);
        if (!g.is_string() || normalize_space(g.get_ref<const std::string&>()).empty()) {
          throw Error(where + ": expected a non-empty string");
        }
        k.guidance.push_back(normalize_space(g.get_ref<const std::string&>()));
      }
    }
    if (doc.contains("notes")) {
      size_t index = 0;
      for (const json& n : list_field(doc, "notes", origin)) {
        std::string where = origin + ": note " + std::to_string(++index);
        if (!n.is_object()) throw Error(where + ": expected an object, got " + json_type_name(n));
        check_fields(n, {"root_cause", "note"}, where);
        k.notes.push_back({text_field(n, "root_cause", where), text_field(n, "note", where), where});
      }
    }
    if (doc.contains("changes")) {
      size_t index = 0;
      for (const json& c : list_field(doc, "changes", origin)) {
        KnownChange change = parse_change(c, origin, ++index);
        if (!ids.insert(change.id).second) throw Error(change.origin + ": duplicate change id");
        k.changes.push_back(std::move(change));
      }
    }
  }
  k.hash = git_blob_hash(contents);
  return k;
}

PairPrompt PairPrompt::load(const std::filesystem::path& path) {
  std::filesystem::path file = path.empty() ? resource_path("taxonomy/prompts/pair_judge.json") : path;
  return parse(read_file(file), file.string());
}

PairPrompt PairPrompt::parse(std::string_view content, const std::string& origin) {
  json doc = parse_json(content, origin);
  if (!doc.is_object()) throw Error(origin + ": expected an object with 'system' and 'user'");
  check_fields(doc, {"system", "user"}, origin);
  PairPrompt p;
  for (const char* section : {"system", "user"}) {
    const json& texts = object_field(doc, section, origin);
    std::vector<std::string> keys;
    for (const PromptText& t : prompt_texts()) {
      if (std::string(t.section) == section) keys.push_back(t.key);
    }
    check_fields(texts, keys, origin + ": " + section);
  }
  for (const PromptText& t : prompt_texts()) {
    std::string where = origin + ": " + t.section;
    p.*t.field = verbatim_field(doc[t.section], t.key, where);
    check_placeholders(t, p.*t.field, where);
  }
  p.origin = origin;
  p.hash = git_blob_hash(content);
  return p;
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

PairJudge::PairJudge(const Taxonomy& taxonomy, const Knowledge& knowledge, PairPrompt prompt, PairJudgeOptions options)
    : taxonomy_(taxonomy), knowledge_(knowledge), prompt_(std::move(prompt)), options_(options) {
  knowledge_.check(taxonomy_);
  const Taxonomy& t = taxonomy_;
  const PairPrompt& words = prompt_;
  system_ = words.task + "\n" +
            fill(words.taxonomy, {{"title", t.title()},
                                  {"id", t.id()},
                                  {"version", t.version()},
                                  {"definition", t.dimension("root_cause").definition}}) +
            "\n" + words.answer + "\n";
  if (!knowledge_.guidance.empty()) {
    system_ += "\n## " + words.guidance_heading + "\n";
    for (const std::string& g : knowledge_.guidance) system_ += "- " + g + "\n";
  }
  system_ += "\n## " + fill(words.root_causes_heading, {{"dimension", t.dimension("root_cause").name}}) + "\n";
  list_root_causes(t, knowledge_, words, system_);
  if (!knowledge_.changes.empty()) {
    system_ += "\n## " + words.changes_heading + "\n";
    list_changes(t, knowledge_, words, system_);
  }
  schema_ = {{"type", "object"},
             {"properties", {{"same_root_cause", {{"type", "boolean"}}}, {"reason", {{"type", "string"}}}}},
             {"required", {"same_root_cause", "reason"}},
             {"additionalProperties", false}};
}

std::vector<std::pair<std::string, std::string>> PairJudge::provenance() const {
  return {{"pair_prompt_hash", prompt_.hash}, {"pair_knowledge_hash", knowledge_.hash}};
}

std::string PairJudge::describe(const PairReport& r) const {
  const PairPrompt& words = prompt_;
  std::string out = r.repository + "#" + std::to_string(r.number);
  if (!r.created_at.empty()) out += ", " + words.opened + " " + one_line(r.created_at);
  out += "\n" + words.title_label + ": " + one_line(r.title) + "\n";
  if (!trim(r.error_signature).empty()) out += words.signature_label + ": " + one_line(r.error_signature) + "\n";
  std::string errors;
  size_t shown = 0;
  for (const std::string& e : r.error_lines) {
    if (shown == options_.max_error_lines) break;
    std::string line = one_line(e);
    if (line.empty()) continue;
    errors += "- " + line + "\n";
    ++shown;
  }
  if (!errors.empty()) out += words.error_lines_label + ":\n" + errors;
  std::vector<std::string> libraries;
  for (const std::string& l : r.libraries) {
    if (libraries.size() < kMaxLibraries && !trim(l).empty()) libraries.push_back(one_line(l));
  }
  if (!libraries.empty()) out += words.libraries_label + ": " + join(libraries, ", ") + "\n";
  // Only a label the taxonomy can give is shown; anything else would be noise.
  const TaxonomyNode* label = taxonomy_.find(r.root_cause);
  if (label && label->dimension == "root_cause") {
    out += words.root_cause_label + ": " + node_label(taxonomy_, label->id) + "\n";
  }
  std::string excerpt = head_and_tail(r.excerpt, options_.max_excerpt_chars, words.cut_marker);
  if (!excerpt.empty()) out += words.excerpt_label + ":\n" + excerpt + "\n";
  return out;
}

LlmRequest PairJudge::request(const PairReport& a, const PairReport& b) const {
  std::string first = describe(a), second = describe(b);
  // (repository, number) orders the pair; the descriptions break a tie so that equal keys
  // still give one request whatever the argument order.
  if (std::tie(b.repository, b.number, second) < std::tie(a.repository, a.number, first)) std::swap(first, second);
  const std::string heading = "## " + prompt_.report_heading;
  std::string user = prompt_.question + "\n\n" + heading + " 1: " + first + "\n" + heading + " 2: " + second;
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

PairAsk llm_pair_asker(LlmClient& client, const PairJudge& judge) {
  return [&client, &judge](const std::vector<PairQuestion>& questions) {
    auto shown = [](const AggregateReport& r) {
      PairReport p;
      p.repository = r.repository;
      p.number = r.number;
      p.created_at = r.created_at;
      p.title = r.title;
      p.error_signature = r.signature;
      p.error_lines = r.error_lines;
      p.excerpt = r.excerpt;
      p.libraries = r.libraries;
      p.root_cause = r.root_cause;
      return p;
    };
    std::vector<LlmRequest> requests;
    for (const PairQuestion& q : questions) requests.push_back(judge.request(shown(*q.a), shown(*q.b)));
    std::vector<LlmResult> results = client.complete_all(requests, nullptr);
    std::vector<PairAnswer> answers;
    for (const LlmResult& r : results) {
      PairAnswer a;
      if (r.ok()) {
        PairVerdict v = judge.read_answer(r.content);
        a.ok = v.ok;
        a.same = v.same;
        a.reason = v.ok ? v.reason : v.error;
      } else {
        a.reason = r.status == LlmStatus::kRefused ? "over the --llm-budget" : r.error;
      }
      answers.push_back(std::move(a));
    }
    return answers;
  };
}

}  // namespace firstmile
