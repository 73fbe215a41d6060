// aggregate/union_find.h — connected groups of items 0..n-1 joined pair by pair.
//
//   UnionFind groups(5);
//   groups.join(0, 3);  groups.join(3, 4);
//   groups.find(4) == 0;   // every group is named by its smallest member
//
// Used for the incidents (reports joined by linked pairs) and for the gold incidents of
// `aggregate eval --gold duplicates` (issues joined by "Duplicate of" comments).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace firstmile {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) {
    for (size_t i = 0; i < n; ++i) parent_[i] = i;
  }
  // The group's smallest member.
  size_t find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];  // path halving
    return x;
  }
  void join(size_t a, size_t b) {
    a = find(a), b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<size_t> parent_;
};

}  // namespace firstmile
