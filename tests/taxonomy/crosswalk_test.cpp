// Tests of taxonomy/crosswalk.h: inheritance from ancestors and validation.
#include <doctest/doctest.h>

#include "base/error.h"
#include "taxonomy/crosswalk.h"

using namespace firstmile;

namespace {

Taxonomy fine() {
  return Taxonomy::parse(R"({"taxonomy": "fine", "version": "1", "dimensions": [{"id": "symptom", "levels": 2}],
    "nodes": [{"id": "crash", "dimension": "symptom", "name": "Crash"},
              {"id": "crash.oom", "parent": "crash", "name": "OOM"},
              {"id": "hang", "dimension": "symptom", "name": "Hang"},
              {"id": "slow", "dimension": "symptom", "name": "Slow"}]})",
                         "fine.json");
}

Taxonomy coarse() {
  return Taxonomy::parse(R"({"taxonomy": "coarse", "version": "1", "dimensions": [{"id": "symptom"}],
    "nodes": [{"id": "c.crash", "dimension": "symptom", "name": "Crash"},
              {"id": "c.stall", "dimension": "symptom", "name": "Stall or Slowdown"}]})",
                         "coarse.json");
}

std::string error_of(const std::string& content) {
  Taxonomy from = fine(), to = coarse();
  try {
    Crosswalk::parse(content, "cw.json", from, to);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a node without an entry takes its nearest mapped ancestor's target") {
  Taxonomy from = fine(), to = coarse();
  Crosswalk cw = Crosswalk::parse(
      R"({"from": "fine", "to": "coarse", "map": {"crash": "c.crash", "hang": "c.stall", "slow": "c.stall"}})",
      "cw.json", from, to);
  CHECK(cw.map(from.node("crash.oom")).id == "c.crash");
  CHECK(cw.map(from.node("hang")).id == "c.stall");
  CHECK(cw.map(from.node("slow")).id == "c.stall");
}

TEST_CASE("a crosswalk leaving a node unresolved is rejected naming the node") {
  std::string e = error_of(R"({"from": "fine", "to": "coarse", "map": {"crash": "c.crash", "hang": "c.stall"}})");
  CHECK(e.find("node 'slow'") != std::string::npos);
}

TEST_CASE("a crosswalk target outside the target taxonomy is rejected") {
  std::string e =
      error_of(R"({"from": "fine", "to": "coarse", "map": {"crash": "c.crash", "hang": "c.nope", "slow": "c.stall"}})");
  CHECK(e.find("'c.nope' is not a node of coarse") != std::string::npos);
}

TEST_CASE("a crosswalk for other taxonomies is rejected") {
  std::string e = error_of(R"({"from": "other", "to": "coarse", "map": {}})");
  CHECK(e.find("'from' is 'other' but the taxonomy is 'fine'") != std::string::npos);
}
