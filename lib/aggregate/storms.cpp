// aggregate/storms.cpp — incident templates, paraphrases and noise, drawn from one seed.
#include "aggregate/storms.h"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/csv.h"
#include "base/error.h"
#include "base/json_file.h"

namespace firstmile {

namespace {

// A cause many users hit: the error it shows ({a} is fixed per incident, {n} {p} {x} vary per
// report), how they title it, in English and Chinese.
struct Cause {
  const char* library;
  std::vector<const char*> versions;
  const char* error;                  // empty: the reports describe the symptom only
  std::vector<const char*> variants;  // values of {a}, one per incident
  std::vector<const char*> titles_en;
  std::vector<const char*> titles_zh;
};

// One table of data, long because the causes are many.
const std::vector<Cause>& causes() {
  static const std::vector<Cause> kCauses = {
      {"transformers",
       {"4.38.0", "4.40.1", "4.45.0", "4.46.2"},
       "AttributeError: '{m}Config' object has no attribute '{a}'",
       {"rope_theta", "rope_scaling", "sliding_window", "use_cache_quantization"},
       {"AttributeError {a} after upgrading transformers to {v}", "{m} fails: config has no attribute {a}",
        "Loading {m} breaks with transformers {v}", "'{m}Config' object has no attribute '{a}'"},
       {"升级 transformers {v} 后报错 {a}", "{m} 加载报错：没有属性 {a}"}},
      {"transformers",
       {"4.31.0", "4.33.2", "4.36.2"},
       "KeyError: '{a}'",
       {"qwen2", "qwen2_moe", "deepseek_v3", "qwen3"},
       {"KeyError '{a}' when loading {m}", "Cannot load {m}: KeyError {a}", "{m} not recognised by transformers {v}"},
       {"加载 {m} 报 KeyError '{a}'", "transformers {v} 无法识别 {a}"}},
      {"vllm",
       {"0.3.3", "0.4.2", "0.5.3", "0.6.1"},
       "ValueError: The model's max seq len ({n}) is larger than the maximum number of tokens that can be stored in KV "
       "cache ({n}).",
       {"kv"},
       {"vLLM {v} fails to start {m}: max seq len larger than KV cache",
        "{m} on vLLM: KV cache too small for max_model_len", "Serving {m} with vllm {v} errors at startup"},
       {"vllm {v} 部署 {m} 启动失败，KV cache 不够", "{m} 用 vllm 启动报错 max seq len"}},
      {"flash-attn",
       {"2.4.2", "2.5.8", "2.6.3"},
       "ImportError: {p}/flash_attn_2_cuda.cpython-310-x86_64-linux-gnu.so: undefined symbol: _ZN3c10{a}",
       {"17SymbolicShapeMeta", "4cuda9SetDeviceEi", "6detail14torchCheckFail"},
       {"flash_attn undefined symbol with torch after install", "{m} import fails: flash_attn_2_cuda undefined symbol",
        "flash-attn {v} broken: undefined symbol"},
       {"flash_attn {v} 导入报错 undefined symbol", "安装 flash-attn 后 {m} 无法导入"}},
      {"tokenizers",
       {"0.13.3", "0.14.1", "0.15.0"},
       "Exception: data did not match any variant of untagged enum ModelWrapper at line {n} column {n}",
       {"wrapper"},
       {"Tokenizer fails to load for {m}: untagged enum ModelWrapper",
        "{m} tokenizer.json cannot be parsed with tokenizers {v}",
        "data did not match any variant of untagged enum ModelWrapper"},
       {"{m} 分词器加载失败 ModelWrapper", "tokenizers {v} 无法读取 tokenizer.json"}},
      {"vllm",
       {"0.4.3", "0.5.1", "0.6.2"},
       "ValueError: `rope_scaling` must be a dictionary with two fields, `type` and `factor`, got {'factor': {n}, "
       "'rope_type': '{a}'}",
       {"llama3", "yarn", "dynamic"},
       {"rope_scaling must be a dictionary with two fields for {m}", "vLLM {v} cannot load {m}: rope_scaling error",
        "{m} fails: rope_type {a} not supported"},
       {"vllm {v} 加载 {m} 报 rope_scaling 错误", "{m} 的 rope_scaling 配置报错"}},
      {"bitsandbytes",
       {"0.41.1", "0.42.0", "0.43.1"},
       "RuntimeError: CUDA Setup failed despite GPU being available. Please run the following command to get more "
       "information: python -m bitsandbytes",
       {"setup"},
       {"bitsandbytes CUDA setup failed for 4-bit {m}", "Cannot load {m} in 8-bit: CUDA Setup failed",
        "bnb {v} CUDA setup failure"},
       {"bitsandbytes {v} CUDA Setup failed", "{m} 4bit 量化加载失败"}},
      {"torch",
       {"2.1.2", "2.2.0", "2.3.1"},
       "torch.distributed.DistBackendError: NCCL error in: {p}/ProcessGroupNCCL.cpp:{n}, unhandled cuda error, NCCL "
       "version {a}",
       {"2.18.1", "2.19.3", "2.20.5"},
       {"NCCL unhandled cuda error on multi-GPU {m}", "{m} tensor parallel fails with NCCL error",
        "DistBackendError NCCL with torch {v}"},
       {"多卡运行 {m} 报 NCCL 错误", "torch {v} 多GPU NCCL unhandled cuda error"}},
      {"peft",
       {"0.6.2", "0.7.1", "0.8.2"},
       "TypeError: LoraConfig.__init__() got an unexpected keyword argument '{a}'",
       {"use_dora", "layer_replication", "use_rslora", "loftq_config"},
       {"LoraConfig unexpected keyword argument {a}", "Fine-tuning {m} fails: LoraConfig got {a}",
        "peft {v} does not accept {a}"},
       {"微调 {m} 报错 LoraConfig 不支持 {a}", "peft {v} 参数 {a} 报错"}},
      {"ollama",
       {"0.1.32", "0.3.0", "0.3.6"},
       "Error: llama runner process has terminated: error loading model: {a}",
       {"unknown model architecture: 'qwen2'", "done_getting_tensors: wrong number of tensors",
        "missing tensor 'blk.0.attn_q.bias'"},
       {"ollama {v} cannot run {m}: llama runner process has terminated", "{m} GGUF fails to load in ollama",
        "ollama error loading model {m}"},
       {"ollama {v} 运行 {m} 报错 llama runner", "{m} 在 ollama 中无法加载"}},
      {"vllm",
       {"0.4.1", "0.5.4", "0.6.3"},
       "",
       {"bangs"},
       {"{m} outputs only exclamation marks with vllm {v}", "Endless '!!!!' from {m} in float16",
        "{m} generates !!!!!!! after upgrade to {v}"},
       {"{m} 用 vllm {v} 只输出感叹号", "{m} 输出全是 !!!!"}},
      {"vllm",
       {"0.3.3", "0.4.0", "0.5.4"},
       "",
       {"imend"},
       {"{m} never stops and prints <|im_end|> with vllm {v}", "Generation does not stop at <|im_end|> for {m}",
        "{m} keeps generating after the answer"},
       {"{m} 不停止生成，输出 <|im_end|>", "vllm {v} 下 {m} 无法停止"}},
      {"numpy",
       {"2.0.1", "2.1.0"},
       "AttributeError: `np.{a}` was removed in the NumPy 2.0 release. Use `np.float64` instead.",
       {"float_", "NaN", "Inf"},
       {"np.{a} removed in NumPy 2.0 breaks {m} demo", "NumPy {v}: AttributeError np.{a}",
        "{m} web demo crashes with numpy {v}"},
       {"numpy {v} 导致 {m} 报错 np.{a}", "{m} demo 报 numpy 错误"}},
      {"triton",
       {"2.1.0", "2.2.0", "3.0.0"},
       "triton.runtime.autotuner.OutOfResources: out of resource: shared memory, Required: {n}, Hardware limit: {n}",
       {"smem"},
       {"Triton out of resource shared memory on {m}", "{m} kernel fails: OutOfResources shared memory",
        "triton {v} shared memory error"},
       {"{m} 运行报 triton shared memory 不足", "triton {v} OutOfResources"}},
      {"accelerate",
       {"0.27.2", "0.30.1"},
       "ValueError: You can't train a model that has been loaded in 8-bit precision on a different device than the one "
       "you're training on.",
       {"8bit"},
       {"Cannot train 8-bit {m} on a different device", "QLoRA on {m} fails with accelerate {v}",
        "8-bit training device error for {m}"},
       {"{m} 8bit 训练报设备错误", "accelerate {v} QLoRA 报错"}},
  };
  return kCauses;
}

const char* const kModels[] = {"Qwen2", "Qwen2.5", "Llama",     "DeepSeekV3",
                               "Qwen3", "Mistral", "CodeLlama", "DeepSeekCoder"};
const char* const kGpus[] = {"A100 80GB", "RTX 4090", "H100", "A10", "V100 32GB", "RTX 3090", "L40S", "A800"};
const char* const kRepos[][2] = {{"QwenLM", "Qwen2.5"},
                                 {"QwenLM", "Qwen"},
                                 {"QwenLM", "Qwen2.5-Coder"},
                                 {"meta-llama", "llama3"},
                                 {"meta-llama", "llama"},
                                 {"meta-llama", "codellama"},
                                 {"deepseek-ai", "DeepSeek-V3"},
                                 {"deepseek-ai", "DeepSeek-R1"},
                                 {"deepseek-ai", "DeepSeek-Coder"},
                                 {"deepseek-ai", "DeepSeek-V2"},
                                 {"vllm-project", "vllm"},
                                 {"ollama", "ollama"},
                                 {"huggingface", "transformers"}};
constexpr int kRepoCount = sizeof kRepos / sizeof kRepos[0];
// The model owners' repositories (the first ten of kRepos), where the real profile draws from.
constexpr int kModelRepoCount = 10;
// Sizes of the real storms' incidents of two or more (../shared/storms): drawn uniformly.
const int kRealSizes[] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4, 4, 5};

// Noise: failures of their own, spread over the same libraries and models.
const char* const kNoiseErrors[] = {
    "FileNotFoundError: [Errno 2] No such file or directory: '{p}/{w}.json'",
    "ValueError: invalid literal for int() with base 10: '{w}'",
    "RuntimeError: shape '[{n}, {n}]' is invalid for input of size {n}",
    "IndexError: index {n} is out of bounds for dimension 0 with size {n}",
    "ConnectionError: HTTPSConnectionPool(host='{w}.co', port=443): Max retries exceeded",
    "json.decoder.JSONDecodeError: Expecting value: line {n} column {n} (char {n})",
    "",  // no error: a question-like or vague report
};
const char* const kNoiseTitles[] = {"Problem running {m} with {w} on {g}",
                                    "{m} gives an error in {w}",
                                    "Question about {m} {w} and {l}",
                                    "{m} 运行 {w} 出错",
                                    "Help: {w} with {m}",
                                    "{m} {w} is slow on {g}",
                                    "Strange {w} behaviour of {m}",
                                    "{m} 推理 {w} 结果不对",
                                    "{w} {w} fails for {m}",
                                    "How to use {w} with {m}?",
                                    "{m}: unexpected {w} after {w}",
                                    "{w} not working"};

class Draw {
 public:
  explicit Draw(uint64_t seed) : rng_(seed) {}
  uint64_t operator()(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  double unit() { return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0); }
  template <typename T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[(*this)(N)];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[(*this)(items.size())];
  }
  std::string word() {
    static const char* const kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "do", "ga"};
    std::string w;
    for (int i = 0; i < 3; ++i) w += pick(kSyllables);
    return w;
  }

 private:
  std::mt19937_64 rng_;  // its sequence is fixed by the standard: same corpus everywhere
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Per-report variable parts: paths, numbers, words, each occurrence drawn anew.
std::string vary(std::string s, Draw& draw) {
  static const char* const kHomes[] = {"/home/user", "/root", "/data/envs/py310", "/opt/conda", "C:\\Users\\dev"};
  for (size_t at; (at = s.find("{p}")) != std::string::npos;) {
    s.replace(at, 3, std::string(draw.pick(kHomes)) + "/lib/python3.10/site-packages/" + draw.word());
  }
  for (size_t at; (at = s.find("{n}")) != std::string::npos;) s.replace(at, 3, std::to_string(16 + draw(40000)));
  for (size_t at; (at = s.find("{w}")) != std::string::npos;) s.replace(at, 3, draw.word());
  return s;
}

std::string body_for(const std::string& error, const std::string& model, const std::string& library,
                     const std::string& version, const std::string& gpu, bool chinese, Draw& draw) {
  std::string b;
  if (chinese) {
    b = "我在 " + gpu + " 上用 " + library + " " + version + " 运行 " + model + "，";
    b += error.empty() ? "结果不正常，请帮忙看看。\n" : "出现下面的错误：\n";
  } else {
    static const char* const kOpenings[] = {
        "I am running {m} with {l}=={v} on {g}.", "When I start {m} ({l} {v}, {g}) it fails.",
        "Using {l} {v} to serve {m} on {g}.", "Following the README, {m} on {g} with {l} {v}:"};
    b = replace_all(
        replace_all(replace_all(replace_all(draw.pick(kOpenings), "{m}", model), "{l}", library), "{v}", version),
        "{g}", gpu);
    b += error.empty() ? " The output is wrong, see below.\n" : "\n";
  }
  if (!error.empty()) {
    b += "\n```\nTraceback (most recent call last):\n  File \"" + vary("{p}/run.py", draw) + "\", line " +
         std::to_string(10 + draw(300)) + ", in <module>\n    main()\n" + error + "\n```\n";
  }
  b += chinese ? "\n环境：" + library + " " + version + "，Python 3.10\n"
               : "\nEnvironment: " + library + " " + version + ", Python 3.10, CUDA 12.1\n";
  return b;
}

// The corpus being drawn: reports with their creation times, before they are numbered.
struct Drafting {
  Drafting(uint64_t seed, int64_t span_seconds, bool real_profile)
      : draw(seed), real(real_profile), span(span_seconds) {}
  Draw draw;
  const bool real = false;  // the "real" profile (StormOptions::profile)
  const std::time_t base = 1704067200;                   // 2024-01-01
  const int64_t span;                                    // seconds the reports are spread over
  std::map<std::string, std::vector<std::time_t>> used;  // incident starts by cause and variant
  std::vector<std::pair<std::time_t, StormReport>> drafts;
};

struct IncidentPlan {
  const Cause* cause = nullptr;
  std::string version, variant;
  std::time_t start = 0;
  int first_repository = 0;  // the real profile: its first report's repository (kRepos)
};

// Bursts: two incidents of one cause and variant (the same error) are at least 90 days apart,
// whatever the versions: closer, they would be one storm, not two. The real profile: one cause
// and variant is one incident per owner, however long it lasts (the study's definition, one
// root cause; the real storms' incidents never cross owners). nullopt when 200 draws found no room.
std::optional<IncidentPlan> plan_incident(Drafting& d) {
  Draw& draw = d.draw;
  IncidentPlan plan;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const Cause& c = draw.pick(causes());
    plan.version = draw.pick(c.versions);
    plan.variant = draw.pick(c.variants);
    plan.start =
        d.base + static_cast<std::time_t>(draw(static_cast<uint64_t>(std::max<int64_t>(d.span - 20 * 86400, 1))));
    std::string key = std::string(c.error) + c.titles_en[0] + "|" + plan.variant;
    if (d.real) {
      plan.first_repository = static_cast<int>(draw(kModelRepoCount));
      key = std::string(kRepos[plan.first_repository][0]) + "|" + key;
    }
    std::vector<std::time_t>& starts = d.used[key];
    const std::time_t start = plan.start;
    bool apart = d.real ? starts.empty() : std::all_of(starts.begin(), starts.end(), [&](std::time_t s) {
      return std::llabs(s - start) > 90 * 86400;
    });
    if (apart) {
      starts.push_back(start);
      plan.cause = &c;
      return plan;
    }
  }
  return std::nullopt;
}

// The `size` reports of incident `id`: one model, one to four repositories, paraphrased titles
// in English and Chinese, the error pasted with each reporter's own paths and numbers.
void draft_incident(Drafting& d, const IncidentPlan& plan, int64_t id, int64_t size) {
  Draw& draw = d.draw;
  const Cause& cause = *plan.cause;
  const std::string model = draw.pick(kModels);
  std::vector<int> repos;
  if (d.real) {
    // One owner; a second of its repositories in three incidents of five (members drawn from
    // the two, so that two in five end up spanning both, as measured).
    std::vector<int> owned;
    const int first = plan.first_repository;
    for (int k = 0; k < kModelRepoCount; ++k) {
      if (k != first && std::string(kRepos[k][0]) == kRepos[first][0]) owned.push_back(k);
    }
    repos.push_back(first);
    if (draw(5) < 3) repos.push_back(owned[draw(owned.size())]);
  } else {
    for (uint64_t k = 0, n = 1 + draw(4); k < n; ++k) repos.push_back(static_cast<int>(draw(kRepoCount)));
  }
  // The real profile's span: half within a month, three in ten over one to six months, two in
  // ten over six to eighteen.
  double span_days = 14;
  if (d.real) {
    const double u = draw.unit();
    span_days = u < 0.5 ? 30 * draw.unit() : u < 0.8 ? 30 + 150 * draw.unit() : 180 + 360 * draw.unit();
  }
  for (int64_t i = 0; i < size; ++i) {
    StormReport r;
    const auto& repo = kRepos[repos[draw(repos.size())]];
    r.owner = repo[0];
    r.name = repo[1];
    r.incident = id;
    const bool chinese = draw(4) == 0;
    r.language = chinese ? "zh" : "en";
    std::string title = chinese ? draw.pick(cause.titles_zh) : draw.pick(cause.titles_en);
    title = replace_all(replace_all(replace_all(title, "{a}", plan.variant), "{v}", plan.version), "{m}", model);
    r.title = title;
    // One in six reports does not paste the error (one in two in the real profile): the
    // symptom and version must carry it.
    std::string error = cause.error[0] && draw(d.real ? 2 : 6) != 0
                            ? vary(replace_all(replace_all(cause.error, "{a}", plan.variant), "{m}", model), draw)
                            : "";
    r.body = body_for(error, model, cause.library, plan.version, draw.pick(kGpus), chinese, draw);
    // Bursts: most reports come in the first days, a tail follows for weeks. Real: the first
    // report starts the incident, the others anywhere in its span.
    std::time_t at = d.real ? plan.start + static_cast<std::time_t>(i == 0 ? 0 : draw.unit() * span_days * 86400)
                            : plan.start + static_cast<std::time_t>(draw.unit() * draw.unit() * span_days * 86400);
    d.drafts.emplace_back(at, std::move(r));
  }
}

// Noise: `count` reports in no incident, each about something of its own, anywhere in the span.
void draft_noise(Drafting& d, int64_t count) {
  Draw& draw = d.draw;
  for (int64_t i = 0; i < count; ++i) {
    StormReport r;
    const auto& repo = kRepos[draw(d.real ? kModelRepoCount : kRepoCount)];
    r.owner = repo[0];
    r.name = repo[1];
    const Cause& lib = draw.pick(causes());
    const std::string version = draw.pick(lib.versions);
    const std::string model = draw.pick(kModels);
    const std::string gpu = draw.pick(kGpus);
    std::string title = draw.pick(kNoiseTitles);
    title = replace_all(replace_all(replace_all(replace_all(title, "{m}", model), "{l}", lib.library), "{v}", version),
                        "{g}", gpu);
    r.title = vary(title, draw);
    r.language = title.find("运行") != std::string::npos || title.find("推理") != std::string::npos ? "zh" : "en";
    r.body = body_for(vary(draw.pick(kNoiseErrors), draw), model, lib.library, version, gpu, r.language == "zh", draw);
    d.drafts.emplace_back(d.base + static_cast<std::time_t>(draw(static_cast<uint64_t>(d.span))), std::move(r));
  }
}

}  // namespace

std::string StormReport::url() const {
  return "https://github.com/" + owner + "/" + name + "/issues/" + std::to_string(number);
}

StormCorpus generate_storms(const StormOptions& o) {
  if (o.reports < 0 || o.days < 1 || o.noise_share < 0 || o.noise_share > 1) throw Error("storms: bad options");
  if (o.profile != "burst" && o.profile != "real")
    throw Error("storms: profile must be 'burst' or 'real', not '" + o.profile + "'");
  Drafting d(o.seed, static_cast<int64_t>(o.days) * 86400, o.profile == "real");
  StormCorpus corpus;
  const int64_t incident_reports = static_cast<int64_t>(o.reports * (1 - o.noise_share));
  int64_t made = 0;
  while (made < incident_reports) {
    // Sizes: mostly small storms, a few large ones.
    Draw& draw = d.draw;
    int64_t size = d.real ? kRealSizes[draw(std::size(kRealSizes))]
                          : 2 + static_cast<int64_t>(draw(6)) + (draw(5) == 0 ? static_cast<int64_t>(draw(30)) : 0);
    size = std::min(size, incident_reports - made);
    if (size < 2) break;
    std::optional<IncidentPlan> plan = plan_incident(d);
    if (!plan) {  // the span is full of incidents: the rest is noise
      corpus.ran_out_of_causes = true;
      break;
    }
    draft_incident(d, *plan, ++corpus.incidents, size);
    made += size;
  }
  corpus.noise_reports = o.reports - made;
  draft_noise(d, corpus.noise_reports);
  std::stable_sort(d.drafts.begin(), d.drafts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::map<std::string, int64_t> next_number;
  for (auto& [at, r] : d.drafts) {
    int64_t& n = next_number[r.owner + "/" + r.name];
    if (n == 0) n = o.first_number;
    r.number = n++;
    r.created_at = iso8601_utc(static_cast<int64_t>(at));
    corpus.reports.push_back(std::move(r));
  }
  return corpus;
}

void write_storm_files(const StormCorpus& corpus, const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  std::ofstream issues(directory / "issues.jsonl", std::ios::binary);
  std::ofstream truth(directory / "incidents.csv", std::ios::binary);
  if (!issues || !truth) throw Error(directory.string() + ": cannot write the storm files");
  CsvWriter csv(truth);
  csv.row({"url", "incident"});
  for (const StormReport& r : corpus.reports) {
    nlohmann::json j = {{"number", r.number},
                        {"title", r.title},
                        {"body", r.body},
                        {"state", "open"},
                        {"user", {{"login", "reporter"}}},
                        {"labels", nlohmann::json::array()},
                        {"comments", 0},
                        {"created_at", r.created_at},
                        {"updated_at", r.created_at},
                        {"html_url", r.url()}};
    issues << json_text(j) << '\n';
    csv.row({r.url(), std::to_string(r.incident)});
  }
  if (!issues || !truth) throw Error(directory.string() + ": write failed");
}

}  // namespace firstmile
