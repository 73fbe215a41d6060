// package/datasheet.h — CITATION.cff and DATASHEET.md of a package, filled from the database.
//
//   write_citation("pkg", manifest);
//   write_datasheet(store, taxonomy, "pkg", manifest);
//
// What the database knows is filled in: composition (repositories, issues, comments,
// annotations per source), the collection process (the runs, each repository's "as of" time,
// the selection funnel's counts when `firstmile select` ran), the labelling process (sources,
// LLM provenance, Cohen's/Fleiss' kappa and Krippendorff's alpha when two or more human
// sources, gold:* or manual:*, labelled the same failures). What only a person can say (title,
// authors, licence, motivation, consent) is left as "[TO BE WRITTEN: ...]", so a blank is
// easy to find and impossible to miss. Both files are deterministic for the same database.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

namespace firstmile {

class Store;
class Taxonomy;

void write_citation(const std::filesystem::path& dir, const nlohmann::ordered_json& manifest);
void write_datasheet(Store& store, const Taxonomy& taxonomy, const std::filesystem::path& dir,
                     const nlohmann::ordered_json& manifest);

}  // namespace firstmile
