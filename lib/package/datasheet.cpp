// package/datasheet.cpp — the datasheet's sections, from the manifest and the store.
#include "package/datasheet.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "base/atomic_file.h"
#include "base/error.h"
#include "labels/annotator_agreement.h"
#include "select/funnel.h"
#include "store/selections.h"
#include "store/store.h"

namespace firstmile {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

std::string blank(const std::string& what) { return "[TO BE WRITTEN: " + what + "]"; }

std::string fixed(double value, int digits) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

int64_t rows_of(const ordered_json& manifest, const std::string& table) {
  const ordered_json& rows = manifest["row_counts"];
  return rows.contains(table) ? rows[table].get<int64_t>() : 0;
}

std::string cff_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

void composition(std::ostream& out, Store& store, const ordered_json& m) {
  out << "## Composition\n\n";
  const ordered_json& d = m["dataset"];
  out << "- Labelled dataset (`dataset/`, the layout of Open-LLM-Failures): source `" << d["source"].get<std::string>()
      << "`, " << d["records"].get<int64_t>() << " records in " << d["files"].get<int64_t>() << " files.\n";
  out << "- Repositories: " << rows_of(m, "repositories") << "; issues and pull requests: " << rows_of(m, "issues")
      << "; comments: " << rows_of(m, "comments") << "; issue events: " << rows_of(m, "issue_events")
      << "; timeline events: " << rows_of(m, "timeline_events")
      << "; commits: " << rows_of(m, "commits") << "; incidents: " << rows_of(m, "incidents") << ".\n";
  out << "- Annotations per source (a failure of an issue, labelled by one source):\n";
  for (const SourceCount& s : store.sources()) out << "  - `" << s.source << "`: " << s.annotations << "\n";
  out << "- People: " << (m["options"]["pseudonymised"].get<bool>()
                              ? "every login, author name and e-mail is a keyed pseudonym (`anon-` and 16 hex "
                                "digits, HMAC-SHA-256 under a salt that is not part of the package); @-mentions "
                                "in text are rewritten the same way."
                              : "logins, names and e-mails are kept as GitHub and git give them (`--keep-logins`).")
      << "\n";
  out << "- Text: " << (m["options"]["include_text"].get<bool>()
                            ? "report bodies, comments, commit and tag messages are included."
                            : "report bodies, comments, commit and tag messages are not included (titles are); they "
                              "remain on GitHub under the links.")
      << "\n";
  out << "- Is anything missing or held back? " << blank("what the data lacks and why") << "\n\n";
}

void collection(std::ostream& out, Store& store, const ordered_json& m) {
  out << "## Collection process\n\n";
  out << "The data were gathered with firstmile " << m["tool_version"].get<std::string>() << " in "
      << m["runs"].size() << " recorded runs (commands and times in MANIFEST.json and `tables/runs.csv`):\n\n";
  std::map<std::string, int64_t> commands;
  for (const auto& run : m["runs"]) ++commands[run["command"].get<std::string>()];
  for (const auto& [command, n] : commands) out << "- `firstmile " << command << "`: " << n << "\n";
  out << "\nHow current each repository's data is (server time of the last complete mining pass, when issue text "
         "last came in, newest commit):\n\n"
      << "| repository | issues as of | comments as of | text fetched | newest commit |\n|---|---|---|---|---|\n";
  for (const auto& r : m["repositories"]) {
    auto cell = [&](const char* key) {
      std::string v = r[key].is_string() ? r[key].get<std::string>() : "";
      return v.empty() ? std::string("-") : v;
    };
    out << "| " << r["repository"].get<std::string>() << " | " << cell("issues_as_of") << " | "
        << cell("comments_as_of") << " | " << cell("text_fetched_at") << " | " << cell("newest_commit") << " |\n";
  }
  out << "\n";
  std::vector<std::string> selections = selection_names(store);
  for (const std::string& name : selections) {
    Funnel f = load_funnel(store, name);
    out << "Selection funnel `" << name << "` (issues reaching each step, all repositories):\n\n";
    for (int step = 1; step <= kSelectionSteps; ++step) {
      auto s = static_cast<SelectionStep>(step);
      out << step << ". " << step_title(s) << ": " << f.total.counts[step_index(s)] << "\n";
    }
    out << "\n";
  }
  if (selections.empty()) out << "No selection funnel was recorded (`firstmile select` did not run).\n\n";
  out << "Steps done by hand (screening, reading whole threads) and by whom: " << blank("manual selection steps")
      << "\n\n";
}

void labelling(std::ostream& out, Store& store, const Taxonomy& taxonomy, const ordered_json& m) {
  out << "## Labelling process\n\n";
  out << "Labels are nodes of taxonomy";
  for (const auto& t : m["taxonomies"]) {
    out << " `" << t["id"].get<std::string>() << "` version " << t["version"].get<std::string>() << " (git blob "
        << t["hash"].get<std::string>() << ")";
  }
  out << "; copies are in `taxonomy/`. Each annotation carries its evidence (`tables/annotations.csv`).\n\n";
  std::vector<std::string> humans;
  for (const SourceCount& s : store.sources()) {
    if (s.source.rfind("gold:", 0) == 0 || s.source.rfind("manual:", 0) == 0) humans.push_back(s.source);
  }
  const ordered_json& llm = m["llm"]["labels"];
  if (!llm.empty()) {
    out << "LLM-made labels (model, prompt hash and template in `llm/`):\n\n";
    for (const auto& g : llm) {
      out << "- `" << g["source"].get<std::string>() << "` (run " << g["run_id"].get<int64_t>() << "): model `"
          << g["model"].get<std::string>() << "`, prompt " << g["prompt_hash"].get<std::string>() << ", "
          << g["labels"].get<int64_t>() << " labels\n";
    }
    out << "\n";
  }
  if (humans.size() >= 2) {
    AnnotatorAgreement a = annotator_agreement(store, taxonomy, direct_resolver(taxonomy), humans);
    out << "Agreement between the human sources (" << a.issues_all << " issues labelled by all):\n\n"
        << "| dimension | level | failures | raw agreement | kappa | Krippendorff's alpha |\n|---|---|---|---|---|---|\n";
    for (const LevelAgreement& l : a.levels) {
      const stats::Kappa& k = l.cohen.n > 0 ? l.cohen : l.fleiss;
      out << "| " << l.dimension << " | " << l.level << " | " << l.items << " | " << fixed(l.raw_agreement(), 3)
          << " | " << (k.ok ? fixed(k.kappa, 3) : "-") << " | " << (l.alpha.ok ? fixed(l.alpha.alpha, 3) : "-")
          << " |\n";
    }
    out << "\n";
  } else {
    out << "Only one human source is in the database, so no agreement between annotators is computed. How the "
           "labels were made and checked: "
        << blank("annotators, training, disagreements and how they were resolved") << "\n\n";
  }
}

}  // namespace

void write_citation(const fs::path& dir, const ordered_json& m) {
  std::ostringstream out;
  out << "# CITATION.cff of a firstmile package. Replace every [TO BE WRITTEN: ...] before publishing.\n"
      << "cff-version: 1.2.0\n"
      << "message: \"If you use this dataset, please cite it as below.\"\n"
      << "type: dataset\n"
      << "title: " << cff_quoted(blank("title of the dataset")) << "\n"
      << "authors:\n"
      << "  - name: " << cff_quoted(blank("authors, one entry each")) << "\n"
      << "version: " << cff_quoted(m["created_at"].is_string() ? m["created_at"].get<std::string>() : "") << "\n"
      << "date-released: " << cff_quoted(blank("YYYY-MM-DD")) << "\n"
      << "license: " << cff_quoted(blank("SPDX licence id, e.g. CC-BY-4.0")) << "\n"
      << "abstract: " << cff_quoted("Failures of open-source LLMs reported in GitHub issues: " +
                                    std::to_string(m["dataset"]["records"].get<int64_t>()) +
                                    " labelled failures (source " + m["dataset"]["source"].get<std::string>() +
                                    "), with symptom, root cause and lifecycle stage.")
      << "\n"
      << "keywords:\n  - large language models\n  - failures\n  - GitHub issues\n  - empirical study\n"
      << "references:\n"
      << "  - type: software\n    title: firstmile\n    version: " << cff_quoted(m["tool_version"].get<std::string>())
      << "\n    authors:\n      - name: \"firstmile contributors\"\n";
  write_file_atomically(dir / "CITATION.cff", out.str());
}

void write_datasheet(Store& store, const Taxonomy& taxonomy, const fs::path& dir, const ordered_json& m) {
  std::ostringstream out;
  out << "# Datasheet\n\n"
      << "Following *Datasheets for Datasets* (Gebru et al.). Filled from the database by `firstmile package`; "
         "every `[TO BE WRITTEN: ...]` is for the authors to write.\n\n";
  out << "## Motivation\n\n"
      << "- Why was the dataset made? " << blank("purpose, research questions") << "\n"
      << "- Who made it, and who funded it? " << blank("creators, funding") << "\n\n";
  composition(out, store, m);
  collection(out, store, m);
  labelling(out, store, taxonomy, m);
  out << "## Uses\n\n"
      << "- Uses so far: " << blank("papers and analyses that used it") << "\n"
      << "- Uses to avoid: contacting or profiling the people behind the pseudonyms; " << blank("other uses to avoid")
      << "\n"
      << "- The paper's tables and figures were made from these labels with `firstmile analyze --out` (`paper/`).\n\n";
  out << "## Distribution\n\n"
      << "- Licence: " << blank("licence of the data, and of the reports' text if included") << "\n"
      << "- Where it is published: " << blank("archive and DOI") << "\n"
      << "- Integrity: `firstmile package --verify DIR` checks every file against the SHA-256 in MANIFEST.json.\n"
      << "- GitHub's terms allow research use of public personal information when the results are published "
         "openly: "
      << blank("how this publication meets that") << "\n\n";
  out << "## Maintenance\n\n- Who maintains it, and how to report errors: " << blank("contact") << "\n";
  write_file_atomically(dir / "DATASHEET.md", out.str());
}

}  // namespace firstmile
