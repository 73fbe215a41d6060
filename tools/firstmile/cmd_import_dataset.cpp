// cmd_import_dataset.cpp — `firstmile import-dataset DIR`: a published labelled dataset as gold labels.
#include <iostream>

#include "base/text_table.h"
#include "dataset/import.h"
#include "dataset/preset.h"
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
  auto* cmd = app.add_subcommand("import-dataset", "Import a published labelled dataset (Open-LLM-Failures layout) as gold annotations");
  cmd->add_option("dir", args->dir, "Dataset folder: <owner>/<model>/<file>.json")->required();
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
    options.name = args->name.empty() ? std::filesystem::path(args->dir).lexically_normal().filename().string()
                                      : args->name;
    if (options.name.empty()) options.name = std::filesystem::absolute(args->dir).parent_path().filename().string();
    options.lenient = args->lenient;
    if (args->stated_records >= 0) options.stated_records = args->stated_records;
    options.argv = g->argv;
    Store store = Store::open(g->db);
    DatasetImportSummary s = import_dataset(store, taxonomy, preset, args->dir, options);

    std::cout << "Imported " << s.source << " into " << g->db << " (run " << s.run_id << "): " << s.files
              << " files, " << s.records << " records, " << s.issues << " issues (" << s.new_issues << " new), "
              << s.repositories << " repositories\n";
    if (s.normalised_labels) std::cout << "Labels that needed white-space normalisation: " << s.normalised_labels << "\n";
    if (s.unmapped_labels) std::cout << "Labels outside the taxonomy, imported unmapped: " << s.unmapped_labels << "\n";
    if (s.stated_records && *s.stated_records != s.records) {
      std::cout << "Note: the publication states " << *s.stated_records << " records; the files hold " << s.records
                << " (see `firstmile check`)\n";
    }
    std::cout << "\n";
    TextTable table({"Series", "Records", "Issues"});
    table.align_right(1);
    table.align_right(2);
    for (const SeriesCount& c : s.per_series) table.add_row({c.series, std::to_string(c.records), std::to_string(c.issues)});
    table.print(std::cout);
  });
}

}  // namespace firstmile
