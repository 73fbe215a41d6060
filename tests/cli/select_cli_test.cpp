// `firstmile select` and `firstmile funnel` on the embedded sample. The expected counts are
// worked out here from the fixture files, each step by its own definition, not copied from a run.
#include <doctest/doctest.h>

#include <array>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "base/json_file.h"
#include "store/store.h"
#include "support/firstmile_process.h"

using namespace firstmile;
using namespace firstmile::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Key = std::pair<std::string, int64_t>;  // OWNER/NAME, number
using Counts = std::array<int64_t, 5>;        // mined, issues, keyword, failure report, not duplicate

json read_json(const fs::path& path) { return json::parse(file_bytes(path), nullptr, true, true); }

std::string repository_of(const std::string& api_url) {  // https://api.github.com/repos/O/N[/issues/...]
  std::string rest = api_url.substr(api_url.find("/repos/") + 7);
  auto second = rest.find('/', rest.find('/') + 1);
  return second == std::string::npos ? rest : rest.substr(0, second);
}

bool word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// taxonomy/selection.json read as its comment describes it: English terms at a word start
// (any case), suffixes at a word end (exact case), Chinese terms anywhere, or a failure label.
class KeywordList {
 public:
  KeywordList() : doc_(read_json(source_file("taxonomy/selection.json"))) {}
  bool matches(const json& issue) const {
    for (const json& l : issue["labels"]) {
      for (const json& wanted : doc_["labels"]) {
        if (lower(l["name"].get<std::string>()) == lower(wanted.get<std::string>())) return true;
      }
    }
    for (const char* field : {"title", "body"}) {
      if (issue[field].is_string() && in_text(issue[field].get<std::string>())) return true;
    }
    return false;
  }

 private:
  bool in_text(const std::string& text) const {
    std::string low = lower(text);
    for (const json& t : doc_["english"]) {
      std::string term = lower(t.get<std::string>());
      for (auto p = low.find(term); p != std::string::npos; p = low.find(term, p + 1)) {
        if (p == 0 || !word_byte(low[p - 1])) return true;
      }
    }
    for (const json& t : doc_["suffixes"]) {
      std::string term = t.get<std::string>();
      for (auto p = text.find(term); p != std::string::npos; p = text.find(term, p + 1)) {
        if (p + term.size() == text.size() || !word_byte(text[p + term.size()])) return true;
      }
    }
    for (const json& t : doc_["chinese"]) {
      if (text.find(t.get<std::string>()) != std::string::npos) return true;
    }
    return false;
  }
  json doc_;
};

struct Sample {
  json issues = read_json(source_file("data/sample/issues.json"));
  json comments = read_json(source_file("data/sample/comments.json"));

  static Key key(const json& issue) { return {repository_of(issue["repository_url"]), issue["number"].get<int64_t>()}; }

  // Issues that "Duplicate of #N" comments mark, with their original.
  std::map<Key, Key> duplicate_comments() const {
    std::map<Key, Key> out;
    std::regex pattern("duplicate of #([0-9]+)", std::regex::icase);
    for (const json& c : comments) {
      std::string body = c["body"].get<std::string>();
      std::smatch m;
      if (!std::regex_search(body, m, pattern)) continue;
      std::string url = c["issue_url"];
      Key issue = {repository_of(url), std::stoll(url.substr(url.rfind('/') + 1))};
      out.emplace(issue, Key{issue.first, std::stoll(m[1])});
    }
    return out;
  }

  // The funnel per repository given which issues are failure reports.
  std::map<std::string, Counts> expected(const std::set<Key>& failure_reports) const {
    KeywordList keywords;
    std::set<Key> reached_failure;
    for (const json& i : issues) {
      if (i.contains("pull_request") || !keywords.matches(i) || !failure_reports.count(key(i))) continue;
      reached_failure.insert(key(i));
    }
    std::map<Key, Key> duplicates = duplicate_comments();
    std::map<std::string, Counts> out;
    for (const json& i : issues) {
      Counts& c = out[key(i).first];
      if (!i["title"].is_string()) continue;
      ++c[0];
      if (i.contains("pull_request")) continue;
      ++c[1];
      if (!keywords.matches(i)) continue;
      ++c[2];
      if (!reached_failure.count(key(i))) continue;
      ++c[3];
      auto d = duplicates.find(key(i));
      if (d != duplicates.end() && reached_failure.count(d->second) && d->second != key(i)) continue;
      ++c[4];
    }
    Counts total{};
    for (const auto& [repository, c] : out) {
      for (size_t k = 0; k < c.size(); ++k) total[k] += c[k];
    }
    out["total"] = total;
    return out;
  }
};

std::map<std::string, Counts> funnel_counts(const json& funnel) {
  std::map<std::string, Counts> out;
  auto read = [&](const json& row) {
    Counts c{};
    const char* const kSteps[] = {"mined", "issue", "keyword", "failure_report", "not_duplicate"};
    for (size_t k = 0; k < c.size(); ++k) c[k] = row[kSteps[k]].get<int64_t>();
    out[row["repository"].get<std::string>()] = c;
  };
  for (const json& row : funnel["repositories"]) read(row);
  read(funnel["total"]);
  return out;
}

// Issue keys by database id, to read what a command wrote.
std::map<int64_t, Key> keys_by_id(Store& store) {
  std::map<int64_t, Key> out;
  Query q = store.db().query(
      "SELECT i.id, r.owner || '/' || r.name, i.number FROM issues i JOIN repositories r ON r.id = i.repository_id");
  while (q.step()) out[q.column_int(0)] = {q.column_text(1), q.column_int(2)};
  return out;
}

}  // namespace

TEST_CASE("select on the sample gives, per repository, the counts each step's definition gives") {
  Sample sample;
  // The fixture marks duplicates by comment only; the expected counts below rely on that.
  for (const json& i : sample.issues) {
    REQUIRE(i.value("state_reason", json()) != "duplicate");
    for (const json& l : i["labels"]) REQUIRE(lower(l["name"]) != "duplicate");
  }
  REQUIRE(!sample.duplicate_comments().empty());
  TempDir dir;
  std::string db = import_sample(dir, false);
  // The rules' relevance decision, as `classify` stores it, is the failure-report step.
  REQUIRE(run_firstmile({"classify", "--db", db}).exit_code == 0);
  std::set<Key> failure_reports;
  {
    Store store = Store::open(db, Database::kReadOnly);
    std::map<int64_t, Key> keys = keys_by_id(store);
    Query q = store.db().query("SELECT issue_id FROM annotations WHERE source = 'rules' AND is_failure = 1");
    while (q.step()) failure_reports.insert(keys[q.column_int(0)]);
  }
  CommandResult selected = run_firstmile({"select", "--db", db});
  REQUIRE(selected.exit_code == 0);
  CHECK(selected.out.find("not duplicate") != std::string::npos);
  CommandResult funnel = run_firstmile({"funnel", "--db", db, "--format", "json"});
  REQUIRE(funnel.exit_code == 0);
  std::map<std::string, Counts> expected = sample.expected(failure_reports);
  CHECK(funnel_counts(json::parse(funnel.out)) == expected);
  CHECK(expected["total"][0] == static_cast<int64_t>(sample.issues.size()));
  CHECK(expected["total"][4] < expected["total"][3]);  // the sample's duplicate is dropped
}

TEST_CASE("select --by-source gold takes the labelled issues as the failure reports") {
  Sample sample;
  TempDir dir;
  std::string db = import_sample(dir, false);
  REQUIRE(run_firstmile({"import-dataset", source_file("data/sample/dataset").string(), "--name", "sample", "--db", db})
              .exit_code == 0);
  std::set<Key> labelled;
  std::regex link("https://github.com/([^/]+/[^/]+)/issues/([0-9]+)");
  for (const auto& entry : fs::recursive_directory_iterator(source_file("data/sample/dataset"))) {
    if (entry.path().extension() != ".json") continue;
    for (const json& record : read_json(entry.path())) {
      std::smatch m;
      std::string url = record["link"];
      if (std::regex_search(url, m, link)) labelled.insert({m[1], std::stoll(m[2])});
    }
  }
  REQUIRE(run_firstmile({"select", "--db", db, "--name", "gold", "--by-source", "gold"}).exit_code == 0);
  CommandResult funnel = run_firstmile({"funnel", "--db", db, "--name", "gold", "--format", "json"});
  REQUIRE(funnel.exit_code == 0);
  json j = json::parse(funnel.out);
  CHECK(funnel_counts(j) == sample.expected(labelled));
  CHECK(j["options"]["failure_report"] == "source gold");
}

TEST_CASE("funnel prints a table and CSV with a total row, and names the selections when asked for a missing one") {
  TempDir dir;
  std::string db = import_sample(dir, false);
  REQUIRE(run_firstmile({"select", "--db", db, "--name", "study", "--repo", "QwenLM/Qwen2.5"}).exit_code == 0);
  CommandResult table = run_firstmile({"funnel", "--db", db, "--name", "study"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("QwenLM/Qwen2.5") != std::string::npos);
  CHECK(table.out.find("meta-llama") == std::string::npos);
  CHECK(table.out.find("total") != std::string::npos);
  CommandResult csv = run_firstmile({"funnel", "--db", db, "--name", "study", "--format", "csv"});
  CHECK(csv.out.rfind("selection,repository,mined,issue,keyword,failure_report,not_duplicate\r\n", 0) == 0);
  CommandResult missing = run_firstmile({"funnel", "--db", db});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("selections: study") != std::string::npos);
}
