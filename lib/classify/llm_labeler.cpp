// classify/llm_labeler.cpp — one issue as the labelling prompt, its answer schema, and the answer's validation.
#include "classify/llm_labeler.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdio>

#include "base/error.h"
#include "base/text.h"
#include "llm/answer_reader.h"

namespace firstmile {

namespace {

using nlohmann::json;

constexpr size_t kLongLog = 60;   // lines: a block longer than this is cut
constexpr size_t kLogHead = 3;    // the command or first lines of a long log
constexpr size_t kLogTail = 40;   // the end of a long log, where the failure is named
constexpr size_t kLineCap = 400;  // bytes per line (progress bars and tensors make huge lines)

// The longest prefix of `text` of at most `n` bytes that does not split a UTF-8 character.
std::string_view utf8_suffix(std::string_view text, size_t n) {
  if (text.size() <= n) return text;
  size_t start = text.size() - n;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return text.substr(start);
}

std::string strip(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n')) --b;
  return std::string(s.substr(a, b - a));
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(utf8_prefix(line, kLineCap));
    pos = end + 1;
  }
  return lines;
}

std::string cut_marker(size_t lines) { return "[... " + std::to_string(lines) + " lines cut ...]"; }

// Prose and comments: the beginning says what was done, the end what came of it.
std::string head_and_tail(std::string_view text, size_t cap) {
  std::string s = strip(text);
  if (s.size() <= cap) return s;
  const std::string marker = "\n[... cut ...]\n";
  if (cap <= marker.size()) return std::string(utf8_prefix(s, cap));
  size_t head = (cap - marker.size()) / 3;
  return std::string(utf8_prefix(s, head)) + marker + std::string(utf8_suffix(s, cap - marker.size() - head));
}

std::string hint_line(const Taxonomy& t, const std::string& dimension, const std::vector<LabelHint>& hints,
                      size_t max) {
  std::string out;
  size_t n = 0;
  for (const LabelHint& h : hints) {
    const TaxonomyNode* node = t.find(h.node_id);
    if (!node || node->dimension != dimension || n == max) continue;
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", h.score);
    out += (n++ ? ", " : "") + node->id + " (" + score + ")";
  }
  return out;
}

json id_enum(const Taxonomy& t, const std::string& dimension) {
  json ids = json::array();
  int levels = t.dimension(dimension).levels;
  for (const TaxonomyNode& node : t.nodes()) {
    if (node.dimension == dimension && node.level <= levels) ids.push_back(node.id);
  }
  // Null is for reports that are not failures; anyOf is how strict structured output spells it.
  return {{"anyOf", json::array({{{"type", "string"}, {"enum", ids}}, {{"type", "null"}}})}};
}

// Lines that are one of the error lines (compared without surrounding white space).
class ErrorLines {
 public:
  explicit ErrorLines(const std::vector<std::string>& error_lines) {
    for (const std::string& e : error_lines) errors_.push_back(strip(utf8_prefix(e, kLineCap)));
  }
  bool contains(const std::string& line) const {
    std::string s = strip(line);
    return !s.empty() && std::find(errors_.begin(), errors_.end(), s) != errors_.end();
  }

 private:
  std::vector<std::string> errors_;
};

// Blocks are runs of lines between blank lines; a long one keeps its head, errors and tail.
std::vector<std::string> cut_long_blocks(std::string_view code, const ErrorLines& errors) {
  std::vector<std::string> lines = split_lines(code);
  std::vector<std::string> kept;
  for (size_t i = 0; i < lines.size();) {
    if (strip(lines[i]).empty()) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lines.size() && !strip(lines[end]).empty()) ++end;
    if (!kept.empty()) kept.emplace_back();
    size_t size = end - i;
    size_t cut = 0;
    for (size_t k = i; k < end; ++k) {
      bool keep = size <= kLongLog || k - i < kLogHead || end - k <= kLogTail || errors.contains(lines[k]);
      if (!keep) {
        ++cut;
        continue;
      }
      if (cut) kept.push_back(cut_marker(cut));
      cut = 0;
      kept.push_back(std::move(lines[k]));
    }
    i = end;
  }
  return kept;
}

// Still too long: error lines first (up to a third), a marker, then the longest end that fits.
std::string errors_and_end(const std::vector<std::string>& kept, const ErrorLines& errors, size_t max_chars) {
  const size_t error_budget = max_chars / 3;
  size_t errors_total = 0;
  for (const std::string& line : kept) errors_total += errors.contains(line) ? line.size() + 1 : 0;
  size_t tail_size = 0, errors_in_tail = 0, start = kept.size();
  while (start > 0) {
    const std::string& line = kept[start - 1];
    const bool error = errors.contains(line);
    size_t front_errors = std::min(error_budget, errors_total - errors_in_tail - (error ? line.size() + 1 : 0));
    if (front_errors + cut_marker(start).size() + 1 + tail_size + line.size() + 1 > max_chars) break;
    tail_size += line.size() + 1;
    if (error) errors_in_tail += line.size() + 1;
    --start;
  }
  std::string out;
  size_t front = 0, front_lines = 0;
  for (size_t k = 0; k < start; ++k) {
    if (!errors.contains(kept[k]) || front + kept[k].size() + 1 > error_budget) continue;
    out += kept[k] + "\n";
    front += kept[k].size() + 1;
    ++front_lines;
  }
  if (start > 0) out += cut_marker(start - front_lines) + "\n";
  std::vector<std::string> tail(kept.begin() + static_cast<std::ptrdiff_t>(start), kept.end());
  out += join(tail, "\n");
  return std::string(utf8_prefix(out, max_chars));
}

}  // namespace

std::string trim_for_prompt(std::string_view code, const std::vector<std::string>& error_lines, size_t max_chars) {
  ErrorLines errors(error_lines);
  std::vector<std::string> kept = cut_long_blocks(code, errors);
  std::string text = join(kept, "\n");
  if (text.size() <= max_chars) return text;
  return errors_and_end(kept, errors, max_chars);
}

LlmLabeler::LlmLabeler(const Taxonomy& taxonomy, LlmLabelerOptions options)
    : taxonomy_(taxonomy), options_(std::move(options)), prompt_(LabelerPrompt::load(options_.prompt_file)) {
  for (const char* d : {"stage", "symptom", "root_cause"}) {
    if (!taxonomy_.has_dimension(d))
      throw Error(taxonomy_.origin() + ": the LLM labeler needs a '" + d + "' dimension");
  }
  const Taxonomy& t = taxonomy_;
  system_ = prompt_.system_message(t);
  schema_ = {{"type", "object"},
             {"properties",
              {{"is_failure", {{"type", "boolean"}}},
               {"stage", id_enum(t, "stage")},
               {"symptom", id_enum(t, "symptom")},
               {"root_cause", id_enum(t, "root_cause")},
               {"rationale", {{"type", "string"}}}}},
             {"required", {"is_failure", "stage", "symptom", "root_cause", "rationale"}},
             {"additionalProperties", false}};
}

LlmRequest LlmLabeler::request(const IssueFeatures& issue, const RuleHints& hints) const {
  const size_t budget = options_.max_issue_chars;
  std::string title = normalize_space(utf8_prefix(issue.title, 300));
  std::string errors;
  for (const std::string& e : issue.error_lines) {
    if (errors.size() + e.size() + 3 > budget / 5) break;
    errors += "- " + e + "\n";
  }
  // The versions and hardware the report lists: short, and often what the cause turns on.
  std::string environment = std::string(utf8_prefix(strip(issue.environment), budget / 10));
  // Shares of what is left: code and logs first, then the prose, then the thread; a section
  // that needs less than its share leaves the rest to the others.
  const size_t fixed = title.size() + errors.size() + environment.size();
  size_t rest = budget > fixed ? budget - fixed : 0;
  std::string prose = strip(issue.prose), comments = strip(issue.comments);
  size_t need[3] = {issue.code.size(), prose.size(), comments.size()};
  size_t share[3] = {rest * 45 / 100, rest * 35 / 100, rest * 20 / 100};
  size_t give[3];
  size_t left = rest;
  for (int k = 0; k < 3; ++k) left -= give[k] = std::min(need[k], share[k]);
  for (int k = 0; k < 3; ++k) {
    size_t more = std::min(left, need[k] - give[k]);
    give[k] += more;
    left -= more;
  }

  auto section = [this](PromptSection part) { return "\n" + prompt_.heading(part) + ":\n"; };
  std::string user = prompt_.heading(PromptSection::kTitle) + ": " + title + "\n";
  if (!errors.empty()) user += section(PromptSection::kErrors) + errors;
  if (!prose.empty()) user += section(PromptSection::kReport) + head_and_tail(prose, give[1]) + "\n";
  if (!environment.empty()) user += section(PromptSection::kEnvironment) + environment + "\n";
  std::string code = trim_for_prompt(issue.code, issue.error_lines, give[0]);
  if (!code.empty()) user += section(PromptSection::kCode) + code + "\n";
  if (!comments.empty()) user += section(PromptSection::kComments) + head_and_tail(comments, give[2]) + "\n";
  std::string hint_text;
  for (auto [d, h] : {std::pair<const char*, const std::vector<LabelHint>*>{"stage", &hints.stage},
                      {"symptom", &hints.symptom},
                      {"root_cause", &hints.root_cause}}) {
    std::string line = hint_line(taxonomy_, d, *h, options_.max_hints);
    if (!line.empty()) hint_text += "- " + std::string(d) + ": " + line + "\n";
  }
  if (!hint_text.empty()) user += section(PromptSection::kHints) + hint_text;
  return {.system = system_, .user = user, .schema_name = kSchemaName, .schema = schema_};
}

std::string LlmLabeler::check_node(const json& answer, const std::string& field, const std::string& dimension,
                                   bool required, std::string& id) const {
  const json& v = answer[field];
  if (v.is_null()) return required ? field + " is null but is_failure is true" : "";
  if (!v.is_string()) return field + " is not a string";
  id = v.get<std::string>();
  const TaxonomyNode* node = taxonomy_.find(id);
  if (!node) return field + " '" + id + "' is not a node of taxonomy " + taxonomy_.id();
  if (node->dimension != dimension)
    return field + " '" + id + "' is a " + node->dimension + " node, not a " + dimension;
  if (node->level > taxonomy_.dimension(dimension).levels) return field + " '" + id + "' is deeper than labels go";
  return "";
}

LlmLabel LlmLabeler::read_answer(std::string_view content) const {
  LlmLabel label;
  label.raw = std::string(content);
  auto reject = [&](const std::string& why) {
    LlmLabel rejected;
    rejected.error = "answer rejected: " + why;
    rejected.raw = std::move(label.raw);
    return rejected;
  };
  JsonAnswer read = read_json_answer(content, {"is_failure", "stage", "symptom", "root_cause", "rationale"});
  if (!read.ok()) return reject(read.error);
  json& answer = read.value;
  if (!answer["is_failure"].is_boolean()) return reject("is_failure is not true or false");
  if (!answer["rationale"].is_string()) return reject("rationale is not a string");
  label.is_failure = answer["is_failure"].get<bool>();
  for (auto [field, id] : {std::pair<const char*, std::string*>{"stage", &label.stage},
                           {"symptom", &label.symptom},
                           {"root_cause", &label.root_cause}}) {
    std::string why = check_node(answer, field, field, label.is_failure, *id);
    if (!why.empty()) return reject(why);
  }
  label.rationale =
      std::string(utf8_prefix(normalize_space(answer["rationale"].get<std::string>()), options_.max_rationale_chars));
  label.ok = true;
  return label;
}

}  // namespace firstmile
