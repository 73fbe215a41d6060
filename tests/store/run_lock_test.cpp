// Tests of store/run_lock.h: one writer of a kind per database, named when refused.
#include <doctest/doctest.h>

#include "base/error.h"
#include "store/run_lock.h"
#include "support/files.h"

using namespace firstmile;
using firstmile::testing::TempDir;

TEST_CASE("a second miner on the same database is refused, naming the first") {
  TempDir dir;
  RunLock first = RunLock::acquire(dir / "t.db", "mine");
  CHECK_THROWS_WITH_AS(RunLock::acquire(dir / "t.db", "mine"), doctest::Contains("in use by firstmile mine (pid"),
                       Error);
}

TEST_CASE("a lock is free again once its holder lets go") {
  TempDir dir;
  { RunLock first = RunLock::acquire(dir / "t.db", "mine"); }
  CHECK_NOTHROW(RunLock::acquire(dir / "t.db", "mine"));
}
