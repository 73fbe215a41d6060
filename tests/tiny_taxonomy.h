// tiny_taxonomy.h — a small taxonomy for hand-computed tests of evaluation and priors: two
// symptom levels, two root causes, two stages.
#pragma once

namespace firstmile::testing {

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

}  // namespace firstmile::testing
