#!/usr/bin/env python3
"""Writes the embedded sample in data/sample/ from the hand-written reports below.

The reports are invented for firstmile's demo and tests (issue numbers >= 9001, so they cannot
be mistaken for real issues); the error strings are the generic ones the software prints.
Not needed to build or test: data/sample/ is committed. Edit REPORTS and run again:

    python3 scripts/make-sample.py
"""
import csv
import io
import json
import os
from datetime import datetime, timedelta

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sample")

# repo -> (dataset folder, file name, model, architecture). "V3 " keeps the published data's
# quirk of a folder name ending in a space.
REPOS = {
    "deepseek-ai/DeepSeek-V3": ("DeepSeek/V3 ", "DeepSeek-V3.json", "DeepSeek-V3", "MoE"),
    "deepseek-ai/DeepSeek-R1": ("DeepSeek/R1", "DeepSeek-R1.json", "DeepSeek-R1", "MoE"),
    "deepseek-ai/DeepSeek-Coder": ("DeepSeek/Coder", "DeepSeek-Coder.json", "DeepSeek-Coder", "Dense"),
    "meta-llama/llama": ("meta-llama/llama", "meta-llama.json", "llama", "Dense"),
    "meta-llama/llama3": ("meta-llama/llama3", "meta-llama3.json", "llama3", "Dense"),
    "meta-llama/codellama": ("meta-llama/codellama", "meta-codellama.json", "codellama", "Dense"),
    "QwenLM/Qwen": ("QwenLM/Qwen", "Qwen.json", "Qwen", "Dense"),
    "QwenLM/Qwen2.5": ("QwenLM/Qwen2.5", "Qwen2dot5.json", "Qwen2.5", "Mixed"),
    "QwenLM/Qwen2.5-Coder": ("QwenLM/Qwen2.5-Coder", "Qwen2dot5-Coder.json", "Qwen2.5-Coder", "Dense"),
}

FT, INF = "Fine-tuning", "Inference"


def report(repo, number, date, title, prose, error=None, env=(), state="closed", labels=("bug",),
           comments=(), gold=(), incident=None, author="user", pull_request=False):
    return dict(repo=repo, number=number, date=date, title=title, prose=prose, error=error, env=env, state=state,
                labels=labels, comments=comments, gold=gold, incident=incident, author=author,
                pull_request=pull_request)


# (author, association, body)
M = "MEMBER"
REPORTS = [
    # --- Storm (a): a transformers release that does not know the qwen2 architecture -----------
    report("QwenLM/Qwen2.5", 9001, "2024-09-19T08:12:00Z",
           "KeyError: 'qwen2' when loading Qwen2.5-7B-Instruct with AutoModelForCausalLM",
           "Loading the new instruct model with the usual snippet fails immediately.\n\n```python\n"
           "from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained(\"Qwen/Qwen2.5-7B-Instruct\")\n```",
           "Traceback (most recent call last):\n  File \"load.py\", line 2, in <module>\n"
           "  File \"/usr/lib/python3.10/site-packages/transformers/models/auto/configuration_auto.py\", line 1039, in from_pretrained\n"
           "    config_class = CONFIG_MAPPING[config_dict[\"model_type\"]]\nKeyError: 'qwen2'",
           ["transformers 4.36.2", "torch 2.1.2", "CUDA 12.1", "A100 80GB"],
           comments=[("qwen-maintainer", M, "Qwen2.5 needs transformers>=4.37.0. Please upgrade: `pip install -U transformers`."),
                     ("user", "NONE", "Upgrading to 4.44 fixed it, thanks.")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="transformers-qwen2-keyerror"),
    report("QwenLM/Qwen2.5", 9002, "2024-09-20T02:40:00Z",
           "加载Qwen2.5-14B报错 KeyError: 'qwen2'",
           "按照README的示例加载模型，直接报错，换了几个模型都一样。",
           "  File \"/opt/conda/lib/python3.10/site-packages/transformers/models/auto/configuration_auto.py\", line 1039, in from_pretrained\n"
           "    config_class = CONFIG_MAPPING[config_dict[\"model_type\"]]\nKeyError: 'qwen2'",
           ["transformers 4.33.0", "torch 2.0.1", "RTX 4090"],
           comments=[("qwen-maintainer", M, "请升级 transformers 到 4.37.0 以上。")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="transformers-qwen2-keyerror"),
    report("QwenLM/Qwen", 9003, "2024-09-21T13:05:00Z",
           "Transformers does not recognize this architecture (model type qwen2)",
           "Trying the 1.5B checkpoint from the new series with our old serving stack.",
           "ValueError: The checkpoint you are trying to load has model type `qwen2` but Transformers does not "
           "recognize this architecture. This could be because of an issue with the checkpoint, or because your "
           "version of Transformers is out of date.",
           ["transformers 4.31.0", "python 3.9"],
           comments=[("qwen-maintainer", M, "This repository is for Qwen(1.0). For Qwen2.5 use transformers>=4.37.")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="transformers-qwen2-keyerror"),
    report("QwenLM/Qwen2.5", 9004, "2024-09-23T06:55:00Z",
           "LoRA微调Qwen2.5-7B加载时报 KeyError: 'qwen2'",
           "用 LLaMA-Factory 做 LoRA 微调，启动训练时在加载模型这一步就失败了。",
           "  File \"/root/miniconda3/lib/python3.10/site-packages/transformers/models/auto/configuration_auto.py\", line 1039, in from_pretrained\n"
           "KeyError: 'qwen2'",
           ["transformers 4.36.0", "peft 0.7.1", "deepspeed 0.12.6", "2 x A800"],
           comments=[("user", "NONE", "升级transformers后可以了")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", FT)],
           incident="transformers-qwen2-keyerror"),
    # Duplicate of 9001, filed again by someone who did not search.
    report("QwenLM/Qwen2.5", 9005, "2024-09-24T17:30:00Z",
           "Cannot load Qwen2.5: KeyError qwen2 in configuration_auto",
           "Same snippet as the model card, fresh environment from our lab's image.",
           "KeyError: 'qwen2'",
           ["transformers 4.36.2"],
           comments=[("qwen-maintainer", M, "Duplicate of #9001")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="transformers-qwen2-keyerror"),

    # --- Storm (b): a vLLM bump rejects rope_scaling / max_model_len ------------------------------
    report("meta-llama/llama3", 9006, "2024-07-24T09:00:00Z",
           "vLLM fails on Llama-3.1-8B-Instruct: rope_scaling must be a dictionary with two fields",
           "Serving the 3.1 checkpoint with `vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct` stops while reading the config.",
           "ValueError: `rope_scaling` must be a dictionary with two fields, `type` and `factor`, got "
           "{'factor': 8.0, 'low_freq_factor': 1.0, 'high_freq_factor': 4.0, 'original_max_position_embeddings': 8192, 'rope_type': 'llama3'}",
           ["vllm 0.5.2", "transformers 4.42.4", "L40S"],
           comments=[("maintainer", M, "Llama 3.1 rope scaling needs vllm>=0.5.3.post1 and transformers>=4.43."),
                     ("user", "NONE", "Confirmed, 0.5.3.post1 works.")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="vllm-rope-scaling"),
    report("meta-llama/llama3", 9007, "2024-07-25T15:20:00Z",
           "rope_scaling ValueError when starting the OpenAI server for Llama 3.1 70B",
           "The same command worked for Llama 3 70B last week. Now the engine refuses the config.",
           "ValueError: `rope_scaling` must be a dictionary with two fields, `type` and `factor`",
           ["vllm 0.5.1", "4 x A100 80GB", "tensor-parallel-size 4"],
           comments=[("maintainer", M, "Please upgrade vLLM; see #9006.")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="vllm-rope-scaling"),
    report("deepseek-ai/DeepSeek-V3", 9008, "2024-07-27T04:10:00Z",
           "User-specified max_model_len is greater than the derived max_model_len",
           "After upgrading vLLM we cannot set the context length we used before for the long-context run.",
           "ValueError: User-specified max_model_len (131072) is greater than the derived max_model_len "
           "(max_position_embeddings=16384 or model_max_length=None in model's config.json). "
           "This may lead to incorrect model outputs or CUDA errors.",
           ["vllm 0.5.2", "transformers 4.42.4", "8 x H800"],
           comments=[("deepseek-dev", M, "The rope_scaling handling changed in that vLLM release; pin 0.5.3.post1.")],
           gold=[("Crash - Value-related Error - ValueError",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)],
           incident="vllm-rope-scaling"),

    # --- Storm (c): flash-attn built against another torch/CUDA -------------------------------------
    report("QwenLM/Qwen2.5", 9009, "2024-11-05T10:00:00Z",
           "flash_attn_2_cuda undefined symbol after installing flash-attn",
           "Enabling attn_implementation=\"flash_attention_2\" fails at import time.",
           "ImportError: /usr/local/lib/python3.10/dist-packages/flash_attn_2_cuda.cpython-310-x86_64-linux-gnu.so: "
           "undefined symbol: _ZN3c104cuda9SetDeviceEi",
           ["flash-attn 2.6.3", "torch 2.5.0", "CUDA 12.4"],
           comments=[("user", "NONE", "Reinstalling with `pip install flash-attn --no-build-isolation` against torch 2.5 fixed it.")],
           gold=[("Loading Failure - Model Loading Error - Import Error",
                  "Environment Compatibility Issues - CUDA Version Compatibility", INF)],
           incident="flash-attn-undefined-symbol"),
    report("meta-llama/llama3", 9010, "2024-11-06T21:45:00Z",
           "undefined symbol in flash_attn_2_cuda with torch 2.5",
           "Fine-tuning script crashes when the model is created with flash attention.",
           "ImportError: /opt/venv/lib/python3.11/site-packages/flash_attn_2_cuda.cpython-311-x86_64-linux-gnu.so: "
           "undefined symbol: _ZN3c104cuda9SetDeviceEi",
           ["flash-attn 2.6.3", "torch 2.5.1", "CUDA 12.1"],
           comments=[("maintainer", M, "The wheel was built for another torch. Rebuild flash-attn for your torch version.")],
           gold=[("Loading Failure - Model Loading Error - Import Error",
                  "Environment Compatibility Issues - CUDA Version Compatibility", FT)],
           incident="flash-attn-undefined-symbol"),
    report("deepseek-ai/DeepSeek-R1", 9011, "2024-11-08T07:30:00Z",
           "R1 distill: flash-attn import error (undefined symbol) on H100",
           "Loading the 7B distilled model with flash attention 2.",
           "ImportError: flash_attn_2_cuda.cpython-310-x86_64-linux-gnu.so: undefined symbol: _ZN3c104cuda9SetDeviceEi",
           ["flash-attn 2.6.3", "torch 2.5.0", "H100"],
           gold=[("Loading Failure - Model Loading Error - Import Error",
                  "Environment Compatibility Issues - CUDA Version Compatibility", INF)],
           incident="flash-attn-undefined-symbol"),

    # --- Crashes --------------------------------------------------------------------------------
    report("QwenLM/Qwen2.5", 9012, "2024-10-02T11:00:00Z",
           "CUDA out of memory during QLoRA fine-tuning of Qwen2.5-32B on a single 24GB card",
           "Batch size 1, max length 4096, gradient checkpointing on. Memory runs out at the first backward pass.",
           "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.96 GiB. GPU 0 has a total capacity of "
           "23.64 GiB of which 1.02 GiB is free.",
           ["transformers 4.45.0", "peft 0.13.0", "bitsandbytes 0.44.1", "RTX 4090 24GB"],
           comments=[("qwen-maintainer", M, "32B with 4096 tokens does not fit in 24GB even with QLoRA. Reduce the length or use two GPUs.")],
           gold=[("Crash - CUDA Error - Out of Memory", "Hardware and Resource Limitations - GPU Memory Insufficiency", FT)]),
    report("QwenLM/Qwen", 9013, "2023-10-15T03:20:00Z",
           "推理时显存不足 OOM，72B int4 两张 A100",
           "用 vLLM 加载 Qwen-72B-Chat-Int4，两张 A100 40G，启动时显存不足。",
           "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 896.00 MiB",
           ["vllm 0.2.1", "2 x A100 40GB"],
           comments=[("qwen-maintainer", M, "把 gpu_memory_utilization 调低或者减少 max_model_len 试试。"),
                     ("user", "NONE", "max_model_len 改成 4096 可以了")],
           gold=[("Crash - CUDA Error - Out of Memory", "Configuration and Parameter Setting Errors - Inference Configuration Error", INF)]),
    report("meta-llama/llama", 9014, "2023-08-02T18:00:00Z",
           "NCCL error: unhandled system error when running 70B with torchrun on two nodes",
           "example_chat_completion.py with --nproc_per_node 8 on two nodes. Single node works.",
           "RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275, unhandled system error, "
           "NCCL version 2.14.3\nncclSystemError: System call (e.g. socket, malloc) or external library call failed or device error.",
           ["torch 2.0.1", "2 nodes x 8 A100", "InfiniBand"],
           comments=[("user", "NONE", "Setting NCCL_SOCKET_IFNAME to the right interface fixed it.")],
           gold=[("Crash - CUDA Error - Communication Error",
                  "Distributed and Parallel Computing Issues - Multi-GPU Communication Failure", INF)]),
    report("meta-llama/llama", 9015, "2023-07-21T09:40:00Z",
           "Loading 13B with MP=1 fails: size mismatch for layers.0.attention.wq.weight",
           "The 13B checkpoint comes in two shards; running it with nproc_per_node 1 fails.",
           "RuntimeError: Error(s) in loading state_dict for Transformer:\n"
           "\tsize mismatch for layers.0.attention.wq.weight: copying a param with shape torch.Size([2560, 5120]) "
           "from checkpoint, the shape in current model is torch.Size([5120, 5120]).",
           ["torch 2.0.1", "1 x A100 80GB"],
           comments=[("maintainer", M, "13B needs model parallel 2: run with --nproc_per_node 2, or reshard the checkpoint.")],
           gold=[("Crash - Value-related Error - ShapeError",
                  "Distributed and Parallel Computing Issues - Model Parallelism Mismatch", INF)]),
    report("QwenLM/Qwen", 9016, "2023-09-05T14:10:00Z",
           "RuntimeError: expected scalar type BFloat16 but found Float in LoRA training",
           "Training with bf16=True and the provided finetune.py, the crash happens in the first step.",
           "  File \"modeling_qwen.py\", line 482, in forward\n    attn_output = torch.matmul(attn_weights, value)\n"
           "RuntimeError: expected scalar type BFloat16 but found Float",
           ["transformers 4.32.0", "peft 0.5.0", "V100"],
           comments=[("qwen-maintainer", M, "V100 does not support bf16. Use fp16 or fp32 on this card.")],
           gold=[("Crash - Value-related Error - Runtime DType Mismatch",
                  "Environment Compatibility Issues - System Architecture Compatibility", FT)]),
    report("deepseek-ai/DeepSeek-Coder", 9017, "2024-02-11T06:00:00Z",
           "TypeError: generate() got an unexpected keyword argument 'streamer'",
           "Calling the model's chat helper with a TextStreamer as in the README example.",
           "TypeError: generate() got an unexpected keyword argument 'streamer'",
           ["transformers 4.25.1"],
           comments=[("deepseek-dev", M, "Streaming needs a newer transformers (>= 4.28).")],
           gold=[("Crash - Value-related Error - TypeError", "API Usage and Interface Issues - API Compatibility Issues", INF)]),
    report("QwenLM/Qwen2.5-Coder", 9018, "2024-11-20T12:00:00Z",
           "AttributeError: 'Qwen2Tokenizer' object has no attribute 'apply_chat_template'",
           "Our evaluation harness calls apply_chat_template on the tokenizer before generation.",
           "AttributeError: 'Qwen2Tokenizer' object has no attribute 'apply_chat_template'",
           ["transformers 4.33.2"],
           gold=[("Crash - Value-related Error - AttributeError",
                  "Environment Compatibility Issues -  Dependency Library Compatibility", INF)]),
    report("deepseek-ai/DeepSeek-V3", 9019, "2025-01-08T09:15:00Z",
           "Process killed while converting FP8 weights to BF16",
           "Running fp8_cast_bf16.py on a machine with 256GB RAM; the process dies without a traceback.",
           "Killed\n$ echo $?\n137",
           ["torch 2.4.1", "256GB RAM"],
           comments=[("deepseek-dev", M, "The conversion keeps shards in host memory; it needs more RAM or run it shard by shard.")],
           gold=[("Crash - Process Killed", "Hardware and Resource Limitations - CPU Memory Limitation", INF)]),
    report("deepseek-ai/DeepSeek-V3", 9020, "2025-01-15T22:00:00Z",
           "CUDA error: no kernel image is available for execution on the device (V100)",
           "Trying the FP8 inference demo on older GPUs.",
           "RuntimeError: CUDA error: no kernel image is available for execution on the device\n"
           "CUDA kernel errors might be asynchronously reported at some other API call.",
           ["torch 2.4.1", "8 x V100 32GB"],
           comments=[("deepseek-dev", M, "The FP8 kernels need compute capability 8.9 or newer.")],
           gold=[("Crash - CUDA Error - Kernel Error",
                  "Environment Compatibility Issues - System Architecture Compatibility", INF)]),
    report("meta-llama/codellama", 9021, "2023-09-12T16:45:00Z",
           "AssertionError: max_batch_size exceeded in infilling example",
           "Passing 8 prompts to example_infilling.py with the default max_batch_size.",
           "  File \"llama/generation.py\", line 142, in generate\n    assert bsz <= params.max_batch_size, (bsz, params.max_batch_size)\n"
           "AssertionError: (8, 4)",
           ["torch 2.0.1", "A10G"],
           comments=[("maintainer", M, "Pass --max_batch_size 8.")],
           gold=[("Crash - Assertion Failure", "API Usage and Interface Issues - Function Call Parameter Error", INF)]),
    report("QwenLM/Qwen", 9022, "2023-11-01T08:30:00Z",
           "CUBLAS_STATUS_NOT_SUPPORTED with int8 quantized model on T4",
           "Loading Qwen-7B-Chat-Int8 through AutoGPTQ and calling chat().",
           "RuntimeError: CUDA error: CUBLAS_STATUS_NOT_SUPPORTED when calling `cublasGemmEx( handle, opa, opb, m, n, k, "
           "&falpha, a, CUDA_R_16F, lda, b, CUDA_R_16F, ldb, &fbeta, c, CUDA_R_16F, ldc, CUDA_R_32F, CUBLAS_GEMM_DFALT_TENSOR_OP)`",
           ["auto-gptq 0.4.2", "Tesla T4"],
           gold=[("Crash - CUDA Error - CUBLAS Error", "Data and Computation Issues - Quantization Compatibility Issues", INF)]),
    report("QwenLM/Qwen2.5", 9023, "2024-10-20T05:05:00Z",
           "probability tensor contains either inf, nan or element < 0 with fp16",
           "Sampling with do_sample=True in float16 on a 2080 Ti crashes after a few tokens.",
           "RuntimeError: probability tensor contains either `inf`, `nan` or element < 0",
           ["transformers 4.45.2", "torch 2.4.0", "RTX 2080 Ti"],
           comments=[("qwen-maintainer", M, "fp16 overflows in this model; use bf16 or fp32 on GPUs without bf16.")],
           gold=[("Crash - Value-related Error - InvalidValue",
                  "Data and Computation Issues - Numerical Computation and Precision Issues", INF)]),
    report("deepseek-ai/DeepSeek-R1", 9024, "2025-02-03T13:00:00Z",
           "Ray worker died during multi-node serving of R1",
           "Serving R1 over two nodes with vLLM's Ray backend; one worker dies after a few minutes under load.",
           "ray.exceptions.ActorDiedError: The actor died unexpectedly before finishing this task.\n"
           "\tclass_name: RayWorkerWrapper\n\tThe actor is dead because its worker process has died. Worker exit type: SYSTEM_ERROR",
           ["vllm 0.7.0", "ray 2.40.0", "2 x 8 H20"],
           state="open",
           gold=[("Crash - Cluster Component Crash",
                  "Distributed and Parallel Computing Issues - Multi-process Synchronization", INF)]),

    # --- Incorrect functionality ---------------------------------------------------------------------
    report("QwenLM/Qwen2.5", 9025, "2024-09-28T10:30:00Z",
           "Qwen2.5-7B-Instruct keeps repeating the same sentence until max_new_tokens",
           "With greedy decoding the answer loops. The official demo does not loop for the same prompt.",
           None, ["transformers 4.44.0", "generation_config.json from an older download"],
           comments=[("qwen-maintainer", M, "Your generation_config lacks repetition_penalty=1.05 and the recommended top_p. "
                                            "Please re-download it or pass the values explicitly.")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Repetitive Generation",
                  "Configuration and Parameter Setting Errors - Inference Configuration Error", INF)]),
    report("QwenLM/Qwen", 9026, "2023-12-12T07:45:00Z",
           "微调后模型输出乱码",
           "用自己的数据做全参微调，训练 loss 正常，但推理输出全是乱码和感叹号。",
           "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
           ["transformers 4.35.0", "deepspeed 0.12.3", "fp16"],
           comments=[("qwen-maintainer", M, "fp16 训练会溢出，请用 bf16。")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Meaningless Generation",
                  "Data and Computation Issues - Numerical Computation and Precision Issues", FT)]),
    report("QwenLM/Qwen2.5", 9027, "2024-10-11T03:15:00Z",
           "<|im_end|> printed at the end of every answer with llama.cpp",
           "Converted the instruct model to GGUF and ran llama-cli; the end-of-turn marker appears in the text and "
           "generation does not stop.",
           "...the answer is 42.<|im_end|>\n<|im_start|>assistant\n...",
           ["llama.cpp b3800", "GGUF Q4_K_M"],
           comments=[("qwen-maintainer", M, "The eos token id in your GGUF is wrong; re-convert with the latest convert script.")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Special Token Anomaly",
                  "Tokenizer and Text Processing Issues - Control Token Issues", INF)]),
    report("meta-llama/llama3", 9028, "2024-05-02T19:00:00Z",
           "Llama 3 8B Instruct does not stop generating, eot_id ignored",
           "Using the HF pipeline, the model answers and then continues with a new user turn by itself.",
           "assistant<|eot_id|><|start_header_id|>user<|end_header_id|> ...",
           ["transformers 4.40.0"],
           comments=[("maintainer", M, "Add <|eot_id|> to eos_token_id in generate(): terminators = [tokenizer.eos_token_id, "
                                       "tokenizer.convert_tokens_to_ids(\"<|eot_id|>\")].")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Special Token Anomaly",
                  "Tokenizer and Text Processing Issues - Control Token Issues", INF)]),
    report("deepseek-ai/DeepSeek-R1", 9029, "2025-01-28T11:20:00Z",
           "R1 skips the <think> section in some answers",
           "About a third of the answers start directly with the final answer, without the thinking block.",
           None, ["vllm 0.7.0", "temperature 0.6"], state="open",
           comments=[("deepseek-dev", M, "Force the response to start with \"<think>\\n\" in the chat template.")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Reasoning Mode Anomaly",
                  "Configuration and Parameter Setting Errors - Inference Configuration Error", INF)]),
    report("deepseek-ai/DeepSeek-R1", 9030, "2025-02-10T09:00:00Z",
           "回答总是用英文，不遵循系统提示要求的中文",
           "系统提示要求用中文回答，但模型大多用英文回答。",
           None, ["ollama 0.5.7", "deepseek-r1:14b"],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Not Following Instructions",
                  "Configuration and Parameter Setting Errors - Inference Configuration Error", INF)]),
    report("meta-llama/llama", 9031, "2023-08-20T12:00:00Z",
           "Loss stays at 0.0 when fine-tuning Llama 2 7B with LoRA in fp16",
           "Training loss is 0.0 from step 10 on and the adapter changes nothing.",
           "{'loss': 0.0, 'learning_rate': 0.0002, 'epoch': 0.05}",
           ["peft 0.4.0", "transformers 4.31.0", "fp16"],
           comments=[("user", "NONE", "Switching to bf16 and padding side right solved it.")],
           gold=[("Incorrect Functionality - Fine-tuning Anomaly - Fine-tuning Convergence Anomaly",
                  "Configuration and Parameter Setting Errors - Fine-tuning Configuration Error", FT)]),
    report("QwenLM/Qwen2.5-Coder", 9032, "2024-11-25T10:10:00Z",
           "AWQ version much worse at code completion than the BF16 model",
           "HumanEval drops from 88 to 61 with the AWQ checkpoint served by vLLM.",
           None, ["vllm 0.6.3", "autoawq 0.2.6"], state="open",
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Model Capability Degradation",
                  "Data and Computation Issues - Quantization Compatibility Issues", INF)]),
    report("meta-llama/codellama", 9033, "2023-09-01T10:00:00Z",
           "Batch generation gives different results than single prompts",
           "With greedy decoding, the same prompt yields different completions depending on batch size.",
           None, ["torch 2.0.1"],
           comments=[("maintainer", M, "Left padding was not applied to the attention mask in the example; fixed in main.")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Output Consistency Anomaly",
                  "Algorithm Implementation Defects - Attention Mechanism Implementation Issues", INF)]),
    report("QwenLM/Qwen", 9034, "2023-10-30T04:00:00Z",
           "Answer truncated after about 512 tokens",
           "Long answers always stop mid-sentence.",
           None, ["transformers 4.34.0"],
           comments=[("qwen-maintainer", M, "max_new_tokens defaults to 512 in generation_config.json; raise it.")],
           gold=[("Incorrect Functionality - Generation Quality Anomaly - Incomplete Response",
                  "Configuration and Parameter Setting Errors - Inference Configuration Error", INF)]),

    # --- Loading failures ---------------------------------------------------------------------------
    report("QwenLM/Qwen2.5", 9035, "2024-09-30T09:45:00Z",
           "Tokenizer class Qwen2Tokenizer does not exist or is not currently imported",
           "AutoTokenizer fails for the 0.5B model.",
           "ValueError: Tokenizer class Qwen2Tokenizer does not exist or is not currently imported.",
           ["transformers 4.35.2"],
           comments=[("qwen-maintainer", M, "Upgrade transformers to >=4.37.")],
           gold=[("Loading Failure - Tokenizer Loading Error",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)]),
    report("deepseek-ai/DeepSeek-Coder", 9036, "2024-03-04T15:00:00Z",
           "safetensors_rust.SafetensorError: Error while deserializing header: MetadataIncompleteBuffer",
           "Downloaded the 33B instruct weights with git lfs; loading one shard fails.",
           "safetensors_rust.SafetensorError: Error while deserializing header: MetadataIncompleteBuffer",
           ["safetensors 0.4.2"],
           comments=[("deepseek-dev", M, "The shard is incomplete; re-download it and check its sha256.")],
           gold=[("Loading Failure - Model Loading Error - Validation Failed",
                  "Model Corruption Issues - Safetensor File Corruption", INF)]),
    report("meta-llama/llama", 9037, "2023-07-25T08:20:00Z",
           "ModuleNotFoundError: No module named 'fairscale'",
           "Following the README quick start on a new machine.",
           "ModuleNotFoundError: No module named 'fairscale'",
           ["python 3.10"],
           comments=[("maintainer", M, "Run `pip install -e .` in the repository first.")],
           gold=[("Loading Failure - Model Loading Error - Import Error",
                  "Environment Compatibility Issues - Dependency Library Compatibility", INF)]),

    # --- Hangs and slowness ---------------------------------------------------------------------------
    report("QwenLM/Qwen2.5", 9038, "2024-10-25T16:00:00Z",
           "DeepSpeed ZeRO-3 training stuck at the first step on 8 GPUs",
           "GPU utilisation is 100% but no step completes; no error after an hour.",
           None, ["deepspeed 0.15.1", "transformers 4.45.0", "8 x A800"], state="open",
           comments=[("user", "NONE", "py-spy shows all ranks waiting in all_gather."),
                     ("qwen-maintainer", M, "Try NCCL_P2P_DISABLE=1; some A800 boxes have broken P2P.")],
           gold=[("Hang - Fine-tuning Process Stuck",
                  "Distributed and Parallel Computing Issues - Multi-GPU Communication Failure", FT)]),
    report("meta-llama/llama", 9039, "2023-08-10T10:00:00Z",
           "Generation hangs forever with two processes when prompts differ in length",
           "With torchrun and two ranks, generation never returns if one rank receives a longer prompt.",
           None, ["torch 2.0.1", "2 x A10"],
           gold=[("Hang - Generation Process Stuck",
                  "Distributed and Parallel Computing Issues - Multi-process Synchronization", INF)]),
    report("deepseek-ai/DeepSeek-V3", 9040, "2025-01-20T10:00:00Z",
           "推理卡住：SGLang 启动后请求一直没有返回",
           "8 卡 H20 用 SGLang 部署，服务启动成功，但第一个请求一直卡住没有返回。",
           None, ["sglang 0.4.1", "8 x H20"], state="open",
           gold=[("Hang - Generation Process Stuck", "Environment Compatibility Issues - Dependency Library Compatibility", INF)]),
    report("QwenLM/Qwen2.5", 9041, "2024-11-12T02:00:00Z",
           "Only 3 tokens/s with Qwen2.5-72B-Instruct-GPTQ-Int4 on vLLM",
           "Throughput is far below the published speed benchmark for the same GPUs.",
           None, ["vllm 0.6.1", "2 x A100 80GB"],
           comments=[("qwen-maintainer", M, "You are using the exllama kernel; install the marlin-capable vLLM build and set "
                                            "quantization=gptq_marlin.")],
           gold=[("Poor Performance - Slow Inference Speed", "Data and Computation Issues - Quantization Compatibility Issues", INF)]),
    report("meta-llama/llama3", 9042, "2024-06-01T09:00:00Z",
           "Full fine-tuning of 8B is 5x slower than expected with FSDP",
           "Each step takes 40 s on 8 H100 with FSDP and activation checkpointing.",
           None, ["torch 2.3.0", "8 x H100"],
           comments=[("maintainer", M, "You are using FULL_SHARD with CPU offload enabled; disable offload.")],
           gold=[("Poor Performance - Slow Fine-tuning Speed",
                  "Configuration and Parameter Setting Errors - Fine-tuning Configuration Error", FT)]),
    report("QwenLM/Qwen", 9043, "2023-11-20T11:00:00Z",
           "cpu运行很慢，模型加载要十几分钟",
           "在没有 GPU 的机器上跑 Qwen-7B-Chat，加载模型就要十几分钟。",
           None, ["transformers 4.34.0", "32GB RAM"],
           gold=[("Poor Performance - Slow Loading Speed", "Hardware and Resource Limitations - CPU Memory Limitation", INF)]),

    # An issue with two failures: a crash and, once worked around, wrong output.
    report("QwenLM/Qwen", 9044, "2023-09-18T06:30:00Z",
           "Multi-GPU inference with device_map=auto crashes, and with one GPU the output is garbled",
           "With device_map=\"auto\" on 2 GPUs the chat call crashes; on a single GPU it runs but the output is garbage.",
           "RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cuda:1!",
           ["transformers 4.32.0", "accelerate 0.22.0", "2 x RTX 3090"],
           comments=[("qwen-maintainer", M, "Update to the latest modeling_qwen.py; the rotary cache was created on the wrong device "
                                            "and the kv cache was not moved.")],
           gold=[("Crash - CUDA Error - Device Error",
                  "Distributed and Parallel Computing Issues - Model Parallelism Mismatch", INF),
                 ("Incorrect Functionality - Generation Quality Anomaly - Meaningless Generation ",
                  "Algorithm Implementation Defects - KV Cache Management Issues", INF)]),

    # --- Not failure reports ------------------------------------------------------------------------
    report("QwenLM/Qwen2.5", 9045, "2024-10-01T09:00:00Z", "How to enable YaRN for 128K context?",
           "Is there an example config for using YaRN with vLLM for long documents?", labels=("question",),
           comments=[("qwen-maintainer", M, "Add rope_scaling {\"type\": \"yarn\", \"factor\": 4.0} to config.json.")]),
    report("meta-llama/llama3", 9046, "2024-05-10T09:00:00Z", "Feature request: release a 3B model",
           "A smaller model for edge devices would be great.", labels=("enhancement",), state="open"),
    report("deepseek-ai/DeepSeek-V3", 9047, "2025-01-10T09:00:00Z", "How to cite DeepSeek-V3?",
           "Is there a BibTeX entry for the technical report?", labels=("question",),
           comments=[("deepseek-dev", M, "See the Citation section of the README.")]),
    report("QwenLM/Qwen", 9048, "2023-09-25T09:00:00Z", "请问支持多轮对话的最大长度是多少？",
           "想了解一下 Qwen-14B-Chat 多轮对话的最大上下文长度。", labels=("question",),
           comments=[("qwen-maintainer", M, "8K。")]),
    report("meta-llama/codellama", 9049, "2023-08-30T09:00:00Z", "Documentation: explain the infilling format",
           "The README could show a full example of the <PRE> <SUF> <MID> format.", labels=("documentation",), state="open"),
    report("deepseek-ai/DeepSeek-Coder", 9050, "2024-01-05T09:00:00Z", "Announcement: DeepSeek-Coder 1.5 released",
           "New checkpoints are available on the hub.", labels=(), author="deepseek-dev"),
    report("QwenLM/Qwen2.5-Coder", 9051, "2024-11-15T09:00:00Z", "Which FIM tokens does the base model use?",
           "Trying to use it for code completion in an editor plugin.", labels=("question",),
           comments=[("qwen-maintainer", M, "<|fim_prefix|>, <|fim_suffix|>, <|fim_middle|>.")]),
    report("meta-llama/llama", 9052, "2023-07-30T09:00:00Z", "Download link expired",
           "The presigned URL from the email no longer works; how do I get a new one?", labels=("question",),
           comments=[("maintainer", M, "Request access again; links are valid for 24 hours.")]),

    # --- Pull requests ----------------------------------------------------------------------------------
    report("QwenLM/Qwen2.5", 9053, "2024-09-25T09:00:00Z", "docs: require transformers>=4.37 in README",
           "Adds the minimum transformers version to the quick start (see #9001).", labels=(), pull_request=True),
    report("meta-llama/llama", 9054, "2023-08-11T09:00:00Z", "Fix hang when ranks receive prompts of different length",
           "Broadcast the max prompt length before generation (fixes #9039).", labels=(), pull_request=True),
    report("deepseek-ai/DeepSeek-V3", 9055, "2025-01-16T09:00:00Z", "README: list supported GPUs for FP8 inference",
           "Clarifies that FP8 kernels need Ada or Hopper GPUs.", labels=(), pull_request=True),
]


def stamp(iso, hours):
    t = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ") + timedelta(hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def body_of(r):
    parts = [r["prose"]]
    if r["error"]:
        parts.append("```\n" + r["error"] + "\n```")
    if r["env"]:
        parts.append("Environment:\n" + "\n".join("- " + e for e in r["env"]))
    return "\n\n".join(parts)


def main():
    issues, comments, datasets, incidents = [], [], {}, []
    comment_id = 3900000001
    seen = set()
    for i, r in enumerate(REPORTS):
        key = (r["repo"], r["number"])
        assert key not in seen and r["number"] >= 9001, key
        seen.add(key)
        api = "https://api.github.com/repos/" + r["repo"]
        html = "https://github.com/%s/%s/%d" % (r["repo"], "pull" if r["pull_request"] else "issues", r["number"])
        thread = []
        for j, (login, association, text) in enumerate(r["comments"]):
            at = stamp(r["date"], 5 + 7 * j)
            thread.append({
                "url": "%s/issues/comments/%d" % (api, comment_id),
                "html_url": "https://github.com/%s/issues/%d#issuecomment-%d" % (r["repo"], r["number"], comment_id),
                "issue_url": "%s/issues/%d" % (api, r["number"]),
                "id": comment_id, "node_id": "IC_sample%d" % comment_id,
                "user": {"login": login, "id": 1000 + len(login), "type": "User"},
                "created_at": at, "updated_at": at, "author_association": association, "body": text,
            })
            comment_id += 1
        last = thread[-1]["created_at"] if thread else stamp(r["date"], 1)
        closed = stamp(last, 2) if r["state"] == "closed" else None
        issue = {
            "url": "%s/issues/%d" % (api, r["number"]),
            "repository_url": api,
            "html_url": html,
            "id": 2900000000 + r["number"],
            "node_id": "I_sample%d" % r["number"],
            "number": r["number"],
            "title": r["title"],
            "body": body_of(r) if r["prose"] else None,
            "user": {"login": r["author"], "id": 4242, "type": "User"},
            "labels": [{"id": 1 + k, "name": name, "color": "d73a4a"} for k, name in enumerate(r["labels"])],
            "state": r["state"],
            "state_reason": ("completed" if r["state"] == "closed" else None),
            "locked": False,
            "comments": len(thread),
            "created_at": r["date"],
            "updated_at": closed or last,
            "closed_at": closed,
            "author_association": "MEMBER" if r["author"].endswith("-dev") else "NONE",
        }
        if r["pull_request"]:
            issue["pull_request"] = {"url": "%s/pulls/%d" % (api, r["number"]), "html_url": html}
        issues.append(issue)
        comments.extend(thread)
        folder, name, model, architecture = REPOS[r["repo"]]
        for symptom, root_cause, stage in r["gold"]:
            records = datasets.setdefault((folder, name), [])
            records.append({"number": len(records) + 1, "link": html, "status": r["state"], "SYMPTOM": symptom,
                            "ROOT CAUSE": root_cause, "STAGE": stage, "model": model, "architecture": architecture})
        if r["incident"]:
            incidents.append((html, r["incident"], ""))
    # The re-filed report joins its original as a duplicate pair.
    incidents.append(("https://github.com/QwenLM/Qwen2.5/issues/9005", "duplicate-9001", "Duplicate of #9001"))
    incidents.append(("https://github.com/QwenLM/Qwen2.5/issues/9001", "duplicate-9001", "original"))

    os.makedirs(ROOT, exist_ok=True)
    with open(os.path.join(ROOT, "issues.json"), "w", encoding="utf-8") as f:
        json.dump(issues, f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(os.path.join(ROOT, "comments.json"), "w", encoding="utf-8") as f:
        json.dump(comments, f, ensure_ascii=False, indent=2)
        f.write("\n")
    for (folder, name), records in datasets.items():
        path = os.path.join(ROOT, "dataset", folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(records, f, ensure_ascii=False, indent=2)
            f.write("\n")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["issue_url", "incident", "note"])
    w.writerows(incidents)
    with open(os.path.join(ROOT, "incidents.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    failures = sum(1 for r in REPORTS if r["gold"])
    print("%d issues (%d pull requests), %d failure reports, %d records, %d comments" % (
        len(issues), sum(r["pull_request"] for r in REPORTS), failures, sum(len(r["gold"]) for r in REPORTS),
        len(comments)))


if __name__ == "__main__":
    main()
