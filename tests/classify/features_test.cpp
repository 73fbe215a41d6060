// Features: prose and code apart, error lines and their signature, language.
#include <doctest/doctest.h>

#include "classify/features.h"

using namespace firstmile;

TEST_CASE("a fenced traceback is code, and its last exception line is the signature") {
  IssueFeatures f =
      extract_features("OOM when loading",
                       "The model does not load.\n```\nTraceback (most recent call last):\n"
                       "  File \"/home/u/run.py\", line 12, in <module>\n    model.cuda()\n"
                       "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n```\nThanks");
  CHECK(f.prose == "The model does not load.\nThanks\n");
  CHECK(f.code.find("Traceback") != std::string::npos);
  REQUIRE(f.error_lines.size() == 1);
  CHECK(f.error_signature == "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate <N> GiB");
  CHECK(f.language == "en");
}

TEST_CASE("error lines outside fences count, exception names inside sentences do not") {
  IssueFeatures f = extract_features("t",
                                     "It raises a KeyError sometimes.\nKeyError: 'qwen2'\nRuntimeError: NCCL error in: "
                                     "/opt/pytorch/ProcessGroupNCCL.cpp:1191, unhandled system error\n");
  REQUIRE(f.error_lines.size() == 2);
  CHECK(f.error_lines[0] == "KeyError: 'qwen2'");
  CHECK(f.error_signature == "KeyError: 'qwen2'");  // digits inside a name are part of it
  CHECK(normalize_error_line(f.error_lines[1]) == "RuntimeError: NCCL error in: <path>:<N>, unhandled system error");
  CHECK(f.prose == "It raises a KeyError sometimes.\n");
}

TEST_CASE("addresses and numbers are stripped from signatures") {
  CHECK(normalize_error_line("Segmentation fault at 0x7ffd3a2b in   thread 12") ==
        "Segmentation fault at <addr> in thread <N>");
}

TEST_CASE("a compiled extension is a path with or without its folders, other file names stay") {
  const char* with_folders =
      "ImportError: /usr/lib/python3.10/site-packages/flash_attn_2_cuda.cpython-310-x86_64-linux-gnu.so: undefined "
      "symbol: _ZN3c104cuda9SetDeviceEi";
  const char* bare =
      "ImportError: flash_attn_2_cuda.cpython-311-x86_64-linux-gnu.so: undefined symbol: _ZN3c104cuda9SetDeviceEi";
  CHECK(normalize_error_line(with_folders) == "ImportError: <path>: undefined symbol: _ZN3c104cuda9SetDeviceEi");
  CHECK(normalize_error_line(bare) == normalize_error_line(with_folders));
  CHECK(normalize_error_line("OSError: libcudart.so.12: cannot open shared object file") ==
        "OSError: <path>: cannot open shared object file");
  CHECK(normalize_error_line("FileNotFoundError: tokenizer.model not found") ==
        "FileNotFoundError: tokenizer.model not found");
}

TEST_CASE("Chinese reports are detected as Chinese") {
  CHECK(extract_features("推理时显存不足", "使用 vLLM 推理 Qwen2.5-72B 时报错，显存溢出。").language == "zh");
  CHECK(extract_features("CUDA OOM", "Loading the 72B model fails with out of memory").language == "en");
}

TEST_CASE("errors quoted in comments join the report's error lines") {
  IssueFeatures f = extract_features("hang", "It hangs.", {"Here is the log:\n```\nValueError: bad shape\n```"});
  REQUIRE(f.error_lines.size() == 1);
  CHECK(f.error_signature == "ValueError: bad shape");
  CHECK(f.comments.find("Here is the log") != std::string::npos);
}

TEST_CASE("an environment inventory is kept apart from the prose, up to its first blank line") {
  IssueFeatures cards =
      extract_features("t", "The run fails on two cards.\n\nEnvironment:\n- vLLM 0.5.0\n- 2x A100 80GB\n");
  CHECK(cards.environment == "- vLLM 0.5.0\n- 2x A100 80GB\n");
  CHECK(cards.prose.find("vLLM") == std::string::npos);
  CHECK(cards.prose.find("two cards") != std::string::npos);

  IssueFeatures github = extract_features("t",
                                          "### System Info\n\n- `transformers` version: 4.37.2\n- Platform: "
                                          "Linux\n\n### Reproduction\n\nLoad the model.\n");
  CHECK(github.environment == "- `transformers` version: 4.37.2\n- Platform: Linux\n");
  CHECK(github.prose.find("Load the model.") != std::string::npos);
  CHECK(github.prose.find("4.37.2") == std::string::npos);

  IssueFeatures zh = extract_features("t", "运行环境：\nCUDA 12.1\n\n模型加载失败。");
  CHECK(zh.environment == "CUDA 12.1\n");
  // An inventory pasted as a block is code; the prose after it stays prose.
  IssueFeatures block = extract_features("t", "Environment:\n```\ntorch 2.1\n```\nThe run hangs at step 3.\n");
  CHECK(block.environment.empty());
  CHECK(block.code == "torch 2.1\n");
  CHECK(block.prose.find("The run hangs") != std::string::npos);
  IssueFeatures none = extract_features("t", "The environment is fine. It crashes.");
  CHECK(none.environment.empty());
}

TEST_CASE("the resolution holds the sentences that tell the fix or the cause, from body and comments") {
  IssueFeatures f = extract_features(
      "t", "Loading fails with transformers 4.30. I tried again. Upgrading transformers to 4.40 solved it.",
      {"Same here.", "A maintainer explained that the model needs a newer vLLM.\nThanks!", "原因是版本太旧。"});
  CHECK(f.resolution ==
        "Upgrading transformers to 4.40 solved it\nA maintainer explained that the model needs a newer "
        "vLLM\n原因是版本太旧\n");
  CHECK(extract_features("t", "It crashes. Any idea?").resolution.empty());
  // Dots inside versions and file names do not end a sentence.
  CHECK(extract_features("t", "Running train.py with v0.4.2 works after setting bf16.").resolution ==
        "Running train.py with v0.4.2 works after setting bf16\n");
}
