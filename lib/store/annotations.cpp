// store/annotations.cpp — annotations, their sources, and the groups analyses count.
#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "base/clock.h"
#include "base/error.h"
#include "base/text.h"
#include "store/store.h"

namespace firstmile {

int64_t Store::upsert_annotation(const Annotation& a) {
  Query s = db_.query(
      "INSERT INTO annotations (issue_id, failure_index, source, taxonomy, is_failure, symptom, root_cause, "
      "stage, symptom_label, root_cause_label, stage_label, mapped, confidence, needs_review, evidence, run_id, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
      "ON CONFLICT (issue_id, source, failure_index) DO UPDATE SET taxonomy = ?4, is_failure = ?5, "
      "symptom = ?6, root_cause = ?7, stage = ?8, symptom_label = ?9, root_cause_label = ?10, "
      "stage_label = ?11, mapped = ?12, confidence = ?13, needs_review = ?14, evidence = ?15, run_id = ?16 "
      "RETURNING id");
  s.bind(1, a.issue_id).bind(2, a.failure_index).bind(3, a.source).bind(4, a.taxonomy);
  s.bind(5, a.is_failure).bind(6, a.symptom).bind(7, a.root_cause).bind(8, a.stage);
  s.bind(9, a.symptom_label).bind(10, a.root_cause_label).bind(11, a.stage_label);
  s.bind(12, a.mapped ? 1 : 0).bind(13, a.confidence).bind(14, a.needs_review ? 1 : 0);
  s.bind(15, a.evidence).bind(16, a.run_id).bind(17, utc_now_iso8601());
  if (!s.step()) throw Error("annotation upsert returned no id");
  int64_t id = s.column_int(0);
  return id;
}

bool source_matches(const std::string& selector, const std::string& source) {
  if (selector.empty() || selector == source) return true;
  bool kind_only = selector.find(':') == std::string::npos;
  return kind_only && source.size() > selector.size() && source.compare(0, selector.size(), selector) == 0 &&
         source[selector.size()] == ':';
}

std::vector<SourceCount> Store::sources() {
  std::vector<SourceCount> out;
  Query s = db_.query("SELECT source, count(*) FROM annotations GROUP BY source ORDER BY source");
  while (s.step()) out.push_back({s.column_text(0), s.column_int(1)});
  return out;
}

std::string Store::default_source() {
  std::vector<SourceCount> all = sources();
  if (all.empty()) throw Error(db_.path().string() + ": no annotations yet (run `firstmile import-dataset` first)");
  std::vector<std::string> gold;
  for (const auto& s : all) {
    if (source_matches("gold", s.source)) gold.push_back(s.source);
  }
  if (gold.size() == 1) return gold[0];
  if (all.size() == 1) return all[0].source;
  std::string names;
  for (const auto& s : all) names += (names.empty() ? "" : ", ") + s.source;
  throw Error("several annotation sources (" + names + "): choose one with --source");
}

namespace {

// The WHERE clause of an AnnotationQuery over `annotations a JOIN issues i JOIN repositories r`,
// with its parameters in order.
std::string where_clause(const AnnotationQuery& q, std::vector<std::string>& parameters) {
  // Issues a classifier judged not to be failure reports are not failures to count.
  std::string sql = " WHERE a.is_failure IS NOT 0";
  if (!q.source.empty()) {
    sql += " AND (a.source = ?";
    parameters.push_back(q.source);
    if (q.source.find(':') == std::string::npos) {
      // A kind ('gold') selects every source of that kind ('gold:...'); substr avoids LIKE's wildcards.
      sql += " OR substr(a.source, 1, ?) = ?";
      parameters.push_back(std::to_string(q.source.size() + 1));
      parameters.push_back(q.source + ":");
    }
    sql += ")";
  }
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += std::string(" AND lower(") + column + ") IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ", lower(?)" : "lower(?)";
      parameters.push_back(values[i]);
    }
    sql += ")";
  };
  in_list("coalesce(r.series, '')", q.series);
  in_list("coalesce(r.model, '')", q.models);
  if (!q.since.empty()) {
    sql += " AND i.created_at >= ?";
    parameters.push_back(q.since);
  }
  if (!q.until.empty()) {
    sql += " AND substr(i.created_at, 1, ?) <= ?";
    parameters.push_back(std::to_string(q.until.size()));
    parameters.push_back(q.until);
  }
  return sql;
}

const char* kAnnotationJoin =
    " FROM annotations a JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id";

// The same rows, for the members of an aggregation's incidents only. CROSS JOIN fixes the loop
// order (incidents, then members, then their annotations): left to itself, SQLite's planner may
// scan annotations by source and probe every incident for each, which on a million annotations
// never ends; and an incident's rows then come together, which the vote relies on.
const char* kMemberJoin =
    " FROM incidents n CROSS JOIN incident_members m ON m.incident_id = n.id"
    " CROSS JOIN annotations a ON a.issue_id = m.issue_id"
    " JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id";

// Columns 0-6 of both scans; the member scan adds the incident id as column 7.
const char* kGroupColumns =
    "SELECT a.taxonomy, i.repository_id, a.symptom, a.root_cause, a.stage, a.mapped, a.issue_id";

void bind_all(Query& s, const std::vector<std::string>& parameters) {
  for (size_t i = 0; i < parameters.size(); ++i) s.bind(static_cast<int>(i + 1), parameters[i]);
}

// What annotation_groups has counted so far.
struct GroupTally {
  std::vector<AnnotationGroup> groups;
  std::vector<int64_t> group_repository;
  std::unordered_map<std::string, size_t> index;
  std::map<std::pair<std::string, std::string>, bool> stage_kept;  // few distinct stages: cache the filter
  std::vector<bool> seen_issue;  // issue ids are rowids: dense, so a bitmap counts them
  int64_t issues = 0;
  std::string key;

  // Whether the row's stage passes `keep_stage` (columns 0 and 4: taxonomy and stage).
  bool stage_selected(const Query& s, const StageFilter& keep_stage) {
    auto stage = std::make_pair(std::string(s.column_view(0)), std::string(s.column_view(4)));
    auto cached = stage_kept.find(stage);
    if (cached == stage_kept.end()) cached = stage_kept.emplace(stage, keep_stage(stage.first, stage.second)).first;
    return cached->second;
  }

  void see_issue(size_t issue) {
    if (issue >= seen_issue.size()) seen_issue.resize(std::max(issue + 1, seen_issue.size() * 2));
    if (!seen_issue[issue]) {
      seen_issue[issue] = true;
      ++issues;
    }
  }

  // The group of the row's columns 0-5, created on first sight.
  AnnotationGroup& group_of(const Query& s) {
    key.clear();
    for (int c = 0; c < 6; ++c) {
      key += s.column_view(c);
      key += '\x1f';
    }
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) {
      groups.push_back(
          {s.column_text(0), "", "", s.column_text(2), s.column_text(3), s.column_text(4), s.column_int(5) != 0, 0});
      group_repository.push_back(s.column_int(1));
    }
    return groups[it->second];
  }
};

// The labels an incident's member annotations vote for, and the repositories behind each.
using LabelVote = std::tuple<std::string, std::string, std::string, std::string,
                             bool>;                                     // taxonomy, symptom, root cause, stage, mapped
using IncidentVotes = std::map<LabelVote, std::map<int64_t, int64_t>>;  // -> repository -> annotations

// Adds the incident's one count to the winning label combination (std::map order breaks ties).
void count_incident(const IncidentVotes& votes, GroupTally& tally) {
  const IncidentVotes::value_type* best = nullptr;
  int64_t best_count = 0;
  for (const auto& vote : votes) {
    int64_t count = 0;
    for (const auto& [repository, n] : vote.second) count += n;
    if (count > best_count) {
      best = &vote;
      best_count = count;
    }
  }
  if (!best) return;
  int64_t repository = 0, repository_count = 0;
  for (const auto& [id, n] : best->second) {
    if (n > repository_count) std::tie(repository, repository_count) = std::tie(id, n);
  }
  const auto& [taxonomy, symptom, root_cause, stage, mapped] = best->first;
  // Its own group, merged with equal ones when annotation_groups folds them at the end.
  tally.groups.push_back({taxonomy, "", "", symptom, root_cause, stage, mapped, 1});
  tally.group_repository.push_back(repository);
}

}  // namespace

ReactionTotals Store::reaction_totals(const AnnotationQuery& query) {
  std::vector<std::string> parameters;
  std::string chosen = "SELECT DISTINCT a.issue_id" + std::string(kAnnotationJoin) + where_clause(query, parameters);
  Query s = db_.query("WITH chosen(id) AS (" + chosen +
                      ") SELECT count(*), count(i.reactions_total), coalesce(sum(i.reactions_total), 0), "
                      "(SELECT coalesce(sum(c.reactions_total), 0) FROM comments c WHERE c.issue_id IN chosen) "
                      "FROM chosen JOIN issues i ON i.id = chosen.id");
  bind_all(s, parameters);
  ReactionTotals t;
  if (s.step()) {
    t.issues = s.column_int(0);
    t.issues_with_reactions = s.column_int(1);
    t.issue_reactions = s.column_int(2);
    t.comment_reactions = s.column_int(3);
  }
  return t;
}

std::vector<std::string> Store::aggregation_names() {
  std::vector<std::string> out;
  Query s = db_.query("SELECT name FROM aggregations ORDER BY name");
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

namespace {

// Counts the members of `aggregation`'s incidents that `query` selects: one vote per incident
// for its most common label combination (count_incident). Returns the incidents counted.
int64_t count_incident_votes(Database& db, const AnnotationQuery& query, const std::string& aggregation,
                             const StageFilter& keep_stage, GroupTally& tally) {
  std::vector<std::string> parameters;
  std::string members = std::string(kGroupColumns) + ", n.id" + kMemberJoin + where_clause(query, parameters) +
                        " AND n.aggregation = ? ORDER BY n.number";  // the index's order: no sort
  parameters.push_back(aggregation);
  Query m = db.query(members);
  bind_all(m, parameters);
  IncidentVotes votes;
  int64_t incident = 0, incidents = 0;
  auto close_incident = [&] {
    if (votes.empty()) return;
    count_incident(votes, tally);
    ++incidents;
    votes.clear();
  };
  while (m.step()) {
    if (keep_stage && !tally.stage_selected(m, keep_stage)) continue;
    if (m.column_int(7) != incident) close_incident();
    incident = m.column_int(7);
    tally.see_issue(static_cast<size_t>(m.column_int(6)));
    ++votes[{m.column_text(0), m.column_text(2), m.column_text(3), m.column_text(4), m.column_int(5) != 0}]
           [m.column_int(1)];
  }
  close_incident();
  return incidents;
}

// The tally's groups with each repository's series and model, sorted, equal ones folded into one.
std::vector<AnnotationGroup> fold_groups(Database& db, GroupTally& tally) {
  std::unordered_map<int64_t, std::pair<std::string, std::string>> repositories;
  Query r = db.query("SELECT id, coalesce(series, ''), coalesce(model, '') FROM repositories");
  while (r.step()) repositories[r.column_int(0)] = {r.column_text(1), r.column_text(2)};
  std::vector<AnnotationGroup>& groups = tally.groups;
  for (size_t g = 0; g < groups.size(); ++g) {
    std::tie(groups[g].series, groups[g].model) = repositories[tally.group_repository[g]];
  }
  auto fields = [](const AnnotationGroup& g) {
    return std::tie(g.taxonomy, g.series, g.model, g.symptom, g.root_cause, g.stage, g.mapped);
  };
  std::sort(groups.begin(), groups.end(),
            [&](const AnnotationGroup& x, const AnnotationGroup& y) { return fields(x) < fields(y); });
  std::vector<AnnotationGroup> out;
  for (AnnotationGroup& g : groups) {
    if (!out.empty() && fields(out.back()) == fields(g)) {
      out.back().count += g.count;  // repositories of one series and model fold together
    } else {
      out.push_back(std::move(g));
    }
  }
  return out;
}

}  // namespace

AnnotationGroups Store::annotation_groups(const AnnotationQuery& query, const StageFilter& keep_stage) {
  // One pass over the selected rows, aggregated in a hash table: SQLite's GROUP BY would sort
  // every row first, and a second pass for count(DISTINCT issue) would read them all again;
  // on a million annotations each costs more than this whole pass.
  const bool by_incident = !query.incidents.empty();
  if (by_incident) {
    std::vector<std::string> names = aggregation_names();
    if (std::find(names.begin(), names.end(), query.incidents) == names.end()) {
      throw Error("no aggregation named '" + query.incidents + "' (" +
                  (names.empty() ? "run `firstmile aggregate` first" : "aggregations: " + join(names, ", ")) + ")");
    }
  }
  std::vector<std::string> parameters;
  std::string sql = std::string(kGroupColumns) + kAnnotationJoin + where_clause(query, parameters);
  if (by_incident) {
    // Members are counted by the second scan, one vote per incident.
    sql +=
        " AND a.issue_id NOT IN (SELECT m.issue_id FROM incident_members m JOIN incidents n ON n.id = m.incident_id"
        " WHERE n.aggregation = ?)";
    parameters.push_back(query.incidents);
  }
  Query s = db_.query(sql);
  bind_all(s, parameters);
  GroupTally tally;
  while (s.step()) {
    if (keep_stage && !tally.stage_selected(s, keep_stage)) continue;
    tally.see_issue(static_cast<size_t>(s.column_int(6)));
    ++tally.group_of(s).count;
  }
  AnnotationGroups out;
  if (by_incident) {
    const int64_t outside = tally.issues;  // each report outside the incidents is its own
    out.multi_report_incidents = count_incident_votes(db_, query, query.incidents, keep_stage, tally);
    out.incidents = outside + out.multi_report_incidents;
  }
  out.issues = tally.issues;
  out.groups = fold_groups(db_, tally);
  return out;
}

}  // namespace firstmile
