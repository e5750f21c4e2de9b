#!/usr/bin/env bash
# Static analysis: cppcheck and clang-tidy over the library, data paths and CLI.
# Uses the compile database of BUILD (default build/). Fails on any finding.
set -euo pipefail
build=${1:-build}
cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
srcs=$(git ls-files 'src/*.c')
echo "== cppcheck"
cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,portability,performance \
	--suppress=missingIncludeSystem --suppress=unusedStructMember \
	-D__GNUC__ -D_GNU_SOURCE -I include -I include/openwfp -I src $srcs
echo "== clang-tidy"
# shellcheck disable=SC2086
clang-tidy -p "$build" --quiet $srcs 2>&1 | grep -v "warnings generated" || true
clang-tidy -p "$build" --quiet $srcs >/dev/null 2>&1
echo "lint: clean"
