// fuzz_importers.cpp — every importer fed mutated copies of real inputs, for a bounded time.
//
//   fuzz_importers TARGET SECONDS SEED FILE...      (scripts/fuzz.sh builds it with sanitizers)
//
// TARGET: issues (import issues: GitHub issue JSON), dataset (one file of the published
// dataset), gharchive (one GH Archive line, fast and reference parsers), gzip (a GH Archive
// file's gzip members, read line by line), labels (a filled
// label sheet), rules (a rule file). FILE...: the seed corpus. Each round takes a seed input,
// mutates it (bytes flipped, replaced by JSON/CSV punctuation, bytes that are not UTF-8 or \u
// escapes, runs inserted, deleted or repeated, cut short, spliced with another input) and
// hands it to the importer on an in-memory store. A firstmile::Error is the importer refusing
// bad input, as it should; any other exception, or what the sanitizers catch, is a finding:
// the input is written to fuzz-finding-TARGET-N and the run exits 1 at the end.
// No libFuzzer: GCC has none, and a seeded mutation loop is enough for bounded runs.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "base/error.h"
#include "base/json_file.h"
#include "base/resources.h"
#include "classify/rules.h"
#include "dataset/preset.h"
#include "dataset/published_dataset.h"
#include "labels/label_sheet.h"
#include "mine/gharchive_event.h"
#include "mine/gzip_lines.h"
#include "mine/issue_import.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace fs = std::filesystem;
using namespace firstmile;

namespace {

std::string mutate(const std::string& seed, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  static const char* const kTokens[] = {"\"", "{", "}", "[", "]", ",", ":", "\\", "\\u", "\\ud800", "\xff", "\xc0\x80",
                                        "\n", "\r\n", "null", "-1", "1e999", "\"\"", "0", "\t", ";", "\xe6\x98"};
  std::string s = seed;
  auto below = [&rng](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  for (int k = 0, edits = 1 + static_cast<int>(below(6)); k < edits; ++k) {
    size_t at = below(s.size() + 1);
    switch (below(7)) {
      case 0:  // flip a bit
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1 << below(8));
        break;
      case 1:  // a token
        s.insert(at, kTokens[below(std::size(kTokens))]);
        break;
      case 2:  // delete a run
        if (at < s.size()) s.erase(at, 1 + below(32));
        break;
      case 3:  // repeat a run
        if (at < s.size()) s.insert(at, s.substr(at, 1 + below(64)));
        break;
      case 4:  // cut short
        s.resize(at);
        break;
      case 5: {  // splice another input
        const std::string& other = corpus[below(corpus.size())];
        size_t from = below(other.size() + 1);
        s.insert(at, other.substr(from, below(256)));
        break;
      }
      default:  // a random byte
        if (!s.empty()) s[below(s.size())] = static_cast<char>(rng());
    }
  }
  return s;
}

struct Target {
  const Taxonomy& taxonomy;
  const Preset& preset;
  fs::path scratch;

  void issues(const std::string& input) {
    Store store = Store::open_memory();
    fs::path file = scratch / "issues.json";
    std::ofstream(file, std::ios::binary) << input;
    import_issue_files(store, preset, {file}, {});
  }
  void dataset(const std::string& input) { parse_dataset_file(input, "Owner/repo/f.json", "f.json"); }
  void gharchive(const std::string& input) {
    IssueEvent quick, reference;
    if (parse_issue_event_quickly(input, {}, quick) == QuickParse::kDeclined)
      parse_issue_event_reference(input, "h.json", 1, {}, reference);
  }
  void gzip(const std::string& input) {
    fs::path file = scratch / "h.json.gz";
    std::ofstream(file, std::ios::binary) << input;
    GzipLineReader reader(file);
    std::string_view line;
    while (reader.next(line)) {
    }
  }
  void labels(const std::string& input) {
    Store store = Store::open_memory();
    fs::path file = scratch / "sheet.csv";
    std::ofstream(file, std::ios::binary) << input;
    import_label_sheet(store, taxonomy, file, {.name = "fuzz", .argv = {}});
  }
  void rules(const std::string& input) { RuleSet::parse(taxonomy, {{"fuzz.json", input}}); }

  void run(const std::string& name, const std::string& input) {
    if (name == "issues") return issues(input);
    if (name == "dataset") return dataset(input);
    if (name == "gharchive") return gharchive(input);
    if (name == "gzip") return gzip(input);
    if (name == "labels") return labels(input);
    if (name == "rules") return rules(input);
    throw std::invalid_argument("unknown target " + name);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: fuzz_importers issues|dataset|gharchive|gzip|labels|rules SECONDS SEED FILE...\n";
    return 2;
  }
  const std::string name = argv[1];
  const double seconds = std::stod(argv[2]);
  std::mt19937_64 rng(std::stoull(argv[3]));
  std::vector<std::string> corpus;
  for (int i = 4; i < argc; ++i) {
    std::string content = read_file(argv[i]);
    if (name == "gharchive") {  // one line each
      std::istringstream lines(content);
      for (std::string line; std::getline(lines, line);) corpus.push_back(line);
    } else {
      corpus.push_back(content);
    }
  }
  const Taxonomy taxonomy = Taxonomy::load(resource_path("taxonomy/taxonomy.json"));
  const Preset preset = load_preset("open-llm-failures");
  fs::path scratch = fs::temp_directory_path() / ("fuzz-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  Target target{taxonomy, preset, scratch};
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int64_t runs = 0, refused = 0, findings = 0;
  while (std::chrono::steady_clock::now() < end) {
    const std::string input = mutate(corpus[rng() % corpus.size()], corpus, rng);
    ++runs;
    try {
      target.run(name, input);
    } catch (const Error&) {
      ++refused;  // bad input said so: as it should
    } catch (const std::exception& e) {
      std::string file = "fuzz-finding-" + name + "-" + std::to_string(++findings);
      std::ofstream(file, std::ios::binary) << input;
      std::cerr << name << ": " << e.what() << " (input in " << file << ")\n";
    }
  }
  fs::remove_all(scratch);
  std::cout << name << ": " << runs << " inputs in " << seconds << " s, " << refused << " refused with an Error, "
            << findings << " findings\n";
  return findings ? 1 : 0;
}
