// cmd_package.cpp — `firstmile package OUT_DIR`: a replication package; `--verify DIR` checks one.
#include <iostream>

#include "base/error.h"
#include "globals.h"
#include "package/manifest.h"
#include "package/package.h"
#include "package/pseudonyms.h"
#include "store/store.h"

namespace firstmile {

namespace {
struct PackageArgs {
  std::string out_dir;
  std::string verify;
  std::string salt_file;
  std::vector<std::string> sources;
  bool keep_logins = false;
  bool include_text = false;
  bool include_llm_log = false;
  bool force = false;
  bool zip = false;
  std::string preset = "open-llm-failures";
};
}  // namespace

void add_package(CLI::App& app, std::shared_ptr<Globals> g) {
  auto args = std::make_shared<PackageArgs>();
  auto* cmd = app.add_subcommand("package",
                                 "Write a replication package: the dataset in the published layout, tidy tables with "
                                 "people pseudonymised, LLM provenance, datasheet, paper outputs, a verifiable manifest");
  cmd->add_option("out_dir", args->out_dir, "Folder to write (must be new or empty, unless --force)");
  cmd->add_option("--verify", args->verify, "Check the package in this folder against its MANIFEST.json instead");
  cmd->add_option("--source", args->sources, "Annotation sources to package (repeatable; default: every source)");
  cmd->add_option("--salt-file", args->salt_file,
                  "File holding the secret salt of the pseudonyms (keep it outside the package)");
  cmd->add_flag("--keep-logins", args->keep_logins, "Keep logins, names and e-mails instead of pseudonyms");
  cmd->add_flag("--include-text", args->include_text, "Include report bodies, comments, commit and tag messages");
  cmd->add_flag("--include-llm-log", args->include_llm_log, "Include the cached LLM answers (llm/llm_log.*)");
  cmd->add_flag("--force", args->force, "Replace OUT_DIR (and OUT_DIR.zip) when it exists and is not empty");
  cmd->add_flag("--zip", args->zip, "Also archive the package as OUT_DIR.zip (deflate; same files, same bytes)");
  cmd->add_option("--preset", args->preset, "Preset giving the RQ6 version pairs of paper/")->capture_default_str();
  cmd->callback([g, args] {
    if (!args->verify.empty()) {
      if (!args->out_dir.empty()) throw Error("package --verify DIR: give no OUT_DIR with --verify");
      PackageCheck check = verify_package(args->verify);
      std::cout << args->verify << ": all " << check.files << " files match MANIFEST.json\n";
      return;
    }
    PackageOptions options;
    options.out_dir = args->out_dir;
    options.sources = args->sources;
    options.keep_logins = args->keep_logins;
    options.include_text = args->include_text;
    options.include_llm_log = args->include_llm_log;
    options.force = args->force;
    options.zip = args->zip;
    options.preset = args->preset;
    if (!args->salt_file.empty()) {
      if (args->keep_logins) throw Error("package: --salt-file and --keep-logins exclude each other");
      options.salt = read_salt(args->salt_file);
      options.salt_file = args->salt_file;
    }
    Taxonomy taxonomy = g->load_taxonomy();
    Store store = Store::open(g->db, Database::kReadOnly);
    print_package_summary(write_package(store, taxonomy, options), std::cout);
  });
}

}  // namespace firstmile
