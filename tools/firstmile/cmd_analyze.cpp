// cmd_analyze.cpp — `firstmile analyze`: the study's RQ1-RQ6, as a report and as paper-ready files.
#include <iostream>
#include <set>
#include <sstream>

#include "analyze/label_view.h"
#include "analyze/report.h"
#include "analyze/study.h"
#include "base/error.h"
#include "base/json_file.h"
#include "dataset/preset.h"
#include "export/paper.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct AnalyzeArgs {
  StudyOptions options;
  std::string format = "text";
  std::string out;
  std::string formats = "csv,latex,json,svg";
  std::string preset = "open-llm-failures";
  std::vector<std::string> evolution;
  std::string crosswalk;
  std::string unit = "report";
  std::string incidents;
};

std::set<std::string> split_formats(const std::string& list) {
  std::set<std::string> out;
  std::stringstream s(list);
  for (std::string item; std::getline(s, item, ',');) {
    if (!item.empty()) out.insert(item);
  }
  return out;
}
}  // namespace

void add_analyze(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* cmd = app.add_subcommand("analyze",
                                 "The study's statistics: distributions (RQ1-2), symptom x root cause "
                                 "(RQ3), series (RQ4), stages (RQ5), versions (RQ6)");
  cmd->add_option(
      "--source", args->options.source,
      "Annotations to analyse: gold, rules, llm, manual:NAME or an exact source (default: the gold source)");
  cmd->add_option("--series", args->options.series, "Only these series (repeatable)");
  cmd->add_option("--model", args->options.models, "Only these models (repeatable)");
  cmd->add_option("--stage", args->options.stages, "Only these stages, by name or id (repeatable)");
  cmd->add_option("--since", args->options.since, "Only issues created on or after this date (YYYY-MM-DD)");
  cmd->add_option("--until", args->options.until, "Only issues created on or before this date (YYYY-MM-DD)");
  cmd->add_option("--level", args->options.level, "Taxonomy level of the categories: 1, 2 or 3")
      ->check(CLI::Range(1, 3))
      ->capture_default_str();
  cmd->add_option("--evolution", args->evolution,
                  "Version pair EARLIER:LATER for RQ6 (repeatable; default: the preset's pairs)");
  cmd->add_option("--preset", args->preset, "Preset giving the RQ6 version pairs")->capture_default_str();
  cmd->add_option("--crosswalk", args->crosswalk, "Crosswalk file when labels were made under another taxonomy");
  cmd->add_option("--unit", args->unit,
                  "What one count is: report (each failure) or incident (each incident of `firstmile aggregate` "
                  "once, a report in none as itself)")
      ->check(CLI::IsMember({"report", "incident"}))
      ->capture_default_str();
  cmd->add_option("--incidents", args->incidents, "With --unit incident: the aggregation's name (default: default)");
  cmd->add_option("--format", args->format, "Terminal output: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Write paper-ready files (and an index, README.md) into this folder");
  cmd->add_option("--formats", args->formats, "With --out: comma-separated csv, latex, json, svg")
      ->capture_default_str();
  cmd->callback([g, args] {
    StudyOptions options = args->options;
    if (args->unit == "incident") {
      options.incidents = args->incidents.empty() ? "default" : args->incidents;
    } else if (!args->incidents.empty()) {
      throw Error("--incidents " + args->incidents + ": counts by incident only with --unit incident");
    }
    if (args->evolution.empty()) {
      options.evolution = load_preset(args->preset).evolution;
    } else {
      for (const std::string& pair : args->evolution) options.evolution.push_back(parse_version_pair(pair));
    }
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    LabelView view(store, taxonomy, args->crosswalk);
    StudyReport report = analyze_study(store, view, options);
    if (!args->out.empty()) {
      PaperFiles files = write_paper(report, args->out, split_formats(args->formats));
      std::cerr << "Wrote " << files.files.size() << " files to " << args->out << " (index: " << args->out
                << "/README.md)\n";
    }
    if (args->format == "json") {
      std::cout << json_text(study_to_json(report), 2) << "\n";
    } else {
      print_study_report(report, std::cout);
    }
  });
}

}  // namespace firstmile
