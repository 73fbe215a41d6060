// cmd_classify.cpp — `firstmile classify`, `firstmile calibrate`, `firstmile explain ISSUE`.
#include <unistd.h>

#include <iostream>

#include "base/error.h"
#include "base/issue_link.h"
#include "base/text_table.h"
#include "classify/classify_run.h"
#include "classify/features.h"
#include "classify/rules.h"
#include "dataset/preset.h"
#include "globals.h"
#include "llm_options.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct ClassifyArgs {
  std::string route = "rules";
  double threshold = -1;
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
};

struct ExplainArgs {
  std::string issue;
  std::string rules_dir;
};

// "OWNER/NAME#N", "OWNER/NAME/N" or a GitHub issue URL.
std::optional<int64_t> find_issue(Store& store, const std::string& text) {
  std::optional<IssueLink> link = parse_issue_reference(text);
  if (!link) throw Error("'" + text + "': expected OWNER/NAME#NUMBER or an issue URL");
  std::optional<int64_t> repo = store.find_repository(link->owner, link->name);
  if (!repo) return std::nullopt;
  Query q = store.db().query("SELECT id FROM issues WHERE repository_id = ? AND number = ?");
  q.bind(1, *repo).bind(2, link->number);
  std::optional<int64_t> id;
  if (q.step()) id = q.column_int(0);
  return id;
}

void print_decision(const Taxonomy& taxonomy, const DimensionDecision& d) {
  std::string label = d.node;
  if (const TaxonomyNode* n = taxonomy.find(d.node)) label = taxonomy.path_name(*n);
  std::cout << d.dimension << ": " << label << "  (confidence " << format_fixed(d.confidence, 2) << ", margin "
            << format_fixed(d.margin, 2) << " over " << (d.runner_up.empty() ? "-" : d.runner_up) << ")"
            << (d.from_prior ? "  [no rule fired: prior]" : "") << "\n";
  if (d.given) {
    std::cout << "    started from P(cause | " << (d.given->symptom.empty() ? "any symptom" : d.given->symptom) << ", "
              << d.given->stage << "), counted on " << d.given->labels << " labels (taxonomy/rules priors)\n";
  }
  for (const RuleHit& h : d.hits) {
    std::cout << "    " << h.rule->id << " -> " << h.rule->target << "  +" << format_fixed(h.weight, 1) << " in "
              << field_name(h.field) << ": \"" << h.text << "\"\n";
  }
}

}  // namespace

void add_classify(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<ClassifyArgs>();
  auto* cmd = app.add_subcommand(
      "classify",
      "Label every issue with text: failure report or not, stage, symptom (to level 3) and root cause (to\n"
      "level 2). Rules first (taxonomy/rules/*.json); with --route hybrid only the uncertain rest goes to an\n"
      "LLM, and without an LLM endpoint those are labelled with the rules' best guess, marked needs_review.");
  cmd->add_option("--route", args->route, "rules, hybrid or llm")->check(CLI::IsMember({"rules", "hybrid", "llm"}))->capture_default_str();
  cmd->add_option("--threshold", args->threshold,
                  "Confidence below which hybrid routing asks the LLM (default: the calibrated threshold)");
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
    options.source = args->source;
    options.repositories = args->repositories;
    options.limit = args->limit;
    options.argv = g->argv;
    if (isatty(STDERR_FILENO)) {
      options.progress = [](int64_t done, int64_t total) {
        std::cerr << "\r\033[Kclassified " << done << " of " << total << std::flush;
        if (done == total) std::cerr << "\r\033[K" << std::flush;
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
    }
    ClassifySummary s = classify_issues(store, taxonomy, rules, options);
    std::cout << "Classified " << s.issues << " issues into source '" << s.source << "' (run " << s.run_id
              << "): " << s.failures << " failure reports, " << s.not_failures << " not\n";
    if (options.route != Route::kRules) {
      std::cout << "Threshold " << format_fixed(s.threshold, 3) << (s.calibrated ? " (calibrated)"
                                                                  : s.stale_calibration ? " (the calibration was learnt with other rules: run `firstmile calibrate` again)"
                                                                                        : " (not calibrated: run `firstmile calibrate`)")
                << ": " << s.uncertain << " uncertain (" << format_percent(s.issues ? double(s.uncertain) / double(s.issues) : 0)
                << ")";
      for (const auto& [d, n] : s.uncertain_by_dimension) std::cout << ", " << n << " by " << d;
      std::cout << "\n" << s.routed << " sent to the LLM, " << s.answered << " answered, " << s.needs_review
                << " labelled by the rules' best guess and marked needs_review\n";
      for (const auto& [why, n] : s.llm_rejections) std::cout << "  not used: " << n << " x " << why << "\n";
      if (client) {
        const LlmCounters& c = client->counters();
        std::cout << "LLM: " << c.calls << " calls, " << c.cache_hits << " from the cache, " << c.retries << " retries, "
                  << c.refused << " over budget, " << c.prompt_tokens << " prompt + " << c.completion_tokens
                  << " completion tokens\n";
      }
    }
  });

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
  cal->fallthrough();
  cal->callback([g, cargs] {
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, cargs->rules_dir);
    Store store = Store::open(g->db, Database::kMustExist);
    CalibrationReport r = calibrate(store, taxonomy, rules, {cargs->gold, cargs->max_route, 5, g->argv});
    std::cout << "Calibrated on " << r.issues << " labelled issues (run " << r.run_id << ")\n";
    TextTable t({"dimension", "top-level accuracy", "margin bins: accuracy"});
    for (const Calibration& c : r.calibrations) {
      std::string bins;
      for (size_t i = 0; i < c.accuracy.size(); ++i) {
        bins += (i ? ", " : "") + std::string("<=") + (c.upper_edges[i] > 1e299 ? "inf" : format_fixed(c.upper_edges[i], 2)) +
                ": " + format_fixed(c.accuracy[i], 2) + " (" + std::to_string(c.counts[i]) + ")";
      }
      double acc = 0;
      for (const auto& [d, a] : r.accuracy) {
        if (d == c.dimension) acc = a;
      }
      t.add_row({c.dimension, format_fixed(acc, 3), bins});
    }
    t.print(std::cout);
    std::cout << "Routing threshold " << format_fixed(r.threshold, 3) << ": hybrid sends " << format_percent(r.routed_share)
              << " of these issues to the LLM; on the rest the rules' mean top-level accuracy is "
              << format_fixed(r.accuracy_kept, 3) << "\n";
  });

  auto eargs = std::make_shared<ExplainArgs>();
  auto* ex = app.add_subcommand("explain", "Show the evidence for one issue: features, rules fired, decisions, stored labels");
  ex->add_option("issue", eargs->issue, "OWNER/NAME#NUMBER or an issue URL")->required();
  ex->add_option("--rules", eargs->rules_dir, "Rules directory (default: taxonomy/rules)");
  ex->fallthrough();
  ex->callback([g, eargs] {
    Taxonomy taxonomy = g->load_taxonomy();
    RuleSet rules = RuleSet::load(taxonomy, eargs->rules_dir);
    Store store = Store::open(g->db, Database::kReadOnly);
    std::optional<int64_t> id = find_issue(store, eargs->issue);
    if (!id) throw Error(eargs->issue + ": not in " + g->db);
    Query q = store.db().query("SELECT title, coalesce(body, ''), url FROM issues WHERE id = ?");
    q.bind(1, *id);
    if (!q.step() || q.column_is_null(0)) {
      throw Error(eargs->issue + ": its text is not in the database (mine or import it first)");
    }
    std::string title = q.column_text(0), body = q.column_text(1), url = q.column_text(2);
    std::vector<std::string> comments;
    Query c = store.db().query("SELECT coalesce(body, '') FROM comments WHERE issue_id = ? ORDER BY created_at, id");
    c.bind(1, *id);
    while (c.step()) comments.push_back(c.column_text(0));
    SavedCalibration saved = load_calibrations(store, taxonomy, rules);
    if (saved.stale) std::cout << "(the saved calibration was learnt with other rules and is not used; run `firstmile calibrate`)\n";
    std::vector<Calibration>& calibrations = saved.calibrations;
    const double threshold = saved.threshold;
    IssueFeatures f = extract_features(title, body, comments);
    Classification r = RuleClassifier(taxonomy, rules, calibrations).classify(f);
    std::cout << url << "\n" << title << "\n\nlanguage " << f.language << ", " << f.error_lines.size()
              << " error lines, " << comments.size() << " comments\n";
    for (const std::string& e : f.error_lines) std::cout << "  error: " << e << "\n";
    if (!f.error_signature.empty()) std::cout << "  signature: " << f.error_signature << "\n";
    std::cout << "\n";
    for (const DimensionDecision* d : {&r.relevance, &r.stage, &r.symptom, &r.root_cause}) print_decision(taxonomy, *d);
    std::cout << "issue confidence " << format_fixed(r.confidence, 3);
    if (threshold >= 0) std::cout << (r.confidence < threshold ? " < " : " >= ") << "threshold " << format_fixed(threshold, 3)
                                  << (r.confidence < threshold ? ": hybrid would ask the LLM" : ": the rules decide");
    std::cout << "\n\nStored labels:\n";
    Query a = store.db().query(
        "SELECT source, failure_index, is_failure, coalesce(stage, ''), coalesce(symptom, ''), coalesce(root_cause, ''), "
        "confidence, needs_review FROM annotations WHERE issue_id = ? ORDER BY source, failure_index");
    a.bind(1, *id);
    bool any = false;
    while (a.step()) {
      any = true;
      std::cout << "  " << a.column_text(0) << " #" << a.column_int(1) << ": "
                << (a.column_is_null(2) || a.column_int(2) ? "" : "not a failure ") << a.column_text(3) << " | "
                << a.column_text(4) << " | " << a.column_text(5);
      if (!a.column_is_null(6)) std::cout << "  (confidence " << format_fixed(a.column_double(6), 2) << ")";
      if (a.column_int(7)) std::cout << "  needs review";
      std::cout << "\n";
    }
    if (!any) std::cout << "  (none)\n";
  });
}

}  // namespace firstmile
