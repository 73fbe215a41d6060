// The rule classifier: evidence rolled up the taxonomy and decided top-down, on short reports
// written like the study's (shipped rules), and on rule sets of a few rules.
#include <doctest/doctest.h>

#include <algorithm>

#include "classify/classifier.h"
#include "classify_support.h"

using namespace firstmile;
using firstmile::testing::shipped_rules;
using firstmile::testing::shipped_taxonomy;

namespace {

Classification classify(const std::string& title, const std::string& body) {
  static RuleClassifier c(shipped_taxonomy(), shipped_rules());
  return c.classify(extract_features(title, body));
}
RuleSet rules_from(const std::string& json) { return RuleSet::parse(shipped_taxonomy(), {{"test-rules.json", json}}); }
bool fired(const std::vector<RuleHit>& hits, const std::string& id) {
  return std::any_of(hits.begin(), hits.end(), [&](const RuleHit& h) { return h.rule->id == id; });
}

}  // namespace

TEST_CASE("a CUDA out-of-memory traceback during inference is Crash / CUDA Error / Out of Memory") {
  Classification r = classify("OOM when generating with the 72B model",
                              "```\ntorch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n```");
  CHECK(r.is_failure);
  CHECK(r.symptom.node == "sym.crash.cuda.oom");
  CHECK(r.stage.node == "stage.inference");
  CHECK(r.root_cause.top == "rc.hardware");
}

TEST_CASE("a LoRA training run whose loss stays at zero is a fine-tuning convergence anomaly") {
  Classification r =
      classify("Loss is 0 after the first steps of LoRA fine-tuning",
               "I fine-tune with peft, lora_r 8, learning_rate 2e-4. The training loss is 0 from step 10 on.");
  CHECK(r.stage.node == "stage.finetuning");
  CHECK(r.symptom.node == "sym.incorrect.finetune.convergence");
  CHECK(r.root_cause.top == "rc.config");
}

TEST_CASE("an unknown model type at load time is a loading failure fixed by upgrading a library") {
  Classification r = classify("Cannot load the model", "```\nKeyError: 'qwen2'\n```\nUpgrading transformers fixed it.");
  CHECK(r.symptom.node == "sym.loading.model.validation");
  CHECK(r.root_cause.node == "rc.env.dependency");
}

TEST_CASE("Chinese reports are covered: 显存不足 while fine-tuning, 乱码 in answers") {
  Classification oom = classify("微调时显存不足", "使用 LoRA 微调 Qwen-7B，训练到第二步就报错，显存不足。");
  CHECK(oom.stage.node == "stage.finetuning");
  CHECK(oom.symptom.node == "sym.crash.cuda.oom");
  Classification garbled = classify("推理输出乱码", "部署后模型回答全是乱码。");
  CHECK(garbled.stage.node == "stage.inference");
  CHECK(garbled.symptom.node == "sym.incorrect.quality.meaningless");
}

TEST_CASE("a generation that never returns is a Hang, and repeating text is Repetitive Generation") {
  CHECK(classify("Generation hangs forever with vLLM", "The server accepts the request and never answers.")
            .symptom.node == "sym.hang.generation");
  CHECK(classify("Model repeats the same sentence over and over", "The answer loops until max tokens.").symptom.node ==
        "sym.incorrect.quality.repetition");
}

TEST_CASE("questions and feature requests are not failure reports") {
  CHECK_FALSE(classify("How to cite the paper?", "Thanks for the great work.").is_failure);
  CHECK_FALSE(classify("Feature request: add a Docker image", "It would be nice to have one.").is_failure);
  CHECK(classify("RuntimeError when loading", "```\nRuntimeError: CUDA error: invalid device ordinal\n```").is_failure);
}

TEST_CASE("children compete and parents accumulate: the best child's evidence rolls up, not the sum") {
  RuleSet rules = rules_from(R"({"rules": [
    {"id": "a", "target": "sym.crash.cuda.oom", "weight": 3, "fields": ["prose"], "patterns": ["alpha"]},
    {"id": "b", "target": "sym.crash.value.shape", "weight": 3, "fields": ["prose"], "patterns": ["beta"]},
    {"id": "c", "target": "sym.loading.model.validation", "weight": 5, "fields": ["prose"], "patterns": ["gamma"]}]})");
  RuleClassifier c(shipped_taxonomy(), rules);
  Classification r = c.classify(extract_features("t", "alpha beta gamma"));
  CHECK(r.symptom.node == "sym.loading.model.validation");  // 5 > max(3, 3), though 3 + 3 > 5
  CHECK(r.symptom.margin == doctest::Approx(2));
  CHECK(r.symptom.hits.size() == 1);
}

TEST_CASE("with no evidence the priors decide, and the decision says so") {
  RuleSet rules = rules_from(R"({"priors": {"stage.inference": 1}, "rules": [
    {"id": "x", "target": "stage.finetuning", "weight": 2, "fields": ["title"], "patterns": ["lora"]}]})");
  Classification r = RuleClassifier(shipped_taxonomy(), rules).classify(extract_features("nothing here", ""));
  CHECK(r.stage.node == "stage.inference");
  CHECK(r.stage.from_prior);
  CHECK(RuleClassifier(shipped_taxonomy(), rules).classify(extract_features("LoRA run", "")).stage.node ==
        "stage.finetuning");
}

TEST_CASE("causes told by the thread: the chat model instead of the base one, one GPU instead of several") {
  Classification base =
      classify("Empty answers from the chat example",
               "The example returns empty strings. A maintainer replied that the base model was loaded "
               "and suggested using the llama-2-7b-chat checkpoint instead.");
  CHECK(base.root_cause.top == "rc.config");
  CHECK(std::any_of(base.root_cause.hits.begin(), base.root_cause.hits.end(),
                    [](const RuleHit& h) { return h.rule->id == "rc.config.inference.model_variant"; }));
  Classification one =
      classify("Serving the 14B GPTQ model with vLLM fails",
               "Deployment fails with two cards. It turned out the quantized model can only be deployed on "
               "a single GPU; it worked on one card.");
  CHECK(one.root_cause.top == "rc.distributed");
  // Loading on one device is everyday code, not a cause, unless it is the fix.
  std::vector<RuleHit> plain =
      shipped_rules().match(extract_features("t", "I load it with device_map='cuda:0' and it crashes."));
  CHECK_FALSE(fired(plain, "rc.distributed.single_device_fix"));
  std::vector<RuleHit> fix =
      shipped_rules().match(extract_features("t", "It crashes. Setting device_map='cuda:0' fixed it."));
  CHECK(fired(fix, "rc.distributed.single_device_fix"));
}

TEST_CASE("what the user was doing decides: an exception raised inside the loader is a Loading Failure") {
  const std::string loader_frames =
      "```\nTraceback (most recent call last):\n  File \"run.py\", line 3, in <module>\n"
      "    model = AutoModelForCausalLM.from_pretrained(path)\n"
      "  File \"/site-packages/transformers/models/auto/auto_factory.py\", line 523, in from_pretrained\n"
      "    return model_class.from_pretrained(\n"
      "  File \"/site-packages/transformers/modeling_utils.py\", line 3300, in from_pretrained\n";
  for (const char* error :
       {"ValueError: bad value for field in the checkpoint", "AttributeError: 'NoneType' object has no attribute 'get'",
        "AssertionError: expected one of the known layouts"}) {
    CAPTURE(error);
    Classification r = classify("Error when running the model", loader_frames + error + "\n```");
    CHECK(r.symptom.top == "sym.loading");
  }
  // The same exceptions raised while generating stay a Crash.
  Classification running =
      classify("Error when running the model",
               "```\nTraceback (most recent call last):\n  File \"run.py\", line 9, in <module>\n"
               "    out = model.generate(**inputs)\nValueError: bad value for field in the input\n```");
  CHECK(running.symptom.top == "sym.crash");
  // Memory errors while loading are Crash, as the definitions say.
  Classification oom =
      classify("Error when running the model", loader_frames + "torch.cuda.OutOfMemoryError: CUDA out of memory.\n```");
  CHECK(oom.symptom.node == "sym.crash.cuda.oom");
}

TEST_CASE("an error line naming the loader's own check is a Loading Failure whatever its exception type") {
  Classification r = classify("Error when starting the model",
                              "```\nValueError: Tokenizer class Qwen2Tokenizer does not exist or is not currently "
                              "imported.\n```");
  CHECK(r.symptom.node == "sym.loading.tokenizer");
  Classification arch = classify(
      "Error when starting the model",
      "```\nValueError: The checkpoint you are trying to load has model type `qwen3` but Transformers does not "
      "recognize this architecture.\n```");
  CHECK(arch.symptom.top == "sym.loading");
}

TEST_CASE("Poor Performance needs words about time, not the name of a stage") {
  Classification inference = classify("Inference with Qwen2 decode on vLLM gives an error",
                                      "```\nRuntimeError: CUDA error: an illegal memory access was encountered\n```");
  CHECK(inference.symptom.top == "sym.crash");
  Classification slow = classify("Inference is very slow with the 7B model",
                                 "Generation takes too long: 3 tokens/s on an A100, expected about 40.");
  CHECK(slow.symptom.node == "sym.performance.inference");
}
