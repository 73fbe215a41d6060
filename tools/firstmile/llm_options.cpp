// llm_options.cpp — shared --llm-* flags.
#include "llm_options.h"

#include <iostream>

#include "base/error.h"

namespace firstmile {

void add_llm_options(CLI::App* cmd, LlmArgs& args) {
  cmd->add_option(
         "--llm-url", args.url,
         "OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, hosted), e.g. http://localhost:8000/v1;\n"
         "key from FIRSTMILE_LLM_API_KEY")
      ->envname("FIRSTMILE_LLM_URL");
  cmd->add_option("--llm-model", args.model, "Model name to ask")->envname("FIRSTMILE_LLM_MODEL");
  cmd->add_option("--llm-budget", args.budget, "At most this many LLM calls (cached answers are free); -1: no cap")
      ->capture_default_str();
  cmd->add_option("--llm-in-flight", args.in_flight, "LLM requests in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--llm-timeout", args.timeout, "Timeout of one LLM request, seconds")->capture_default_str();
}

LlmClientOptions llm_client_options(const LlmArgs& args, bool rules_route) {
  if (rules_route) throw Error("--llm-url is for --route hybrid or llm");
  if (args.model.empty()) throw Error("--llm-url needs --llm-model");
  LlmClientOptions o;
  o.base_url = args.url;
  o.model = args.model;
  o.api_key = llm_api_key_from_env();
  o.budget = args.budget;
  o.in_flight = args.in_flight;
  o.timeout_seconds = args.timeout;
  o.notice = [](const std::string& line) { std::cerr << "firstmile: " << line << "\n"; };
  return o;
}

}  // namespace firstmile
