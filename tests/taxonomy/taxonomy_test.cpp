// Tests of taxonomy/taxonomy.h: validation, label matching, hierarchy queries.
#include <doctest/doctest.h>

#include <string>

#include "base/error.h"
#include "taxonomy/taxonomy.h"

using namespace firstmile;

namespace {

const char* kSmall = R"json({
  // a comment, as data files have
  "taxonomy": "small", "version": "1",
  "dimensions": [{"id": "symptom", "name": "Symptom", "levels": 3},
                 {"id": "stage", "name": "Stage", "levels": 1}],
  "nodes": [
    {"id": "s.crash", "dimension": "symptom", "name": "Crash", "definition": "It stops."},
    {"id": "s.crash.cuda", "parent": "s.crash", "name": "CUDA Error"},
    {"id": "s.crash.cuda.oom", "parent": "s.crash.cuda", "name": "Out of Memory", "aliases": ["OOM"]},
    {"id": "s.crash.value", "parent": "s.crash", "name": "Value-related Error"},
    {"id": "s.hang", "dimension": "symptom", "name": "Hang"},
    {"id": "st.ft", "dimension": "stage", "name": "Fine-tuning", "aliases": ["Finetuning"]},
    {"id": "st.inf", "dimension": "stage", "name": "Inference"}
  ]
})json";

std::string with_nodes(const std::string& nodes) {
  return R"({"taxonomy": "t", "version": "1", "dimensions": [{"id": "symptom", "levels": 2}], "nodes": [)" + nodes +
         "]}";
}

std::string error_of(const std::string& content) {
  try {
    Taxonomy::parse(content, "t.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a valid taxonomy loads with levels, dimensions and children") {
  Taxonomy t = Taxonomy::parse(kSmall, "small.json");
  CHECK(t.id() == "small");
  CHECK(t.nodes().size() == 7);
  CHECK(t.node("s.crash.cuda.oom").level == 3);
  CHECK(t.node("s.crash.cuda.oom").dimension == "symptom");
  CHECK(t.node("s.crash").children == std::vector<std::string>{"s.crash.cuda", "s.crash.value"});
  CHECK(t.top_level("symptom").size() == 2);
  CHECK(t.top_level("stage").size() == 2);
  CHECK(t.hash().size() == 40);
}

TEST_CASE("a published label maps to its node level by level") {
  Taxonomy t = Taxonomy::parse(kSmall, "small.json");
  LabelMatch m = t.match_label("symptom", "Crash - CUDA Error - Out of Memory");
  REQUIRE(m.node);
  CHECK(m.node->id == "s.crash.cuda.oom");
  CHECK_FALSE(m.whitespace_normalised);
  CHECK_FALSE(m.via_alias);
  CHECK(t.path_name(*m.node) == "Crash / CUDA Error / Out of Memory");
}

TEST_CASE("a label with stray white space maps and is flagged as normalised") {
  Taxonomy t = Taxonomy::parse(kSmall, "small.json");
  LabelMatch m = t.match_label("symptom", " Crash -  Value-related Error ");
  REQUIRE(m.node);
  CHECK(m.node->id == "s.crash.value");
  CHECK(m.whitespace_normalised);
}

TEST_CASE("aliases and a different letter case match but are flagged") {
  Taxonomy t = Taxonomy::parse(kSmall, "small.json");
  LabelMatch alias = t.match_label("symptom", "Crash - CUDA Error - OOM");
  REQUIRE(alias.node);
  CHECK(alias.node->id == "s.crash.cuda.oom");
  CHECK(alias.via_alias);
  LabelMatch lower = t.match_label("stage", "inference");
  REQUIRE(lower.node);
  CHECK(lower.node->id == "st.inf");
  CHECK(lower.via_alias);
}

TEST_CASE("an unknown label names the part that matched nothing") {
  Taxonomy t = Taxonomy::parse(kSmall, "small.json");
  LabelMatch m = t.match_label("symptom", "Crash - Disk Error");
  CHECK(m.node == nullptr);
  CHECK(m.unmatched_part == "Disk Error");
  CHECK(t.match_label("stage", "Crash").node == nullptr);  // other dimension
}

TEST_CASE("ancestor_at_level climbs to the requested level and stops at the node itself") {
  Taxonomy t = Taxonomy::parse(kSmall, "small.json");
  const TaxonomyNode& oom = t.node("s.crash.cuda.oom");
  CHECK(t.ancestor_at_level(oom, 1).id == "s.crash");
  CHECK(t.ancestor_at_level(oom, 2).id == "s.crash.cuda");
  CHECK(t.ancestor_at_level(t.node("s.hang"), 3).id == "s.hang");
  CHECK(t.is_ancestor_or_self(t.node("s.crash"), oom));
  CHECK_FALSE(t.is_ancestor_or_self(t.node("s.hang"), oom));
}

TEST_CASE("a duplicate id is rejected naming the node") {
  std::string e = error_of(with_nodes(R"({"id": "a", "dimension": "symptom", "name": "A"},
                                         {"id": "a", "dimension": "symptom", "name": "B"})"));
  CHECK(e.find("node 2 'a': duplicate id") != std::string::npos);
}

TEST_CASE("a missing parent is rejected naming the node and the parent") {
  std::string e = error_of(with_nodes(R"({"id": "a.b", "parent": "a", "name": "B"})"));
  CHECK(e.find("'a.b'") != std::string::npos);
  CHECK(e.find("parent 'a' is not defined") != std::string::npos);
}

TEST_CASE("a node deeper than its dimension allows is rejected") {
  std::string e = error_of(with_nodes(R"({"id": "a", "dimension": "symptom", "name": "A"},
                                         {"id": "a.b", "parent": "a", "name": "B"},
                                         {"id": "a.b.c", "parent": "a.b", "name": "C"})"));
  CHECK(e.find("'a.b.c': level 3 is deeper") != std::string::npos);
}

TEST_CASE("siblings with the same name are rejected") {
  std::string e = error_of(with_nodes(R"({"id": "a", "dimension": "symptom", "name": "Crash"},
                                         {"id": "b", "dimension": "symptom", "name": "crash"})"));
  CHECK(e.find("same name as sibling 'a'") != std::string::npos);
}

TEST_CASE("a top-level node without a known dimension is rejected") {
  CHECK(error_of(with_nodes(R"({"id": "a", "name": "A"})")).find("needs a 'dimension'") != std::string::npos);
  CHECK(error_of(with_nodes(R"({"id": "a", "dimension": "colour", "name": "A"})")).find("unknown dimension 'colour'") !=
        std::string::npos);
}

TEST_CASE("a name of the wrong type is rejected with the field named") {
  std::string e = error_of(with_nodes(R"({"id": "a", "dimension": "symptom", "name": 7})"));
  CHECK(e.find("field 'name' must be a string, got number") != std::string::npos);
}

TEST_CASE("a truncated taxonomy file reports line and column") {
  std::string e = error_of("{\n  \"taxonomy\": \"t\",\n  \"nodes\": [");
  CHECK(e.find("t.json: line 3") != std::string::npos);
  CHECK(e.find("invalid JSON") != std::string::npos);
}

TEST_CASE("a child id that does not extend its parent's id is rejected") {
  std::string e = error_of(with_nodes(R"({"id": "a", "dimension": "symptom", "name": "A"},
                                         {"id": "b", "parent": "a", "name": "B"})"));
  CHECK(e.find("'b': id must start with its parent's id 'a.'") != std::string::npos);
}
