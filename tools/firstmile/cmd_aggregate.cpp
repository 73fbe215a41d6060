// cmd_aggregate.cpp — `firstmile aggregate`, `aggregate synth`, `aggregate eval`.
#include <iostream>
#include <optional>

#include "aggregate/aggregate.h"
#include "aggregate/aggregate_eval.h"
#include "aggregate/pair_judge.h"
#include "aggregate/similarity_knowledge.h"
#include "aggregate/storms.h"
#include "base/json_file.h"
#include "base/progress_line.h"
#include "classify/classifier.h"
#include "classify/rules.h"
#include "globals.h"
#include "llm/embedding_client.h"
#include "llm/llm_client.h"
#include "llm_options.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct AggregateArgs {
  std::string name = "default";
  double window = 14;
  double max_days_apart = 0;
  std::string pairs_out;
  std::string route = "rules";
  double threshold = 0.3;
  std::string source;
  int max_neighbours = 20;
  LlmArgs llm;
  std::string embed_url;
  std::string embed_model = "text-embedding-3-small";
};

struct SynthArgs {
  uint64_t seed = 1;
  int reports = 1000;
  double noise = 0.3;
  int days = 365;
  std::string profile = "burst";
  std::string out;
};

struct EvalArgs {
  std::string name = "default";
  std::string gold;
  std::string pairs;
  std::string format = "table";
};

CLI::App* add_synth(CLI::App* cmd) {
  auto synth = std::make_shared<SynthArgs>();
  auto* sy = cmd->add_subcommand("synth",
                                 "Write synthetic issue storms with their ground truth (issues.jsonl, incidents.csv)");
  sy->add_option("--seed", synth->seed, "Seed: one seed, one corpus")->capture_default_str();
  sy->add_option("--reports", synth->reports, "Number of reports")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000000));
  auto* noise = sy->add_option("--noise", synth->noise, "Share of reports in no incident (default 0.3; 0.8 with --profile real)")
                    ->check(CLI::Range(0.0, 1.0));
  sy->add_option("--days", synth->days, "Days the reports are spread over")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  sy->add_option("--profile", synth->profile,
                 "burst: incidents of a week, across owners; real: as measured on real storms (2-5 reports,\n"
                 "half chronic, half without an error line, within one owner's repositories, one incident per\n"
                 "owner, cause and variant: about a hundred at most, the rest noise)")
      ->check(CLI::IsMember({"burst", "real"}))
      ->capture_default_str();
  sy->add_option("--out", synth->out, "Folder to write")->required();
  sy->fallthrough();
  sy->callback([synth, noise] {
    // The real storms are four fifths singletons.
    if (synth->profile == "real" && noise->count() == 0) synth->noise = 0.8;
    StormCorpus c = generate_storms({synth->seed, synth->reports, synth->noise, synth->days, 1, synth->profile});
    write_storm_files(c, synth->out);
    std::cout << "Wrote " << c.reports.size() << " reports in " << c.incidents << " incidents to " << synth->out
              << "/issues.jsonl, truth in " << synth->out << "/incidents.csv\n";
    if (c.ran_out_of_causes)
      std::cerr << "note: " << c.noise_reports << " of the reports are noise, more than --noise asks: the " << synth->profile
                << " profile ran out of causes ("
                << (synth->profile == "real" ? "one incident per owner, cause and variant"
                                             : "one cause and variant at most every 90 days; more --days make room")
                << ")\n";
  });
  return sy;
}

CLI::App* add_eval(CLI::App* cmd, std::shared_ptr<Globals> g) {
  auto eval = std::make_shared<EvalArgs>();
  auto* ev =
      cmd->add_subcommand("eval",
                          "Pairwise precision, recall, F1 and purity of an aggregation against gold incidents; with\n"
                          "--pairs, Recall@k and candidate recall of its candidate pairs");
  ev->add_option("--gold", eval->gold,
                 "CSV of (issue URL or OWNER/NAME#N, incident), or 'duplicates' (mined \"Duplicate of #N\")")
      ->required();
  ev->add_option("--name", eval->name, "Aggregation to evaluate")->capture_default_str();
  ev->add_option("--pairs", eval->pairs,
                 "The candidate pairs `aggregate --pairs-out` wrote: adds Recall@1/5/10 and candidate recall");
  ev->add_option("--format", eval->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  ev->fallthrough();
  ev->callback([g, eval] {
    Store store = Store::open(g->db, Database::kReadOnly);
    AggregationScores scores = evaluate_aggregation(store, eval->name, eval->gold, eval->pairs);
    if (eval->format == "json") {
      std::cout << json_text(aggregation_scores_json(scores), 2) << "\n";
    } else {
      print_aggregation_scores(scores, std::cout);
    }
  });
  return ev;
}

void run_aggregate(const Globals& g, const AggregateArgs& args) {
  check_embedding_flags(args.embed_url, args.embed_model);  // before any work
  Taxonomy taxonomy = g.load_taxonomy();
  SimilarityKnowledge similarity = SimilarityKnowledge::load();
  Store store = Store::open(g.db, Database::kMustExist);
  AggregateOptions o;
  o.name = args.name;
  o.source = args.source;
  o.argv = g.argv;
  o.grouping.window_days = args.window;
  o.grouping.max_days_apart = args.max_days_apart;
  o.pairs_out = args.pairs_out;
  o.grouping.route = args.route == "hybrid" ? PairRoute::kHybrid
                     : args.route == "llm"  ? PairRoute::kLlm
                                            : PairRoute::kRules;
  o.grouping.threshold = args.threshold;
  o.grouping.max_neighbours = args.max_neighbours;
  o.embed_url = args.embed_url;
  o.embed_model = args.embed_model;
  ProgressLine progress;
  if (progress.enabled()) {
    o.grouping.progress = [&progress](const std::string& phase, int64_t done, int64_t) {
      progress.show(phase + ": " + std::to_string(done));
    };
  }
  std::optional<LlmClient> client;
  Knowledge knowledge = Knowledge::load();
  std::vector<SimilarityKnowledge::ChangeFragments> changes;
  for (const KnownChange& c : knowledge.changes)
    changes.push_back({c.id, c.tell_tale_errors, c.one_incident, c.library, c.any_release});
  similarity.add_known_changes(changes);
  o.provenance = {{"pair_knowledge_hash", knowledge.hash}};
  std::optional<PairJudge> judge;
  if (!args.llm.url.empty()) {
    client.emplace(llm_client_options(args.llm, o.grouping.route == PairRoute::kRules), &store);
    judge.emplace(taxonomy, knowledge, PairPrompt::load());
    o.grouping.ask = llm_pair_asker(*client, *judge);
    o.llm_model = args.llm.model;
    o.provenance = judge->provenance();
  }
  // With --source rules, labels the reports when no classify run has (AggregateOptions::rules).
  std::optional<RuleSet> rules;
  std::optional<RuleClassifier> labeller;
  if (args.source == "rules") {
    rules.emplace(RuleSet::load(taxonomy));
    labeller.emplace(taxonomy, *rules);
    o.rules = &*labeller;
    o.rules_hash = rules->hash();
  }
  AggregateSummary s = aggregate_reports(store, taxonomy, similarity, o);
  progress.clear();
  print_aggregate_summary(s, o, client ? &client->counters() : nullptr, std::cout);
}

}  // namespace

void add_aggregate(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<AggregateArgs>();
  auto* cmd = app.add_subcommand(
      "aggregate",
      "Group related failure reports into incidents (one root cause, many reports): candidate pairs by\n"
      "shared error signature, library version, rare words or a known breaking change's tell-tale error;\n"
      "correlation evidence (time apart among it) decides the clear pairs; with --route hybrid only the\n"
      "uncertain rest goes to an LLM.");
  cmd->add_option("--name", args->name, "Name the result is stored under")->capture_default_str();
  cmd->add_option("--window", args->window,
                  "Time scale in days: reports this close count as close in time, and bursts are counted in\n"
                  "windows this long")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-days-apart", args->max_days_apart,
                  "Never pair reports further apart than this (default 0: no limit; time weighs in the score)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--pairs-out", args->pairs_out,
                  "Write every candidate pair's evidence and score to this CSV (to audit or fit the weights)");
  cmd->add_option("--route", args->route, "rules, hybrid or llm")
      ->check(CLI::IsMember({"rules", "hybrid", "llm"}))
      ->capture_default_str();
  cmd->add_option("--threshold", args->threshold, "Hybrid: pairs with confidence below this go to the LLM")
      ->capture_default_str();
  cmd->add_option("--source", args->source,
                  "Annotation source whose root causes count as evidence (default: rules, if `classify` stored\n"
                  "any; rules: those, or when there are none the rules' labels decided as the reports are read,\n"
                  "not stored; none: no labels)");
  cmd->add_option("--max-neighbours", args->max_neighbours, "Candidate pairs per report and blocking key")
      ->capture_default_str();
  add_llm_options(cmd, args->llm);
  cmd->add_option("--embed-url", args->embed_url,
                  "OpenAI-compatible embeddings endpoint, e.g. http://localhost:8000/v1: the reports' texts are\n"
                  "SENT there, and the cosine of a pair's embeddings is one more piece of evidence, weighing what\n"
                  "taxonomy/similarity.json says (0 as shipped: fit it on --pairs-out); vectors are cached in the\n"
                  "database. Key from FIRSTMILE_EMBED_API_KEY, else FIRSTMILE_LLM_API_KEY");
  cmd->add_option("--embed-model", args->embed_model, "Embedding model to ask (with --embed-url)")
      ->capture_default_str();
  cmd->fallthrough();
  CLI::App* sy = add_synth(cmd);
  CLI::App* ev = add_eval(cmd, g);
  cmd->callback([g, args, sy, ev] {
    if (sy->parsed() || ev->parsed()) return;  // a subcommand ran
    run_aggregate(*g, *args);
  });
}

}  // namespace firstmile
