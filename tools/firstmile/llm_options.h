// llm_options.h — the --llm-* flags `classify` and `aggregate` share, and the client they make.
#pragma once

#include <CLI/CLI.hpp>

#include "llm/llm_client.h"

namespace firstmile {

struct LlmArgs {
  std::string url, model;
  int64_t budget = -1;
  int in_flight = 4;
  double timeout = 120;
};

// --llm-url, --llm-model, --llm-budget, --llm-in-flight, --llm-timeout on `cmd`.
void add_llm_options(CLI::App* cmd, LlmArgs& args);

// The client options for the flags (the key from FIRSTMILE_LLM_API_KEY); throws Error when
// --llm-url comes without --llm-model or with the rules-only route.
LlmClientOptions llm_client_options(const LlmArgs& args, bool rules_route);

}  // namespace firstmile
