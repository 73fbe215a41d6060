// analyze/summary.cpp — top-level counts of a set of annotations.
#include "analyze/summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "analyze/label_view.h"
#include "base/csv.h"
#include "base/text.h"
#include "base/text_table.h"
#include "store/store.h"

namespace firstmile {

namespace {

// Counts by a free-text attribute (series, model), sorted by name ignoring case.
SummaryTable attribute_table(const std::string& dimension, const std::string& title,
                             const std::map<std::string, int64_t>& counts) {
  SummaryTable t{dimension, title, {}, 0};
  for (const auto& [name, count] : counts) {
    if (name.empty()) {
      t.unlabelled += count;
    } else {
      t.rows.push_back({name, name, count});
    }
  }
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const CategoryCount& a, const CategoryCount& b) {
    return to_lower_ascii(a.name) < to_lower_ascii(b.name);
  });
  return t;
}

}  // namespace

Summary summarize(Store& store, LabelView& view, const SummaryOptions& options) {
  Summary s;
  s.source = options.source.empty() ? store.default_source() : options.source;
  const Taxonomy& taxonomy = view.taxonomy();
  s.taxonomy = taxonomy.id();

  AnnotationQuery query{s.source, options.series, options.models, "", "", ""};
  std::map<std::string, int64_t> by_series, by_model;
  const char* dimensions[] = {"stage", "symptom", "root_cause"};
  std::map<std::string, std::map<std::string, int64_t>> by_node;  // dimension -> top node id -> count
  std::map<std::string, int64_t> unlabelled;
  AnnotationGroups selected = store.annotation_groups(query);
  for (const AnnotationGroup& g : selected.groups) {
    s.annotations += g.count;
    if (!g.mapped) s.unmapped += g.count;
    by_series[g.series] += g.count;
    by_model[g.model] += g.count;
    const std::string* ids[] = {&g.stage, &g.symptom, &g.root_cause};
    for (int d = 0; d < 3; ++d) {
      const TaxonomyNode* n = view.resolve(g.taxonomy, *ids[d]);
      if (n) {
        by_node[dimensions[d]][taxonomy.ancestor_at_level(*n, 1).id] += g.count;
      } else {
        unlabelled[dimensions[d]] += g.count;
      }
    }
  }
  s.issues = selected.issues;
  ReactionTotals reactions = store.reaction_totals(query);
  s.issues_with_reactions = reactions.issues_with_reactions;
  s.issue_reactions = reactions.issue_reactions;
  s.comment_reactions = reactions.comment_reactions;
  s.tables.push_back(attribute_table("series", "Series", by_series));
  s.tables.push_back(attribute_table("model", "Model", by_model));
  for (const char* d : dimensions) {
    if (!taxonomy.has_dimension(d)) continue;
    SummaryTable t{d, taxonomy.dimension(d).name, {}, unlabelled[d]};
    for (const TaxonomyNode* n : taxonomy.top_level(d)) t.rows.push_back({n->id, n->name, by_node[d][n->id]});
    s.tables.push_back(std::move(t));
  }
  return s;
}

void print_summary_table(const Summary& s, std::ostream& out) {
  out << "Source " << s.source << ", taxonomy " << s.taxonomy << ": " << s.annotations << " annotations on " << s.issues
      << " issues";
  if (s.unmapped) out << " (" << s.unmapped << " with labels outside the taxonomy)";
  out << "\n";
  if (s.issues_with_reactions) {
    // A reaction is a user saying "me too" without a report of their own.
    out << "Reactions: " << s.issue_reactions << " on " << s.issues_with_reactions << " of the " << s.issues
        << " issues whose reactions are known, " << s.comment_reactions << " on their comments\n";
  }
  for (const SummaryTable& t : s.tables) {
    out << "\n";
    TextTable table({t.title, "Count", "Share"});
    table.align_right(1);
    table.align_right(2);
    for (const CategoryCount& c : t.rows) {
      double share = s.annotations ? static_cast<double>(c.count) / static_cast<double>(s.annotations) : NAN;
      table.add_row({c.name, std::to_string(c.count), format_percent(share)});
    }
    if (t.unlabelled) {
      table.add_row({"(none)", std::to_string(t.unlabelled),
                     format_percent(static_cast<double>(t.unlabelled) / static_cast<double>(s.annotations))});
    }
    table.print(out);
  }
}

void print_summary_csv(const Summary& s, std::ostream& out) {
  CsvWriter csv(out);
  csv.row({"source", "taxonomy", "dimension", "category_id", "category", "count", "share"});
  auto share = [&](int64_t count) {
    if (s.annotations == 0) return std::string("0");
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6f", static_cast<double>(count) / static_cast<double>(s.annotations));
    return std::string(buffer);
  };
  for (const SummaryTable& t : s.tables) {
    for (const CategoryCount& c : t.rows) {
      csv.row({s.source, s.taxonomy, t.dimension, c.id, c.name, std::to_string(c.count), share(c.count)});
    }
    if (t.unlabelled)
      csv.row({s.source, s.taxonomy, t.dimension, "", "(none)", std::to_string(t.unlabelled), share(t.unlabelled)});
  }
}

nlohmann::ordered_json summary_to_json(const Summary& s) {
  nlohmann::ordered_json out;
  out["source"] = s.source;
  out["taxonomy"] = s.taxonomy;
  out["annotations"] = s.annotations;
  out["issues"] = s.issues;
  out["unmapped"] = s.unmapped;
  out["reactions"] = {{"issues_with_reactions", s.issues_with_reactions},
                      {"issues", s.issue_reactions},
                      {"comments", s.comment_reactions}};
  for (const SummaryTable& t : s.tables) {
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (const CategoryCount& c : t.rows) counts[c.name] = c.count;
    if (t.unlabelled) counts["(none)"] = t.unlabelled;
    out[t.dimension] = counts;
  }
  return out;
}

}  // namespace firstmile
