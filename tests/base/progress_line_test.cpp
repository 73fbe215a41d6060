// Tests of base/progress_line.h: a status line rewritten in place, and nothing when off.
#include <doctest/doctest.h>

#include <sstream>

#include "base/progress_line.h"

using namespace firstmile;

TEST_CASE("a progress line rewrites itself and is erased when cleared or destroyed") {
  std::ostringstream out;
  {
    ProgressLine p(out, true);
    p.show("1 of 3");
    p.show("2 of 3");
    p.clear();
    p.clear();  // nothing shown: nothing to erase
    p.show("3 of 3");
  }
  CHECK(out.str() == "\r\033[K1 of 3\r\033[K2 of 3\r\033[K\r\033[K3 of 3\r\033[K");
}

TEST_CASE("a progress line that is off writes nothing") {
  std::ostringstream out;
  {
    ProgressLine p(out, false);
    p.show("1 of 3");
  }
  CHECK(out.str().empty());
}
