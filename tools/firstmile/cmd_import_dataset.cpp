// cmd_import_dataset.cpp — `firstmile import-dataset DIR`: a published labelled dataset as gold labels.
#include <iostream>

#include "dataset/import.h"
#include "dataset/preset.h"
#include "dataset/published_dataset.h"
#include "globals.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct ImportDatasetArgs {
  std::string dir;
  std::string name;
  std::string preset = "open-llm-failures";
  bool lenient = false;
  int64_t stated_records = -1;
};
}  // namespace

void add_import_dataset(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<ImportDatasetArgs>();
  auto* cmd = app.add_subcommand("import-dataset",
                                 "Import a published labelled dataset (Open-LLM-Failures layout) as gold annotations");
  cmd->add_option("dir", args->dir, "Dataset folder: <owner>/<model>/<file>.json, or a package of `firstmile package`")->required();
  cmd->add_option("--name", args->name, "Dataset name; labels get source gold:NAME (default: the folder's name)");
  cmd->add_option("--preset", args->preset, "Repository preset for series, models and aliases (name or file)")
      ->capture_default_str();
  cmd->add_flag("--lenient", args->lenient, "Import labels outside the taxonomy as unmapped instead of refusing");
  cmd->add_option("--stated-records", args->stated_records,
                  "Record count the dataset's publication states (default: from the preset)");
  cmd->callback([g, args] {
    Taxonomy taxonomy = g->load_taxonomy();
    Preset preset = load_preset(args->preset);
    DatasetImportOptions options;
    options.name = args->name.empty() ? default_dataset_name(args->dir) : args->name;
    options.lenient = args->lenient;
    if (args->stated_records >= 0) options.stated_records = args->stated_records;
    options.argv = g->argv;
    RemoveNewDatabaseOnFailure undo(g->db);  // a refused import leaves no database where there was none
    Store store = Store::open(g->db);
    DatasetImportSummary s = import_dataset(store, taxonomy, preset, args->dir, options);
    print_dataset_import_summary(s, g->db, std::cout);
  });
}

}  // namespace firstmile
