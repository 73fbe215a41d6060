// aggregate/linkage.cpp — average linkage of the linking pairs' groups.
#include "aggregate/linkage.h"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "base/text_table.h"

namespace firstmile {

void join_by_average(size_t reports, const std::vector<ScoredPair>& scores, double minimum,
                     std::vector<PairDecision>& decisions) {
  auto effective = [](const PairDecision& d) { return d.by_llm || d.by_knowledge ? 1.0 : d.score; };
  std::vector<size_t> order;
  for (size_t k = 0; k < decisions.size(); ++k) {
    if (decisions[k].linked) order.push_back(k);
  }
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const PairDecision &p = decisions[x], &q = decisions[y];
    if (effective(p) != effective(q)) return effective(p) > effective(q);
    return std::tie(p.a, p.b) < std::tie(q.a, q.b);
  });
  // Only reports in a linking pair can join a group: only their sums are kept.
  std::vector<char> touched(reports, 0);
  for (size_t k : order) touched[decisions[k].a] = touched[decisions[k].b] = 1;
  // Sum of the scores between two groups, by each group's root, both ways.
  std::unordered_map<uint32_t, std::unordered_map<uint32_t, double>> between;
  for (const ScoredPair& p : scores) {
    if (!touched[p.a] || !touched[p.b]) continue;
    between[p.a][p.b] += p.score;
    between[p.b][p.a] += p.score;
  }
  std::vector<uint32_t> root(reports);
  std::iota(root.begin(), root.end(), 0u);
  std::unordered_map<uint32_t, std::vector<uint32_t>> members;  // groups of two or more, by root
  auto size_of = [&](uint32_t g) {
    auto it = members.find(g);
    return it == members.end() ? size_t{1} : it->second.size();
  };
  for (size_t k : order) {
    PairDecision& d = decisions[k];
    uint32_t a = root[d.a], b = root[d.b];
    if (a == b) continue;
    size_t na = size_of(a), nb = size_of(b);
    double sum = 0;
    if (auto row = between.find(a); row != between.end()) {
      if (auto cell = row->second.find(b); cell != row->second.end()) sum = cell->second;
    }
    const double mean = sum / static_cast<double>(na * nb);
    if (mean < minimum) {
      d.linked = false;
      if (!d.reason.empty()) d.reason += "; ";
      d.reason += "not joined: its two groups (" + std::to_string(na) + " and " + std::to_string(nb) +
                  " reports) score " + format_fixed(mean, 3) + " on average, below " + format_fixed(minimum, 3);
      continue;
    }
    if (na < nb) std::swap(a, b);
    // The smaller group b into a: its members, and its sums to every other group.
    std::vector<uint32_t>& into = members[a];
    if (into.empty()) into.push_back(a);
    if (auto from = members.find(b); from != members.end()) {
      for (uint32_t x : from->second) root[x] = a, into.push_back(x);
      members.erase(from);
    } else {
      root[b] = a;
      into.push_back(b);
    }
    std::unordered_map<uint32_t, double> row_b;
    if (auto row = between.find(b); row != between.end()) {
      row_b = std::move(row->second);
      between.erase(row);
    }
    std::unordered_map<uint32_t, double>& row_a = between[a];
    row_a.erase(b);
    for (const auto& [other, total] : row_b) {
      if (other == a) continue;
      row_a[other] += total;
      std::unordered_map<uint32_t, double>& row_other = between[other];
      row_other.erase(b);
      row_other[a] += total;
    }
  }
}

}  // namespace firstmile
