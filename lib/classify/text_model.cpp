// classify/text_model.cpp — tokens of a report; naive Bayes counts, trained, stored and applied.
#include "classify/text_model.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/text.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

namespace {

const char* const kDimensions[] = {"stage", "symptom", "root_cause"};

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_'; }

// The code point of the 3-byte UTF-8 sequence at `i`, or 0.
unsigned cjk_at(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if ((c & 0xF0) != 0xE0 || i + 2 >= s.size()) return 0;
  unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
  return cp >= 0x4E00 && cp <= 0x9FFF ? cp : 0;
}

// Lower-cased words of 2 to 30 characters that are not only digits, and pairs of adjacent
// Chinese characters, each prefixed.
void add_words(std::string_view text, const std::string& prefix, std::vector<std::string>& out) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80 && word_char(c)) {
      size_t from = i;
      bool letter = false;
      while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80 &&
             word_char(static_cast<unsigned char>(text[i]))) {
        letter = letter || std::isalpha(static_cast<unsigned char>(text[i]));
        ++i;
      }
      size_t n = i - from;
      if (letter && n >= 2 && n <= 30) {
        std::string w = prefix;
        for (size_t k = from; k < i; ++k) w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
        out.push_back(std::move(w));
      }
    } else if (cjk_at(text, i)) {
      if (i + 3 < text.size() && cjk_at(text, i + 3)) out.push_back(prefix + std::string(text.substr(i, 6)));
      i += 3;
    } else {
      ++i;
    }
  }
}

// "torch.cuda.OutOfMemoryError: CUDA out of memory" -> "OutOfMemoryError"; "" when the line
// does not start with a name ending in Error, Exception or Warning.
std::string exception_name(std::string_view line) {
  size_t colon = line.find(':');
  std::string_view head = line.substr(0, colon == std::string_view::npos ? line.size() : colon);
  while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
  size_t dot = head.find_last_of(". ");
  if (dot != std::string_view::npos) head = head.substr(dot + 1);
  for (std::string_view end : {"Error", "Exception", "Warning", "Interrupt"}) {
    if (head.size() > end.size() && head.substr(head.size() - end.size()) == end) return std::string(head);
  }
  return "";
}

std::string where(const std::string& origin, const std::string& path) { return origin + ": 'text_model'" + path; }

}  // namespace

std::vector<std::string> model_tokens(const IssueFeatures& f, const std::vector<std::string>& rule_ids) {
  std::vector<std::string> out;
  for (const std::string* text : {&f.title, &f.prose, &f.comments, &f.resolution}) add_words(*text, "w:", out);
  for (const std::string& line : f.error_lines) {
    add_words(line, "e:", out);
    if (std::string name = exception_name(line); !name.empty()) out.push_back("x:" + name);
  }
  for (const std::string& id : rule_ids) out.push_back("r:" + id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

TextModel TextModel::train(const std::vector<TrainingExample>& examples, const Taxonomy& taxonomy,
                           const TextModelOptions& options, std::string learnt_from) {
  TextModel m;
  m.options_ = options;
  m.learnt_from_ = std::move(learnt_from);
  m.examples_ = static_cast<int>(examples.size());
  for (const std::string& name : options.dimensions) {
    if (std::find(std::begin(kDimensions), std::end(kDimensions), name) == std::end(kDimensions))
      throw Error("train: unknown dimension '" + name + "' (stage, symptom, root_cause)");
    Dimension d;
    d.name = name;
    for (const TaxonomyNode& n : taxonomy.nodes()) {
      if (n.dimension == name && n.parent.empty()) d.classes.push_back(n.id);
    }
    d.documents.assign(d.classes.size(), 0);
    std::unordered_map<std::string, std::vector<int>> counts;
    std::unordered_map<std::string, int> document_frequency;
    for (const TrainingExample& e : examples) {
      auto label = e.labels.find(name);
      if (label == e.labels.end()) continue;
      auto at = std::find(d.classes.begin(), d.classes.end(), label->second);
      if (at == d.classes.end()) continue;
      const auto c = static_cast<size_t>(at - d.classes.begin());
      ++d.documents[c];
      for (const std::string& t : e.tokens) {
        if (!options.rule_tokens && t.rfind("r:", 0) == 0) continue;
        auto& row = counts[t];
        if (row.empty()) row.assign(d.classes.size(), 0);
        ++row[c];
        ++document_frequency[t];
      }
    }
    int labelled = 0;
    for (int n : d.documents) labelled += n;
    if (labelled == 0) continue;
    for (auto& [t, row] : counts) {
      if (document_frequency[t] >= options.min_documents) d.counts.emplace(t, std::move(row));
    }
    m.dimensions_.push_back(std::move(d));
  }
  if (m.dimensions_.empty()) throw Error("train: no example has a " + join(options.dimensions, ", ") + " label");
  m.derive();
  return m;
}

void TextModel::derive() {
  for (Dimension& d : dimensions_) {
    const size_t k = d.classes.size();
    std::vector<double> total(k, 0.0);
    for (const auto& [t, row] : d.counts) {
      for (size_t c = 0; c < k; ++c) total[c] += row[c];
    }
    double labelled = 0;
    for (int n : d.documents) labelled += n;
    d.log_prior.assign(k, 0.0);
    for (size_t c = 0; c < k; ++c)
      d.log_prior[c] = std::log((d.documents[c] + 1.0) / (labelled + static_cast<double>(k)));
    const double vocabulary = static_cast<double>(d.counts.size());
    d.log_likelihood.clear();
    for (const auto& [t, row] : d.counts) {
      std::vector<double> ll(k);
      for (size_t c = 0; c < k; ++c)
        ll[c] = std::log((row[c] + options_.alpha) / (total[c] + options_.alpha * vocabulary));
      d.log_likelihood.emplace(t, std::move(ll));
    }
  }
}

std::vector<std::pair<std::string, double>> TextModel::posterior(const std::string& dimension,
                                                                 const std::vector<std::string>& tokens) const {
  const Dimension* d = nullptr;
  for (const Dimension& x : dimensions_) {
    if (x.name == dimension) d = &x;
  }
  if (!d) return {};
  std::vector<double> score = d->log_prior;
  for (const std::string& t : tokens) {
    auto it = d->log_likelihood.find(t);
    if (it == d->log_likelihood.end()) continue;
    for (size_t c = 0; c < score.size(); ++c) score[c] += it->second[c];
  }
  const double t = options_.temperature > 0 ? options_.temperature : 1;
  double best = *std::max_element(score.begin(), score.end());
  double sum = 0;
  for (double& s : score) sum += (s = std::exp((s - best) / t));
  std::vector<std::pair<std::string, double>> out;
  for (size_t c = 0; c < score.size(); ++c) out.emplace_back(d->classes[c], score[c] / sum);
  return out;
}

nlohmann::json TextModel::to_json() const {
  nlohmann::json dims = nlohmann::json::object();
  for (const Dimension& d : dimensions_) {
    nlohmann::json counts = nlohmann::json::object();  // keys sorted: one training, one file
    for (const auto& [token, row] : d.counts) counts[token] = row;
    dims[d.name] = {{"classes", d.classes}, {"documents", d.documents}, {"counts", counts}};
  }
  return {{"format", 1},
          {"learnt_from", learnt_from_},
          {"examples", examples_},
          {"options",
           {{"alpha", options_.alpha},
            {"min_documents", options_.min_documents},
            {"weight", options_.weight},
            {"temperature", options_.temperature},
            {"rule_tokens", options_.rule_tokens},
            {"dimensions", options_.dimensions}}},
          {"dimensions", dims}};
}

TextModel TextModel::from_json(const nlohmann::json& block, const Taxonomy& taxonomy, const std::string& origin) {
  if (!block.is_object()) throw Error(where(origin, "") + " must be an object");
  if (block.value("format", 0) != 1) throw Error(where(origin, ".format") + " must be 1");
  TextModel m;
  try {
    m.learnt_from_ = block.value("learnt_from", std::string());
    m.examples_ = block.value("examples", 0);
    const nlohmann::json& o = block.at("options");
    m.options_.alpha = o.at("alpha").get<double>();
    m.options_.min_documents = o.at("min_documents").get<int>();
    m.options_.weight = o.at("weight").get<double>();
    m.options_.temperature = o.at("temperature").get<double>();
    m.options_.rule_tokens = o.value("rule_tokens", true);
    if (o.contains("dimensions")) m.options_.dimensions = o.at("dimensions").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    throw Error(where(origin, ".options") +
                ": needs numbers alpha, min_documents, weight and temperature (and dimensions: a list of names)");
  }
  if (m.options_.alpha <= 0 || m.options_.temperature <= 0 || m.options_.weight < 0)
    throw Error(where(origin, ".options") + ": alpha and temperature must be > 0, weight >= 0");
  const auto dims = block.find("dimensions");
  if (dims == block.end() || !dims->is_object()) throw Error(where(origin, ".dimensions") + " must be an object");
  for (const auto& [name, d] : dims->items()) {
    const std::string at = ".dimensions." + name;
    if (std::find(std::begin(kDimensions), std::end(kDimensions), name) == std::end(kDimensions))
      throw Error(where(origin, at) + ": not stage, symptom or root_cause");
    Dimension dim;
    dim.name = name;
    try {
      dim.classes = d.at("classes").get<std::vector<std::string>>();
      dim.documents = d.at("documents").get<std::vector<int>>();
    } catch (const nlohmann::json::exception&) {
      throw Error(where(origin, at) + ": needs 'classes' (strings) and 'documents' (integers)");
    }
    if (dim.classes.empty() || dim.documents.size() != dim.classes.size())
      throw Error(where(origin, at) + ": 'documents' must have one count per class");
    for (const std::string& c : dim.classes) {
      const TaxonomyNode* n = taxonomy.find(c);
      if (!n || n->dimension != name || !n->parent.empty())
        throw Error(where(origin, at) + ": '" + c + "' is not a top-level " + name + " node of taxonomy " +
                    taxonomy.id());
    }
    const auto counts = d.find("counts");
    if (counts == d.end() || !counts->is_object()) throw Error(where(origin, at + ".counts") + " must be an object");
    for (const auto& [token, row] : counts->items()) {
      if (!row.is_array() || row.size() != dim.classes.size())
        throw Error(where(origin, at + ".counts") + ": '" + token + "' needs one count per class");
      std::vector<int> r;
      for (const auto& v : row) {
        if (!v.is_number_integer() || v.get<int>() < 0)
          throw Error(where(origin, at + ".counts") + ": '" + token + "' has a count that is not a whole number");
        r.push_back(v.get<int>());
      }
      dim.counts.emplace(token, std::move(r));
    }
    m.dimensions_.push_back(std::move(dim));
  }
  m.derive();
  return m;
}

std::string text_model_file(const TextModel& m) {
  // One token per line, so that a retrained model reads as a diff.
  nlohmann::json head = m.to_json();
  nlohmann::json dims = std::move(head["dimensions"]);
  head.erase("dimensions");
  std::ostringstream out;
  out << "// The statistical layer beside the rules: naive Bayes counts per top-level class\n"
      << "// (classify/text_model.h), trained on " << m.learnt_from() << ".\n"
      << "// Written by `firstmile train`; re-run it rather than editing the counts by hand.\n"
      << "{\n  \"text_model\": {\n";
  for (const auto& [key, value] : head.items())
    out << "    " << json_text(nlohmann::json(key)) << ": " << json_text(value) << ",\n";
  out << "    \"dimensions\": {\n";
  size_t di = 0;
  for (const auto& [name, d] : dims.items()) {
    out << "      " << json_text(nlohmann::json(name)) << ": {\n        \"classes\": " << json_text(d["classes"])
        << ",\n        \"documents\": " << json_text(d["documents"]) << ",\n        \"counts\": {\n";
    size_t ti = 0;
    for (const auto& [token, row] : d["counts"].items()) {
      out << "          " << json_text(nlohmann::json(token)) << ": " << json_text(row)
          << (++ti < d["counts"].size() ? ",\n" : "\n");
    }
    out << "        }\n      }" << (++di < dims.size() ? ",\n" : "\n");
  }
  out << "    }\n  }\n}\n";
  return out.str();
}

}  // namespace firstmile
