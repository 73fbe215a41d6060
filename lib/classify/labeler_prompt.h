// classify/labeler_prompt.h — the words of the LLM labeller's prompt, read from taxonomy/prompts/.
//
//   LabelerPrompt prompt = LabelerPrompt::load();         // taxonomy/prompts/labeler.json, checked
//   std::string system = prompt.system_message(taxonomy);  // the task, then every dimension's ids
//   prompt.heading(PromptSection::kErrors)                  // "Error lines"
//   prompt.hash()                                           // of the file, for provenance
//
// The file holds the system message as lines with placeholders ({{taxonomy_title}},
// {{taxonomy_id}}, {{taxonomy_version}}, {{stage}}, {{symptom}}, {{root_cause}}: the last three
// the dimensions' definitions), the heading above each dimension's id list ({{dimension}},
// {{name}}), and the headings of the user message's sections. Loading checks every field and
// placeholder and throws Error naming the file and the field.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace firstmile {

class Taxonomy;

// The parts of the user message, in the order LlmLabeler writes them.
enum class PromptSection { kTitle, kErrors, kReport, kEnvironment, kCode, kComments, kHints };
inline constexpr size_t kPromptSections = 7;

class LabelerPrompt {
 public:
  // `file` empty: taxonomy/prompts/labeler.json from the resource directory.
  static LabelerPrompt load(const std::filesystem::path& file = {});
  // `origin` names the text in error messages.
  static LabelerPrompt parse(std::string_view text, const std::string& origin);

  // The system lines filled in for `taxonomy`, each ending in a newline, then for stage,
  // symptom and root cause a blank line, the heading and one line per node down to the
  // dimension's labelled depth.
  std::string system_message(const Taxonomy& taxonomy) const;
  const std::string& heading(PromptSection section) const { return headings_[static_cast<size_t>(section)]; }
  const std::string& hash() const { return hash_; }  // git blob hash of the file

 private:
  std::vector<std::string> system_;
  std::string ids_heading_;
  std::array<std::string, kPromptSections> headings_;
  std::string hash_;
};

}  // namespace firstmile
