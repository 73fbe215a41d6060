// cmd_aggregate.cpp — `firstmile aggregate`, `aggregate synth`, `aggregate eval`.
#include <unistd.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "aggregate/aggregate.h"
#include "aggregate/pair_judge.h"
#include "llm/llm_client.h"
#include "aggregate/storms.h"
#include "base/error.h"
#include "base/text_table.h"
#include "globals.h"
#include "llm_options.h"
#include "store/store.h"

namespace firstmile {

namespace {

struct AggregateArgs {
  std::string name = "default";
  double window = 14;
  std::string route = "rules";
  double threshold = 0.3;
  std::string source;
  int max_neighbours = 40;
  LlmArgs llm;
};

struct SynthArgs {
  uint64_t seed = 1;
  int reports = 1000;
  double noise = 0.3;
  int days = 365;
  std::string out;
};

struct EvalArgs {
  std::string name = "default";
  std::string gold;
  std::string format = "table";
};

}  // namespace

void add_aggregate(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<AggregateArgs>();
  auto* cmd = app.add_subcommand(
      "aggregate",
      "Group related failure reports into incidents (one root cause, many reports): candidate pairs by\n"
      "shared error signature, library version or rare title words within a time window; correlation\n"
      "evidence decides the clear pairs; with --route hybrid only the uncertain rest goes to an LLM.");
  cmd->add_option("--name", args->name, "Name the result is stored under")->capture_default_str();
  cmd->add_option("--window", args->window, "Time window in days: reports further apart are not paired")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--route", args->route, "rules, hybrid or llm")->check(CLI::IsMember({"rules", "hybrid", "llm"}))->capture_default_str();
  cmd->add_option("--threshold", args->threshold, "Hybrid: pairs with confidence below this go to the LLM")->capture_default_str();
  cmd->add_option("--source", args->source, "Annotation source whose root causes count as evidence (default: rules, if any; none: no labels)");
  cmd->add_option("--max-neighbours", args->max_neighbours, "Candidate pairs per report and blocking key")->capture_default_str();
  add_llm_options(cmd, args->llm);
  cmd->fallthrough();

  auto synth = std::make_shared<SynthArgs>();
  auto* sy = cmd->add_subcommand("synth", "Write synthetic issue storms with their ground truth (issues.jsonl, incidents.csv)");
  sy->add_option("--seed", synth->seed, "Seed: one seed, one corpus")->capture_default_str();
  sy->add_option("--reports", synth->reports, "Number of reports")->capture_default_str()->check(CLI::Range(0, 100000000));
  sy->add_option("--noise", synth->noise, "Share of reports in no incident")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  sy->add_option("--days", synth->days, "Days the reports are spread over")->capture_default_str()->check(CLI::Range(1, 10000000));
  sy->add_option("--out", synth->out, "Folder to write")->required();
  sy->fallthrough();
  sy->callback([synth] {
    StormCorpus c = generate_storms({synth->seed, synth->reports, synth->noise, synth->days, 1});
    write_storm_files(c, synth->out);
    std::cout << "Wrote " << c.reports.size() << " reports in " << c.incidents << " incidents to " << synth->out
              << "/issues.jsonl, truth in " << synth->out << "/incidents.csv\n";
  });

  auto eval = std::make_shared<EvalArgs>();
  auto* ev = cmd->add_subcommand("eval", "Pairwise precision, recall, F1 and purity of an aggregation against gold incidents");
  ev->add_option("--gold", eval->gold, "CSV of (issue URL or OWNER/NAME#N, incident), or 'duplicates' (mined \"Duplicate of #N\")")
      ->required();
  ev->add_option("--name", eval->name, "Aggregation to evaluate")->capture_default_str();
  ev->add_option("--format", eval->format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  ev->fallthrough();
  ev->callback([g, eval] {
    Store store = Store::open(g->db, Database::kReadOnly);
    std::map<int64_t, int64_t> gold = load_gold_incidents(store, eval->gold);
    std::map<int64_t, int64_t> predicted = load_predicted_incidents(store, eval->name);
    if (gold.empty()) throw Error(eval->gold + ": names no issue of " + g->db);
    std::vector<int64_t> gv, pv;
    for (const auto& [id, incident] : gold) {
      gv.push_back(incident);
      auto it = predicted.find(id);
      pv.push_back(it == predicted.end() ? 0 : it->second);
    }
    PairwiseScores s = pairwise_scores(gv, pv);
    if (eval->format == "json") {
      nlohmann::json j = {{"reports", s.reports},         {"gold_incidents", s.gold_incidents},
                          {"predicted_incidents", s.predicted_incidents}, {"gold_pairs", s.gold_pairs},
                          {"predicted_pairs", s.predicted_pairs},         {"true_pairs", s.true_pairs},
                          {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"purity", s.purity}};
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << "Aggregation '" << eval->name << "' against " << eval->gold << ": " << s.reports << " reports, "
              << s.gold_incidents << " gold incidents, " << s.predicted_incidents << " found\n";
    TextTable t({"pairs: gold", "found", "right", "precision", "recall", "F1", "purity"});
    for (size_t c = 0; c < 7; ++c) t.align_right(c);
    t.add_row({std::to_string(s.gold_pairs), std::to_string(s.predicted_pairs), std::to_string(s.true_pairs),
               format_fixed(s.precision, 4), format_fixed(s.recall, 4), format_fixed(s.f1, 4), format_fixed(s.purity, 4)});
    t.print(std::cout);
  });

  cmd->callback([g, args, cmd, sy, ev] {
    if (sy->parsed() || ev->parsed()) return;  // a subcommand ran
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kMustExist);
    AggregateOptions o;
    o.name = args->name;
    o.window_days = args->window;
    o.route = args->route == "hybrid" ? PairRoute::kHybrid : args->route == "llm" ? PairRoute::kLlm : PairRoute::kRules;
    o.threshold = args->threshold;
    o.source = args->source;
    o.max_neighbours = args->max_neighbours;
    o.argv = g->argv;
    if (isatty(STDERR_FILENO)) {
      o.progress = [](const std::string& phase, int64_t done, int64_t) {
        std::cerr << "\r\033[K" << phase << ": " << done << std::flush;
      };
    }
    std::optional<LlmClient> client;
    std::optional<Knowledge> knowledge;
    std::optional<PairJudge> judge;
    if (!args->llm.url.empty()) {
      LlmClientOptions lo = llm_client_options(args->llm, o.route == PairRoute::kRules);
      client.emplace(lo, &store);
      knowledge.emplace(Knowledge::load());
      judge.emplace(taxonomy, *knowledge);
      o.ask = llm_pair_asker(*client, *judge);
      o.llm_model = args->llm.model;
    }
    AggregateSummary s = aggregate_reports(store, taxonomy, o);
    if (o.progress) std::cerr << "\r\033[K" << std::flush;
    std::cout << "Aggregated " << s.reports << " reports into " << s.incidents << " incidents (" << s.reports_in_incidents
              << " reports; the largest has " << s.largest << ") as '" << o.name << "' (run " << s.run_id << ")\n"
              << s.candidate_pairs << " candidate pairs (not all " << (s.reports * (s.reports - 1) / 2)
              << "), " << s.linked_pairs << " linked";
    if (!s.label_source.empty()) std::cout << "; root causes from '" << s.label_source << "'";
    std::cout << "\n";
    if (o.route != PairRoute::kRules) {
      std::cout << s.uncertain_pairs << " uncertain pairs ("
                << format_percent(s.candidate_pairs ? double(s.uncertain_pairs) / double(s.candidate_pairs) : 0) << "), "
                << s.routed << " sent to the LLM, " << s.answered << " decided by it"
                << (s.routed == 0 ? " (no LLM endpoint: the score decided)" : "") << "\n";
      if (client) {
        const LlmCounters& c = client->counters();
        std::cout << "LLM: " << c.calls << " calls, " << c.cache_hits << " from the cache, " << c.refused << " over budget, "
                  << c.prompt_tokens << " prompt + " << c.completion_tokens << " completion tokens\n";
      }
    }
    std::cout << "List them: firstmile incidents --name " << o.name << "\n";
  });
}

}  // namespace firstmile
