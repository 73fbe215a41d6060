// Tests of store/database.h: queries checked out of the statement cache, and transactions.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/database.h"

using namespace firstmile;

namespace {

Database numbers_database() {
  Database db = Database::open_memory();
  db.exec("CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)");
  return db;
}

}  // namespace

TEST_CASE("a callee asking for the caller's SQL gets its own statement, and the caller's cursor goes on") {
  Database db = numbers_database();
  const std::string sql = "SELECT v FROM n WHERE v >= ? ORDER BY v";
  auto count_from = [&](int64_t from) {
    Query inner = db.query(sql);
    inner.bind(1, from);
    int64_t rows = 0;
    while (inner.step()) ++rows;
    return rows;
  };
  Query outer = db.query(sql);
  outer.bind(1, 1);
  std::vector<int64_t> seen, counts;
  while (outer.step()) {
    seen.push_back(outer.column_int(0));
    counts.push_back(count_from(outer.column_int(0)));
  }
  CHECK(seen == std::vector<int64_t>{1, 2, 3});
  CHECK(counts == std::vector<int64_t>{3, 2, 1});
}

TEST_CASE("binding again after a step starts the query over with only the new bindings") {
  Database db = numbers_database();
  Query q = db.query("SELECT count(*), ?2 IS NULL FROM n WHERE v >= ?1");
  q.bind(1, 2).bind(2, 7);
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 2);
  CHECK(q.column_int(1) == 0);
  q.bind(1, 3);  // no reset by hand: the cursor restarts and ?2 is unbound (NULL)
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 1);
  CHECK(q.column_int(1) == 1);
}

TEST_CASE("bind_all binds its values to parameters 1, 2, 3 in order, an empty optional as NULL") {
  Database db = numbers_database();
  Query q = db.query("SELECT ?1 || '/' || ?2, ?3 IS NULL, ?4 * 2");
  REQUIRE(q.bind_all("a", std::string("b"), std::optional<int64_t>{}, 2.5).step());
  CHECK(q.column_text(0) == "a/b");
  CHECK(q.column_int(1) == 1);
  CHECK(q.column_double(2) == 5.0);
  REQUIRE(q.bind_all("c", "d", std::optional<int64_t>{3}, 1).step());  // starts over, as bind does
  CHECK(q.column_text(0) == "c/d");
  CHECK(q.column_int(1) == 0);
  CHECK(q.column_int(2) == 2);
}

TEST_CASE("a query left in mid-row is reset when it goes out of scope, so a transaction can commit") {
  Database db = numbers_database();
  Transaction tx(db);
  {
    Query q = db.query("INSERT INTO n VALUES (?) RETURNING v");
    q.bind(1, 4);
    REQUIRE(q.step());  // the row is there, the statement not finished
  }
  CHECK_NOTHROW(tx.commit());
  CHECK(db.query_int("SELECT count(*) FROM n") == 4);
}

TEST_CASE("first_int reads one value and finishes the statement, nullopt when there is no row") {
  Database db = numbers_database();
  Query q = db.query("INSERT INTO n VALUES (?) RETURNING v * 10");
  Transaction tx(db);
  CHECK(q.bind(1, 5).first_int() == 50);
  CHECK_NOTHROW(tx.commit());
  Query none = db.query("SELECT v FROM n WHERE v > 100");
  CHECK(none.first_int() == std::nullopt);
}

TEST_CASE("bad SQL is an error naming the database and the statement") {
  Database db = numbers_database();
  CHECK_THROWS_WITH_AS(db.query("SELECT nope FROM n"), doctest::Contains("cannot prepare (SELECT nope FROM n)"), Error);
}
