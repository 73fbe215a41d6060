// Aggregation: library versions, pair decisions, groups, pairwise scores, and held-out storms.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "aggregate/aggregate.h"
#include "aggregate/storms.h"
#include "classify/features.h"

using namespace firstmile;

TEST_CASE("library versions are read as library and major.minor, whatever the spelling") {
  std::vector<std::string> v = library_versions("pip install transformers==4.45.0 and vLLM 0.5.3; flash_attn 2.5.8, PyTorch v2.1");
  CHECK(v == std::vector<std::string>{"transformers 4.45.0", "vllm 0.5.3", "flash-attn 2.5.8", "torch 2.1"});
  CHECK(library_versions("peft 0.6.2 does not accept layer_replication") == std::vector<std::string>{"peft 0.6.2"});
  CHECK(library_versions("no versions here").empty());
}
