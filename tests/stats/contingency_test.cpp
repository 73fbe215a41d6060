// Tests of stats/contingency.h: filling a table, its totals, and dropping empty rows/columns.
#include <doctest/doctest.h>

#include "base/error.h"
#include "stats/contingency.h"

using namespace firstmile;
using namespace firstmile::stats;

TEST_CASE("adding by label and by index counts into the right cell") {
  ContingencyTable t({"Crash", "Hang"}, {"Config", "Env", "API"});
  CHECK(t.add("Crash", "Env"));
  CHECK(t.add("Crash", "Env", 2));
  t.add(1, 2, 0.5);
  CHECK(t.at(0, 1) == 3);
  CHECK(t.at(1, 2) == 0.5);
  CHECK(t.at(0, 0) == 0);
}

TEST_CASE("an unknown label adds nothing and says so") {
  ContingencyTable t({"Crash"}, {"Config"});
  CHECK_FALSE(t.add("Hang", "Config"));
  CHECK_FALSE(t.add("Crash", "Env"));
  CHECK(t.total() == 0);
}

TEST_CASE("row, column and grand totals add up the counts") {
  ContingencyTable t({"a", "b"}, {"x", "y", "z"}, {{1, 2, 3}, {4, 5, 6}});
  CHECK(t.row_total(0) == 6);
  CHECK(t.row_total(1) == 15);
  CHECK(t.column_total(0) == 5);
  CHECK(t.column_total(2) == 9);
  CHECK(t.total() == 21);
  CHECK(t.row(1) == std::vector<double>{4, 5, 6});
  CHECK(t.matrix() == std::vector<std::vector<double>>{{1, 2, 3}, {4, 5, 6}});
}

TEST_CASE("counts whose shape differs from the labels are rejected") {
  CHECK_THROWS_AS(ContingencyTable({"a", "b"}, {"x"}, {{1}}), Error);
  CHECK_THROWS_AS(ContingencyTable({"a"}, {"x", "y"}, {{1, 2, 3}}), Error);
}

TEST_CASE("dropping empty rows and columns keeps the order and names what went") {
  ContingencyTable t({"a", "b", "c"}, {"x", "y", "z"}, {{1, 0, 2}, {0, 0, 0}, {3, 0, 4}});
  NonEmptyTable kept = drop_empty_rows_and_columns(t);
  CHECK(kept.table.row_labels() == std::vector<std::string>{"a", "c"});
  CHECK(kept.table.column_labels() == std::vector<std::string>{"x", "z"});
  CHECK(kept.table.matrix() == std::vector<std::vector<double>>{{1, 2}, {3, 4}});
  CHECK(kept.kept_rows == std::vector<size_t>{0, 2});
  CHECK(kept.kept_columns == std::vector<size_t>{0, 2});
  CHECK(kept.dropped_rows == std::vector<std::string>{"b"});
  CHECK(kept.dropped_columns == std::vector<std::string>{"y"});
}

TEST_CASE("dropping from an all-zero table leaves an empty table") {
  NonEmptyTable kept = drop_empty_rows_and_columns(ContingencyTable({"a", "b"}, {"x"}));
  CHECK(kept.table.rows() == 0);
  CHECK(kept.table.columns() == 0);
  CHECK(kept.dropped_rows == std::vector<std::string>{"a", "b"});
  CHECK(kept.dropped_columns == std::vector<std::string>{"x"});
}
