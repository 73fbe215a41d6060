// aggregate/aggregate_eval.cpp — gold and predicted incidents, pairwise scores, their table.
#include "aggregate/aggregate_eval.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <tuple>

#include "aggregate/union_find.h"
#include "base/csv.h"
#include "base/error.h"
#include "base/issue_references.h"
#include "base/text.h"
#include "base/text_table.h"
#include "store/aggregation_input.h"
#include "store/incident_tables.h"
#include "store/store.h"

namespace firstmile {

namespace {

// Incident names that are not numbers get numbers from here on, far from any CSV's numbers.
constexpr int64_t kFirstNamedIncident = 1'000'000'000;

// Issues joined by their "Duplicate of" comments and by the duplicate marks that name the
// original, each group named by its smallest issue id. A mark undone later (its last event an
// unmark) unjoins the pair, whatever the comments say.
std::map<int64_t, int64_t> duplicate_groups(Store& store) {
  std::set<std::pair<int64_t, int64_t>> links;  // (smaller id, larger id)
  auto pair_of = [](int64_t a, int64_t b) { return std::make_pair(std::min(a, b), std::max(a, b)); };
  for (const DuplicateComment& c : comments_mentioning_duplicate(store)) {
    std::optional<IssueLink> original = duplicate_of(c.body, c.owner, c.name);
    if (!original) continue;
    std::optional<int64_t> id = store.find_issue(original->owner, original->name, original->number);
    if (id && *id != c.issue_id) links.insert(pair_of(c.issue_id, *id));
  }
  std::map<std::pair<int64_t, int64_t>, bool> marks;  // the pair's last mark: marked or undone
  for (const DuplicateMark& m : duplicate_marks(store)) {
    const auto slash = m.other_repository.find('/');
    if (slash == std::string::npos) continue;
    std::optional<int64_t> other =
        store.find_issue(m.other_repository.substr(0, slash), m.other_repository.substr(slash + 1), m.other_number);
    if (other && *other != m.issue_id) marks[pair_of(m.issue_id, *other)] = m.marked;
  }
  for (const auto& [pair, marked] : marks) {
    if (marked) links.insert(pair);
    else links.erase(pair);
  }
  std::vector<int64_t> ids;
  for (auto [a, b] : links) ids.push_back(a), ids.push_back(b);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto index = [&ids](int64_t id) {
    return static_cast<size_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
  };
  UnionFind groups(ids.size());  // by index into the sorted ids: the smallest index is the smallest id
  for (auto [a, b] : links) groups.join(index(a), index(b));
  std::map<int64_t, int64_t> out;
  for (size_t i = 0; i < ids.size(); ++i) out[ids[i]] = ids[groups.find(i)];
  return out;
}

std::map<int64_t, int64_t> gold_from_csv(Store& store, const std::string& path) {
  std::map<int64_t, int64_t> out;
  std::map<std::string, int64_t> incident_names;
  for (const CsvRecord& rec : read_csv_file(path)) {
    if (rec.fields.empty()) continue;
    if (rec.line == 1 && rec.fields[0].find('/') == std::string::npos) continue;  // a header row
    std::string where = path + ": line " + std::to_string(rec.line);
    if (rec.fields.size() < 2)
      throw Error(where + ": expected two columns: the issue (URL or OWNER/NAME#N) and its incident");
    std::optional<IssueLink> link = parse_issue_reference(rec.fields[0]);
    if (!link) throw Error(where + ": '" + rec.fields[0] + "' is not an issue URL or OWNER/NAME#N");
    std::optional<int64_t> id = store.find_issue(link->owner, link->name, link->number);
    if (!id) continue;  // not in this database: it cannot be compared
    char* end = nullptr;
    long long incident = rec.fields[1].empty() ? 0 : std::strtoll(rec.fields[1].c_str(), &end, 10);
    if (!rec.fields[1].empty() && (end == rec.fields[1].c_str() || *end != '\0')) {
      // Incident names need not be numbers: map each name to a number of its own.
      auto [it, fresh] =
          incident_names.emplace(rec.fields[1], kFirstNamedIncident + static_cast<int64_t>(incident_names.size()));
      incident = it->second;
    }
    out.emplace(*id, incident);  // an issue listed twice keeps its first incident
  }
  return out;
}

// The candidate pairs of a --pairs-out file, by issue id, with their scores.
std::vector<std::tuple<int64_t, int64_t, double>> read_scored_pairs(Store& store, const std::string& path) {
  std::vector<std::tuple<int64_t, int64_t, double>> out;
  for (const CsvRecord& rec : read_csv_file(path)) {
    if (rec.line == 1) continue;  // the header
    std::string where = path + ": line " + std::to_string(rec.line);
    if (rec.fields.size() < 3) throw Error(where + ": expected issue_a, issue_b, score, ... (aggregate --pairs-out)");
    int64_t ids[2] = {0, 0};
    for (int k = 0; k < 2; ++k) {
      std::optional<IssueLink> link = parse_issue_reference(rec.fields[static_cast<size_t>(k)]);
      std::optional<int64_t> id = link ? store.find_issue(link->owner, link->name, link->number) : std::nullopt;
      if (!id) throw Error(where + ": '" + rec.fields[static_cast<size_t>(k)] + "' is not an issue of this database");
      ids[k] = *id;
    }
    char* end = nullptr;
    double score = std::strtod(rec.fields[2].c_str(), &end);
    if (end == rec.fields[2].c_str() || *end != '\0') throw Error(where + ": score '" + rec.fields[2] + "' is not a number");
    out.emplace_back(ids[0], ids[1], score);
  }
  return out;
}

RankingScores ranking_scores(const std::map<int64_t, int64_t>& gold,
                             const std::vector<std::tuple<int64_t, int64_t, double>>& pairs) {
  RankingScores r;
  std::map<int64_t, int64_t> sizes;
  for (const auto& [id, incident] : gold) {
    if (incident != 0) ++sizes[incident];
  }
  for (const auto& [incident, k] : sizes) r.gold_pairs += k * (k - 1) / 2;
  auto incident_of = [&gold](int64_t id) {
    auto it = gold.find(id);
    return it == gold.end() ? int64_t{0} : it->second;
  };
  std::map<int64_t, std::vector<std::pair<double, int64_t>>> candidates;  // by gold report: (score, other)
  for (const auto& [a, b, score] : pairs) {
    int64_t ia = incident_of(a), ib = incident_of(b);
    if (ia != 0 && ia == ib) ++r.candidate_gold_pairs;
    if (gold.count(a) && gold.count(b)) {
      candidates[a].emplace_back(score, b);
      candidates[b].emplace_back(score, a);
    }
  }
  int64_t hits[3] = {0, 0, 0};
  const size_t ks[3] = {1, 5, 10};
  for (const auto& [id, incident] : gold) {
    if (incident == 0 || sizes[incident] < 2) continue;
    ++r.reports_with_partner;
    std::vector<std::pair<double, int64_t>>& c = candidates[id];
    std::stable_sort(c.begin(), c.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    for (size_t k = 0; k < 3; ++k) {
      for (size_t i = 0; i < c.size() && i < ks[k]; ++i) {
        if (incident_of(c[i].second) == incident) {
          ++hits[k];
          break;
        }
      }
    }
  }
  const double n = static_cast<double>(std::max<int64_t>(r.reports_with_partner, 1));
  r.recall_at_1 = static_cast<double>(hits[0]) / n;
  r.recall_at_5 = static_cast<double>(hits[1]) / n;
  r.recall_at_10 = static_cast<double>(hits[2]) / n;
  r.candidate_recall =
      r.gold_pairs ? static_cast<double>(r.candidate_gold_pairs) / static_cast<double>(r.gold_pairs) : 0;
  return r;
}

}  // namespace

PairwiseScores pairwise_scores(const std::vector<int64_t>& gold, const std::vector<int64_t>& predicted) {
  if (gold.size() != predicted.size()) throw Error("pairwise_scores: gold and predicted differ in length");
  PairwiseScores s;
  s.reports = static_cast<int64_t>(gold.size());
  auto pairs = [](int64_t k) { return k * (k - 1) / 2; };
  std::map<int64_t, int64_t> gold_sizes, predicted_sizes;
  std::map<std::pair<int64_t, int64_t>, int64_t> both;
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] != 0) ++gold_sizes[gold[i]];
    if (predicted[i] != 0) ++predicted_sizes[predicted[i]];
    if (gold[i] != 0 && predicted[i] != 0) ++both[{predicted[i], gold[i]}];
  }
  for (const auto& [g, k] : gold_sizes) s.gold_pairs += pairs(k), s.gold_incidents += k >= 2;
  for (const auto& [p, k] : predicted_sizes) s.predicted_pairs += pairs(k), s.predicted_incidents += k >= 2;
  std::map<int64_t, int64_t> majority;  // per predicted group: its largest gold share
  for (const auto& [key, k] : both) {
    s.true_pairs += pairs(k);
    majority[key.first] = std::max(majority[key.first], k);
  }
  s.precision = s.predicted_pairs ? static_cast<double>(s.true_pairs) / static_cast<double>(s.predicted_pairs) : 0;
  s.recall = s.gold_pairs ? static_cast<double>(s.true_pairs) / static_cast<double>(s.gold_pairs) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  int64_t grouped = 0, pure = 0;
  for (const auto& [p, k] : predicted_sizes) {
    grouped += k;
    pure += majority.count(p) ? majority[p] : 0;
  }
  s.purity = grouped ? static_cast<double>(pure) / static_cast<double>(grouped) : 0;
  return s;
}

std::map<int64_t, int64_t> load_gold_incidents(Store& store, const std::string& gold) {
  if (gold != "duplicates") return gold_from_csv(store, gold);
  std::map<int64_t, int64_t> out = duplicate_groups(store);
  for (int64_t id : report_ids(store)) out.emplace(id, 0);
  return out;
}

std::map<int64_t, int64_t> load_predicted_incidents(Store& store, const std::string& name) {
  std::vector<std::string> names = store.aggregation_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw Error("no aggregation named '" + name + "' (run `firstmile aggregate --name " + name + "` first)");
  }
  return incident_numbers(store, name);
}

AggregationScores evaluate_aggregation(Store& store, const std::string& name, const std::string& gold,
                                       const std::string& pairs) {
  std::map<int64_t, int64_t> gold_incidents = load_gold_incidents(store, gold);
  std::map<int64_t, int64_t> predicted = load_predicted_incidents(store, name);
  if (gold_incidents.empty()) throw Error(gold + ": names no issue of " + store.db().path().string());
  std::vector<int64_t> gv, pv;
  for (const auto& [id, incident] : gold_incidents) {
    gv.push_back(incident);
    auto it = predicted.find(id);
    pv.push_back(it == predicted.end() ? 0 : it->second);
  }
  AggregationScores out{name, gold, pairwise_scores(gv, pv), std::nullopt};
  if (!pairs.empty()) out.ranking = ranking_scores(gold_incidents, read_scored_pairs(store, pairs));
  return out;
}

void print_aggregation_scores(const AggregationScores& a, std::ostream& out) {
  const PairwiseScores& s = a.scores;
  out << "Aggregation '" << a.name << "' against " << a.gold << ": " << s.reports << " reports, " << s.gold_incidents
      << " gold incidents, " << s.predicted_incidents << " found\n";
  TextTable t({"pairs: gold", "found", "right", "precision", "recall", "F1", "purity"});
  for (size_t c = 0; c < 7; ++c) t.align_right(c);
  t.add_row({std::to_string(s.gold_pairs), std::to_string(s.predicted_pairs), std::to_string(s.true_pairs),
             format_fixed(s.precision, 4), format_fixed(s.recall, 4), format_fixed(s.f1, 4),
             format_fixed(s.purity, 4)});
  t.print(out);
  if (const auto& r = a.ranking) {
    out << "Candidates: " << r->candidate_gold_pairs << " of " << r->gold_pairs << " gold pairs (candidate recall "
        << format_fixed(r->candidate_recall, 4) << "); of " << r->reports_with_partner
        << " reports with a gold partner, one among the best-scored 1 / 5 / 10: " << format_fixed(r->recall_at_1, 4)
        << " / " << format_fixed(r->recall_at_5, 4) << " / " << format_fixed(r->recall_at_10, 4) << "\n";
  }
}

nlohmann::json aggregation_scores_json(const AggregationScores& a) {
  const PairwiseScores& s = a.scores;
  nlohmann::json out = {{"reports", s.reports},
          {"gold_incidents", s.gold_incidents},
          {"predicted_incidents", s.predicted_incidents},
          {"gold_pairs", s.gold_pairs},
          {"predicted_pairs", s.predicted_pairs},
          {"true_pairs", s.true_pairs},
          {"precision", s.precision},
          {"recall", s.recall},
          {"f1", s.f1},
          {"purity", s.purity}};
  if (const auto& r = a.ranking) {
    out["candidate_recall"] = r->candidate_recall;
    out["recall_at_1"] = r->recall_at_1;
    out["recall_at_5"] = r->recall_at_5;
    out["recall_at_10"] = r->recall_at_10;
    out["reports_with_partner"] = r->reports_with_partner;
  }
  return out;
}

}  // namespace firstmile
