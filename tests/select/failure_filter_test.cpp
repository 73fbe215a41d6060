// Tests of select/failure_filter.h: the funnel's keyword step.
#include <doctest/doctest.h>

#include "select/failure_filter.h"

using namespace firstmile;

TEST_CASE("the failure filter matches word starts, exception names, Chinese terms and bug labels") {
  FailureFilter f = FailureFilter::load();
  CHECK(f.matches("Training failed after 3 epochs", "", {}));
  CHECK(f.matches("KeyError: 'qwen2'", "", {}));
  CHECK(f.matches("推理时显存不足", "", {}));
  CHECK(f.matches("Question", "", {"Bug"}));
  CHECK_FALSE(f.matches("How to cite the paper?", "Thanks for the great work", {"question"}));
  CHECK_FALSE(f.matches("Terror of the deep", "", {}));  // 'error' inside a word is not a keyword
}
