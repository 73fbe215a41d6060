// aggregate/report.cpp — a report's features, and the slices that read them on all cores.
#include "aggregate/report.h"

#include <algorithm>
#include <exception>
#include <thread>

#include "aggregate/similarity.h"
#include "aggregate/similarity_knowledge.h"
#include <re2/re2.h>

#include "base/error.h"
#include "base/text.h"
#include "classify/classifier.h"
#include "classify/features.h"

namespace firstmile {

namespace {

// The LLM's view of a report: enough to judge a pair, short enough for many pairs per prompt.
constexpr size_t kErrorLinesShown = 5;
constexpr size_t kExcerptBytes = 1200;  // the prose, when the report has no inventory
constexpr size_t kExcerptBytesBesideInventory = 900;
constexpr size_t kInventoryBytes = 300;
// Model families are read in the title and the body's opening, where the reporter names the
// model they run; further down, models are mentioned for comparison.
constexpr size_t kModelMentionBytes = 300;
// The words compared are read in the prose's opening: where a report says what happened.
constexpr size_t kWordBytes = 4000;

}  // namespace

uint32_t word_hash(std::string_view word) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : word) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

std::string without_exception_class(const std::string& line) {
  static const RE2 leading_class(R"re(^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Warning)\s*:\s*)re");
  re2::StringPiece rest(line);
  if (RE2::Consume(&rest, leading_class) && !rest.empty()) return std::string(rest.data(), rest.size());
  return line;
}

void read_report_features(AggregateReport& r, const std::string& body, const std::string* comments,
                          const SimilarityKnowledge& knowledge, bool llm_view, const RuleClassifier* labeller) {
  std::vector<std::string> thread;
  if (comments) thread.push_back(*comments);
  IssueFeatures f = extract_features(r.title, body, thread);
  if (labeller) {
    Classification c = labeller->classify(f);
    r.stage = c.is_failure ? c.stage.node : "";
    r.root_cause = c.is_failure ? c.root_cause.node : "";
  }
  r.signature = f.error_signature;
  r.error_keys.clear();
  for (const std::string& line : f.error_lines) {
    if (r.error_keys.size() == kErrorKeys) break;
    std::string key = without_exception_class(normalize_error_line(line));
    uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
    for (char ch : key) {
      h ^= static_cast<unsigned char>(ch);
      h *= 1099511628211ull;
    }
    r.error_keys.push_back(h);
  }
  std::sort(r.error_keys.begin(), r.error_keys.end());
  r.error_keys.erase(std::unique(r.error_keys.begin(), r.error_keys.end()), r.error_keys.end());
  if (llm_view) {
    r.error_lines = f.error_lines;
    if (r.error_lines.size() > kErrorLinesShown) r.error_lines.resize(kErrorLinesShown);
    r.excerpt = std::string(utf8_prefix(f.prose, f.environment.empty() ? kExcerptBytes : kExcerptBytesBesideInventory));
    if (!f.environment.empty())
      r.excerpt += "\nEnvironment:\n" + std::string(utf8_prefix(f.environment, kInventoryBytes));
  }
  r.libraries = knowledge.library_versions(r.title + "\n" + body);
  std::vector<std::string> words;
  title_words(r.title, knowledge, words);
  title_words(std::string(utf8_prefix(f.prose, kWordBytes)), knowledge, words);
  for (const std::string& line : f.error_lines) title_words(line, knowledge, words);
  r.words.clear();
  for (const std::string& w : words) r.words.push_back(word_hash(w));
  std::sort(r.words.begin(), r.words.end());
  r.words.erase(std::unique(r.words.begin(), r.words.end()), r.words.end());
  r.known_changes = knowledge.known_changes_in(r.title + "\n" + body);
  r.models = knowledge.model_mentions(r.title + "\n" + std::string(utf8_prefix(body, kModelMentionBytes)));
}

void for_each_slice(size_t count, size_t threads, const std::function<void(size_t from, size_t to)>& work,
                    const std::string& what) {
  threads = std::max<size_t>(1, threads);
  // An exception must not leave a thread (that ends the process): each slice keeps its own.
  std::vector<std::exception_ptr> errors(threads);
  auto slice = [&](size_t t) {
    try {
      work(count * t / threads, count * (t + 1) / threads);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  try {
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(slice, t);
  } catch (...) {  // no thread to be had: end those started, then fail
    for (std::thread& t : pool) t.join();
    throw;
  }
  slice(0);
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& error : errors) {
    if (!error) continue;
    try {
      std::rethrow_exception(error);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Error(what + " failed: " + e.what());
    } catch (...) {
      throw Error(what + " failed");
    }
  }
}

}  // namespace firstmile
