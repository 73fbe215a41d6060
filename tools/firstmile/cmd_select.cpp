// cmd_select.cpp — `firstmile select` (the selection funnel's automatic steps) and `firstmile funnel`.
#include <iostream>

#include "classify/classifier.h"
#include "classify/rules.h"
#include "globals.h"
#include "select/failure_filter.h"
#include "select/selection.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct SelectArgs {
  SelectionOptions options;
  std::string keywords;
  std::string rules_dir;
  std::vector<std::string> skip;
};

struct FunnelArgs {
  std::string name = "default";
  std::string format = "table";
};

}  // namespace

void add_select(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<SelectArgs>();
  auto* cmd = app.add_subcommand(
      "select",
      "Select the failure reports among the mined issues, step by step: issues with text, not pull requests,\n"
      "the keyword filter, the rule classifier's failure-report decision (or --by-source), not duplicates.\n"
      "Writes each issue's last step to table selections under --name (replacing it) and prints the funnel.");
  cmd->add_option("--name", args->options.name, "Name of the selection")->capture_default_str();
  cmd->add_option("--keywords", args->keywords, "Keyword list (default: taxonomy/selection.json)");
  cmd->add_option(
      "--by-source", args->options.by_source,
      "Decide 'failure report' by this annotation source (gold, rules, manual:NAME, ...) instead of the rules");
  cmd->add_option("--rules", args->rules_dir, "Rules directory (default: taxonomy/rules)");
  cmd->add_option("--repo", args->options.repositories, "Only these repositories (OWNER/NAME, repeatable)");
  cmd->add_option("--since", args->options.since, "Only issues created at or after this time (ISO 8601)");
  cmd->add_option("--until", args->options.until, "Only issues created up to this time (a date includes the day)");
  cmd->add_option("--skip", args->skip, "Let every issue through these steps: keyword, failure_report, not_duplicate")
      ->check(CLI::IsMember({"keyword", "failure_report", "not_duplicate"}));
  cmd->fallthrough();
  cmd->callback([g, args] {
    SelectionOptions options = args->options;
    for (const std::string& s : args->skip) {
      if (s == "keyword") options.keyword_step = false;
      if (s == "failure_report") options.failure_step = false;
      if (s == "not_duplicate") options.duplicate_step = false;
    }
    options.argv = g->argv;
    FailureFilter keywords = FailureFilter::load(args->keywords);
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, args->rules_dir);
    RuleClassifier relevance(taxonomy, rules);
    Store store = Store::open(g->db, Database::kMustExist);
    print_selection_summary(select_issues(store, keywords, &relevance, options), std::cout);
  });

  auto fargs = std::make_shared<FunnelArgs>();
  auto* funnel = app.add_subcommand(
      "funnel", "Print a selection's funnel: issues left after each step, per repository and in total");
  funnel->add_option("--name", fargs->name, "Name of the selection")->capture_default_str();
  funnel->add_option("--format", fargs->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  funnel->fallthrough();
  funnel->callback([g, fargs] {
    Store store = Store::open(g->db, Database::kReadOnly);
    print_funnel(load_funnel(store, fargs->name), fargs->format, std::cout);
  });
}

}  // namespace firstmile
