#!/usr/bin/env bash
# test.sh — install what is missing, configure, build and run every test.
# Tests that need ../shared (the reference data) are reported as skipped when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
werror=OFF
if [ -n "${CI:-}" ]; then werror=ON; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIRSTMILE_WERROR="$werror" >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
