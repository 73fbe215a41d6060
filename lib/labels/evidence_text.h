// labels/evidence_text.h — a label's evidence (the JSON every annotation keeps) in a few words.
//
//   evidence_text(d.evidence, "symptom")
//   -> "rules: sym.crash (margin 0.40 over sym.loading); sym.crash.error_lines +1.0 in errors:
//       «T»raceback (most recent call last): ...; ..."
//
// For a person reading disagreements: the decided node, its margin and runner-up, and the
// strongest rule hits of the dimension asked about, each with the line it matched in; for an
// LLM label the model and its rationale; why a label needs review. Evidence that is not JSON
// of these shapes is shown as it is, cut to a line.
#pragma once

#include <string>

namespace firstmile {

std::string evidence_text(const std::string& evidence_json, const std::string& dimension);

}  // namespace firstmile
