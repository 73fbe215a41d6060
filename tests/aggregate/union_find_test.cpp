// Tests of aggregate/union_find.h: groups named by their smallest member.
#include <doctest/doctest.h>

#include "aggregate/union_find.h"

using namespace firstmile;

TEST_CASE("joined items share their smallest member as the group's name") {
  UnionFind groups(6);
  groups.join(5, 3);
  groups.join(3, 4);
  groups.join(1, 2);
  CHECK(groups.find(5) == 3);
  CHECK(groups.find(4) == 3);
  CHECK(groups.find(2) == 1);
  CHECK(groups.find(0) == 0);
  groups.join(4, 2);  // the two groups become one, named 1
  for (size_t x : {1, 2, 3, 4, 5}) CHECK(groups.find(x) == 1);
  groups.join(2, 2);
  CHECK(groups.find(2) == 1);
}
