// Tests of export/: determinism, no NaN on degenerate selections, escaping, file contents.
#include <doctest/doctest.h>

#include <regex>

#include "analyze/label_view.h"
#include "analyze/study.h"
#include "base/error.h"
#include "dataset/import.h"
#include "dataset/preset.h"
#include "export/latex.h"
#include "export/paper.h"
#include "export/svg.h"
#include "export/tables.h"
#include "store/store.h"
#include "support/files.h"
#include "support/taxonomies.h"

using namespace firstmile;
using namespace firstmile::testing;
namespace fs = std::filesystem;

namespace {

struct Sample {
  const Taxonomy& taxonomy = shipped_taxonomy();
  Store store = Store::open_memory();
  Sample() {
    DatasetImportOptions o;
    o.name = "sample";
    import_dataset(store, taxonomy, load_preset("open-llm-failures"), source_file("data/sample/dataset"), o);
  }
  StudyReport analyze(StudyOptions o = {}) {
    LabelView view(store, taxonomy, {});
    if (o.evolution.empty()) o.evolution = load_preset("open-llm-failures").evolution;
    return analyze_study(store, view, o);
  }
};

const std::set<std::string> kAll{"csv", "latex", "json", "svg"};

// NaN or infinity as a printed number, in any of the formats.
bool has_non_finite(const std::string& text) {
  static const std::regex pattern(R"((^|[^A-Za-z])(-?nan|-?inf|NaN|Infinity)([^A-Za-z]|$))");
  return std::regex_search(text, pattern);
}

}  // namespace

TEST_CASE("two runs on the same labels write byte-identical files") {
  Sample s;
  TempDir dir;
  PaperFiles first = write_paper(s.analyze(), dir / "a", kAll);
  PaperFiles second = write_paper(s.analyze(), dir / "b", kAll);
  REQUIRE(first.files == second.files);
  // 11 cross tables (symptom x root cause, stage x symptom, stage x root cause, series x symptom,
  // series x root cause, and the preset's 3 version pairs x 2 dimensions) as CSV and LaTeX: 22;
  // 13 figures (2 hierarchies, 3 cross tables, 2 series correlations, 6 evolutions); and
  // README, report.json, cells, distributions, series_similarity, tests (CSV and LaTeX) and the
  // three distribution tables in LaTeX: 10.
  CHECK(first.files.size() == 22 + 13 + 10);
  for (const std::string& f : first.files) {
    CAPTURE(f);
    CHECK(file_bytes(dir / "a" / f) == file_bytes(dir / "b" / f));
  }
}

TEST_CASE("the index lists every file written") {
  Sample s;
  TempDir dir;
  PaperFiles files = write_paper(s.analyze(), dir.path(), kAll);
  CHECK(files.files.back() == "README.md");
  std::string index = file_bytes(dir / "README.md");
  for (const std::string& f : files.files) {
    if (f != "README.md") CHECK(index.find("[" + f + "](" + f + ")") != std::string::npos);
  }
}

TEST_CASE("a selection with one series and one stage writes files without NaN or infinity") {
  Sample s;
  StudyOptions o;
  o.series = {"DeepSeek"};
  o.stages = {"Inference"};
  StudyReport r = s.analyze(o);
  CHECK_FALSE(r.series_by_symptom.cross.test.ok);  // one series: not testable
  CHECK_FALSE(r.stage_by_symptom.test.ok);         // one stage: not testable
  TempDir dir;
  for (const std::string& f : write_paper(r, dir.path(), kAll).files) {
    CAPTURE(f);
    CHECK_FALSE(has_non_finite(file_bytes(dir / f)));
  }
}

TEST_CASE("an empty selection still writes every file, saying there is nothing to report") {
  Sample s;
  StudyOptions o;
  o.series = {"NoSuchSeries"};
  StudyReport r = s.analyze(o);
  CHECK(r.annotations == 0);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].find("No labelled failures") == 0);
  TempDir dir;
  for (const std::string& f : write_paper(r, dir.path(), kAll).files) {
    CAPTURE(f);
    CHECK_FALSE(has_non_finite(file_bytes(dir / f)));
  }
}

TEST_CASE("the long cells table has one line per cell of every cross table") {
  Sample s;
  StudyReport r = s.analyze();
  TempDir dir;
  write_csv_tables(r, dir.path());
  std::string cells = file_bytes(dir / "cells.csv");
  size_t lines = static_cast<size_t>(std::count(cells.begin(), cells.end(), '\n'));
  size_t expected = 1;  // header
  for (const CrossTable* t : {&r.symptom_by_root_cause, &r.series_by_symptom.cross, &r.series_by_root_cause.cross,
                              &r.stage_by_symptom, &r.stage_by_root_cause}) {
    expected += t->table.rows() * t->table.columns();
  }
  for (const Evolution& e : r.evolution) {
    expected +=
        e.symptom.table.rows() * e.symptom.table.columns() + e.root_cause.table.rows() * e.root_cause.table.columns();
  }
  CHECK(lines == expected);
  CHECK(cells.rfind("analysis,row,column,count,expected,adjusted_residual\r\n", 0) == 0);
}

TEST_CASE("LaTeX special characters are escaped") {
  CHECK(latex_escape("50% of A&B_c #1 {x} $y ~ ^ \\") ==
        "50\\% of A\\&B\\_c \\#1 \\{x\\} \\$y \\textasciitilde{} \\textasciicircum{} \\textbackslash{}");
}

TEST_CASE("SVG text is XML-escaped and figures are complete documents") {
  CHECK(xml_escape("a < b & \"c\" > d") == "a &lt; b &amp; &quot;c&quot; &gt; d");
  Sample s;
  TempDir dir;
  PaperFiles files = write_paper(s.analyze(), dir.path(), {"svg"});
  for (const std::string& f : files.files) {
    if (f == "README.md") continue;
    std::string svg = file_bytes(dir / f);
    CAPTURE(f);
    CHECK(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0) == 0);
    CHECK(svg.find("<text") != std::string::npos);  // titled and labelled, not an empty canvas
    CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  }
}

TEST_CASE("an unknown export format is refused") {
  Sample s;
  TempDir dir;
  CHECK_THROWS_WITH_AS(write_paper(s.analyze(), dir.path(), {"docx"}), doctest::Contains("unknown format 'docx'"),
                       Error);
}

TEST_CASE("file stems are safe and stable") {
  CHECK(file_stem("evolution:llama->llama3:symptom") == "evolution_llama_to_llama3_symptom");
  CHECK(file_stem("a b/c") == "a_b_c");
}
