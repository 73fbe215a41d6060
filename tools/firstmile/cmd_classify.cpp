// cmd_classify.cpp — `firstmile classify`, `firstmile calibrate`, `firstmile explain ISSUE`.
#include <iostream>

#include "base/progress_line.h"
#include "classify/calibrate.h"
#include "classify/classify_run.h"
#include "classify/explain.h"
#include "classify/rules.h"
#include "globals.h"
#include "llm_options.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct ClassifyArgs {
  std::string route = "rules";
  double threshold = -1;
  double max_route = 0.3;
  std::string source;
  std::vector<std::string> repositories;
  int64_t limit = 0;
  std::string rules_dir;
  LlmArgs llm;
};

struct CalibrateArgs {
  std::string gold = "gold";
  double max_route = 0.3;
  std::string rules_dir;
  int folds = 0;
  std::string group_by = "repository";
};

struct ExplainArgs {
  std::string issue;
  std::string rules_dir;
};

void add_classify_command(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<ClassifyArgs>();
  auto* cmd = app.add_subcommand(
      "classify",
      "Label every issue with text: failure report or not, stage, symptom (to level 3) and root cause (to\n"
      "level 2). Rules first (taxonomy/rules/*.json); with --route hybrid only the uncertain rest goes to an\n"
      "LLM, and without an LLM endpoint those are labelled with the rules' best guess, marked needs_review.");
  cmd->add_option("--route", args->route, "rules, hybrid or llm")
      ->check(CLI::IsMember({"rules", "hybrid", "llm"}))
      ->capture_default_str();
  cmd->add_option("--max-route", args->max_route,
                  "Hybrid: largest share of issues sent to the LLM, those where it is expected to gain most\n"
                  "over the rules (its accuracy in the rules' routing block against the rules' confidence)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--threshold", args->threshold,
                  "Hybrid: route every issue whose confidence is below this instead (e.g. the one calibrate chose)");
  cmd->add_option("--source", args->source, "Annotation source to write (default: rules, hybrid or llm:MODEL)");
  cmd->add_option("--repo", args->repositories, "Only these repositories (OWNER/NAME, repeatable)");
  cmd->add_option("--limit", args->limit, "Only the first N issues");
  cmd->add_option("--rules", args->rules_dir, "Rules directory (default: taxonomy/rules)");
  add_llm_options(cmd, args->llm);
  cmd->fallthrough();
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, args->rules_dir);
    Store store = Store::open(g->db, Database::kMustExist);
    ClassifyOptions options;
    options.route = args->route == "hybrid" ? Route::kHybrid : args->route == "llm" ? Route::kLlm : Route::kRules;
    if (args->threshold >= 0) options.threshold = args->threshold;
    options.max_route = args->max_route;
    options.source = args->source;
    options.repositories = args->repositories;
    options.limit = args->limit;
    options.argv = g->argv;
    ProgressLine progress;
    if (progress.enabled()) {
      options.progress = [&progress](int64_t done, int64_t total) {
        progress.show("classified " + std::to_string(done) + " of " + std::to_string(total));
        if (done == total) progress.clear();
      };
    }
    std::optional<LlmClient> client;
    std::optional<LlmLabeler> labeler;
    if (!args->llm.url.empty()) {
      LlmClientOptions o = llm_client_options(args->llm, options.route == Route::kRules);
      client.emplace(o, &store);
      labeler.emplace(taxonomy);
      options.ask_llm = llm_asker(*client, *labeler);
      options.llm_model = args->llm.model;
      options.llm_prompt_hash = labeler->prompt_hash();
    }
    ClassifySummary s = classify_issues(store, taxonomy, rules, options);
    print_classify_summary(s, options.route, client ? &client->counters() : nullptr, std::cout);
  });
}

void add_calibrate_command(CLI::App& app, std::shared_ptr<Globals> g) {
  auto cargs = std::make_shared<CalibrateArgs>();
  auto* cal = app.add_subcommand(
      "calibrate",
      "Learn, from labelled issues, how the rules' margins map to accuracy, and the confidence threshold\n"
      "below which hybrid classification asks the LLM (at most --max-route of the issues).");
  cal->add_option("--gold", cargs->gold, "Labelled source (selector)")->capture_default_str();
  cal->add_option("--max-route", cargs->max_route, "Largest share of issues hybrid routing may send to the LLM")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cal->add_option("--rules", cargs->rules_dir, "Rules directory (default: taxonomy/rules)");
  cal->add_option("--folds", cargs->folds,
                  "Also cross-validate over K folds (K >= 2): accuracy per fold, and the routing threshold\n"
                  "chosen on held-out confidences")
      ->check(CLI::Range(2, 1000));
  cal->add_option("--group", cargs->group_by, "What a fold keeps together: repository or issue")
      ->check(CLI::IsMember({"repository", "issue"}))
      ->capture_default_str();
  cal->fallthrough();
  cal->callback([g, cargs] {
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, cargs->rules_dir);
    Store store = Store::open(g->db, Database::kMustExist);
    CalibrateOptions options{.gold = cargs->gold,
                             .max_route = cargs->max_route,
                             .bins = 5,
                             .argv = g->argv,
                             .folds = cargs->folds,
                             .group_by = cargs->group_by};
    print_calibration(calibrate(store, taxonomy, rules, options), std::cout);
  });
}

void add_explain_command(CLI::App& app, std::shared_ptr<Globals> g) {
  auto eargs = std::make_shared<ExplainArgs>();
  auto* ex =
      app.add_subcommand("explain", "Show the evidence for one issue: features, rules fired, decisions, stored labels");
  ex->add_option("issue", eargs->issue, "OWNER/NAME#NUMBER or an issue URL")->required();
  ex->add_option("--rules", eargs->rules_dir, "Rules directory (default: taxonomy/rules)");
  ex->fallthrough();
  ex->callback([g, eargs] {
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, eargs->rules_dir);
    Store store = Store::open(g->db, Database::kReadOnly);
    print_explanation(explain_issue(store, taxonomy, rules, eargs->issue), taxonomy, std::cout);
  });
}

}  // namespace

void add_classify(CLI::App& app, std::shared_ptr<Globals> g) {
  add_classify_command(app, g);
  add_calibrate_command(app, g);
  add_explain_command(app, g);
}

}  // namespace firstmile
