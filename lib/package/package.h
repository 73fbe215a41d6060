// package/package.h — `firstmile package`: a replication package a reviewer can trust.
//
//   PackageOptions o;
//   o.out_dir = "study-package";
//   o.salt = read_salt("../study.salt");            // kept outside the package
//   PackageSummary s = write_package(store, taxonomy, o);
//   print_package_summary(s, std::cout);
//   verify_package("study-package");                // package/manifest.h: throws on any change
//
// The package holds, below OUT_DIR:
//   dataset/<owner>/<model>/<file>.json  the labelled dataset in the published layout
//                                        (`firstmile import-dataset OUT_DIR` reads it back)
//   tables/<table>.csv, .jsonl           every table, tidy, people pseudonymised
//   llm/                                 LLM-made labels' model and prompt hash, the prompt
//                                        templates, and with include_llm_log the cached answers
//   taxonomy/<id>.json                   the taxonomies labels were made under
//   paper/                               `firstmile analyze --out` of the dataset's labels
//   CITATION.cff, DATASHEET.md, README.md
//   MANIFEST.json                        versions, hashes, runs, "as of" times, row counts and
//                                        the SHA-256 of every other file
//
// The same database, options and salt give byte-identical files: nothing depends on the clock
// (the manifest's created_at is the latest run's finish). The package is written into a
// temporary folder beside OUT_DIR and renamed into place at the end, so a failed run leaves
// no OUT_DIR that looks complete; a non-empty OUT_DIR is refused unless `force`. With `zip`, the
// finished folder is also archived as OUT_DIR.zip (package/zip_archive.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace firstmile {

class Store;
class Taxonomy;

struct PackageOptions {
  std::filesystem::path out_dir = {};
  std::vector<std::string> sources = {};  // annotation source selectors; empty: every source
  std::optional<std::string> salt = {};   // required unless keep_logins
  std::filesystem::path salt_file = {};   // where the salt came from: refused inside out_dir
  bool keep_logins = false;
  bool include_text = false;
  bool include_llm_log = false;
  bool force = false;                        // replace a non-empty out_dir (and its .zip)
  bool zip = false;                          // also write OUT_DIR.zip beside the folder
  std::string preset = "open-llm-failures";  // RQ6 version pairs of the paper outputs
};

struct PackageSummary {
  std::filesystem::path out_dir = {};
  std::string dataset_source = {};
  int64_t dataset_files = 0, dataset_records = 0;
  std::map<std::string, int64_t> rows = {};  // per table
  int64_t files = 0;                         // in the manifest
  int64_t llm_labels = 0;
  bool pseudonymised = true;
  std::string paper_note = {};  // why paper/ is missing, if it is
  std::filesystem::path zip = {};  // the archive, when asked for
};

PackageSummary write_package(Store& store, const Taxonomy& taxonomy, const PackageOptions& options);

void print_package_summary(const PackageSummary& summary, std::ostream& out);

}  // namespace firstmile
