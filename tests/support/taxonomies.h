// support/taxonomies.h — the taxonomies tests label with: the shipped one, loaded once, and a
// tiny one small enough to work expected values out by hand.
//
//   const Taxonomy& t = shipped_taxonomy();          // taxonomy/taxonomy.json
//   Taxonomy tiny = tiny_taxonomy();                 // id "tiny": below
#pragma once

#include "support/files.h"
#include "taxonomy/taxonomy.h"

namespace firstmile::testing {

// Two symptom levels (Crash: Out of Memory, Process Killed; Hang: Generation Stuck; Slow), two
// root causes, two stages.
inline constexpr const char* kTinyTaxonomy = R"({"taxonomy": "tiny", "version": "1",
  "dimensions": [{"id": "symptom", "levels": 2}, {"id": "root_cause", "levels": 1}, {"id": "stage", "levels": 1}],
  "nodes": [
    {"id": "sym.crash", "dimension": "symptom", "name": "Crash"},
    {"id": "sym.crash.oom", "parent": "sym.crash", "name": "Out of Memory"},
    {"id": "sym.crash.kill", "parent": "sym.crash", "name": "Process Killed"},
    {"id": "sym.hang", "dimension": "symptom", "name": "Hang"},
    {"id": "sym.hang.gen", "parent": "sym.hang", "name": "Generation Stuck"},
    {"id": "sym.slow", "dimension": "symptom", "name": "Slow"},
    {"id": "rc.env", "dimension": "root_cause", "name": "Environment"},
    {"id": "rc.config", "dimension": "root_cause", "name": "Configuration"},
    {"id": "stage.infer", "dimension": "stage", "name": "Inference"},
    {"id": "stage.tune", "dimension": "stage", "name": "Fine-tuning"}]})";

inline const Taxonomy& shipped_taxonomy() {
  static const Taxonomy t = Taxonomy::load(source_file("taxonomy/taxonomy.json"));
  return t;
}

inline Taxonomy tiny_taxonomy() { return Taxonomy::parse(kTinyTaxonomy, "tiny.json"); }

}  // namespace firstmile::testing
