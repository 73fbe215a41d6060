// cmd_label.cpp — `firstmile label export|import`: the manual labelling loop.
#include <iostream>

#include "globals.h"
#include "labels/label_sheet.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct LabelArgs {
  LabelSheetOptions sheet;
  std::string out;
  std::string in;
  std::string name;
};
}  // namespace

void add_label(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<LabelArgs>();
  auto* cmd = app.add_subcommand("label", "Manual labelling: export a sheet for annotators, import it back");
  cmd->require_subcommand(1, 1);

  auto* out = cmd->add_subcommand("export",
                                  "Write a reproducible random sample of issues as a CSV sheet, "
                                  "with a legend of the allowed labels beside it");
  out->add_option("--sample", args->sheet.sample, "Issues in the sheet")->capture_default_str();
  out->add_option("--seed", args->sheet.seed, "Seed of the sample (the same seed gives the same sheet)")
      ->capture_default_str();
  out->add_option("--source-filter", args->sheet.source_filter,
                  "Only issues labelled by this source: gold, rules, llm:MODEL, ... (repeatable)");
  out->add_option("--excerpt", args->sheet.excerpt_chars, "Characters of the body to show")->capture_default_str();
  out->add_option("--out", args->out, "The sheet to write (the legend goes to NAME.legend.csv)")->required();
  out->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    print_label_sheet_export(export_label_sheet(store, taxonomy, args->sheet, args->out), std::cout);
  });

  auto* in = cmd->add_subcommand("import", "Read a filled sheet back as the annotations of source manual:NAME");
  in->add_option("sheet", args->in, "The filled sheet (CSV)")->required()->check(CLI::ExistingFile);
  in->add_option("--as", args->name, "Annotator name: the labels become source manual:NAME")->required();
  in->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kMustExist);
    print_label_import(import_label_sheet(store, taxonomy, args->in, {.name = args->name, .argv = g->argv}), std::cout);
  });
}

}  // namespace firstmile
