// cmd_incidents.cpp — `firstmile incidents`: the incidents an aggregation stored, largest first.
#include <iostream>

#include "aggregate/incidents.h"
#include "base/json_file.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct IncidentsArgs {
  std::string name = "default";
  std::string format = "table";
  IncidentQuery query;
};
}  // namespace

void add_incidents(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<IncidentsArgs>();
  auto* cmd = app.add_subcommand("incidents",
                                 "List the incidents of an aggregation (`firstmile aggregate`): size, dates, "
                                 "repositories, dominant signature and root cause, title");
  cmd->add_option("--name", args->name, "Name of the aggregation")->capture_default_str();
  cmd->add_option("--format", args->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->add_flag("--members", args->query.members,
                "Also list each incident's reports (repository#number, date, title, URL)");
  cmd->add_option("--limit", args->query.limit, "At most this many incidents, the largest first (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--min-size", args->query.min_size, "Only incidents of at least this many reports")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->fallthrough();
  cmd->callback([g, args] {
    Store store = Store::open(g->db, Database::kReadOnly);
    AggregationInfo aggregation = load_aggregation(store, args->name);
    std::vector<IncidentRow> rows = load_incidents(store, args->name, args->query);
    if (args->format == "json") {
      std::cout << json_text(incidents_to_json(aggregation, rows, args->query.members), 2) << "\n";
    } else if (args->format == "csv") {
      print_incidents_csv(rows, args->query.members, std::cout);
    } else {
      print_incidents_table(aggregation, rows, args->query.members, std::cout);
    }
  });
}

}  // namespace firstmile
