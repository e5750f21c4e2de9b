#!/usr/bin/env bash
# Static analysis: the layout of changed files (.clang-format), the layer
# order of #include lines, no function over 150 lines (universal-ctags),
# cppcheck and clang-tidy
# over the library, data paths and CLI. Uses the compile database of BUILD
# (default build/). Fails on any finding.
set -euo pipefail
build=${1:-build}
echo "== format"
./scripts/format.sh check
echo "== layers"
python3 scripts/check_layers.py src
echo "== function length"
python3 scripts/check_function_length.py src
cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
srcs=$(git ls-files 'src/*.c')
echo "== cppcheck"
cppcheck -j"$(nproc)" --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,portability,performance \
	--suppress=missingIncludeSystem --suppress=unusedStructMember \
	--library=scripts/cppcheck-jansson.cfg \
	-D__GNUC__ -D_GNU_SOURCE -I include -I include/openwfp -I src $srcs
echo "== clang-tidy"
# One run over all files, in parallel; warnings are errors, so its exit
# status decides.
tidy_rc=0
# shellcheck disable=SC2086
tidy_out=$(printf '%s\n' $srcs | xargs -P"$(nproc)" -n8 clang-tidy -p "$build" --quiet 2>&1) ||
	tidy_rc=$?
printf '%s\n' "$tidy_out" | grep -v "warnings generated" || true
[ "$tidy_rc" -eq 0 ] || { echo "lint: clang-tidy findings"; exit 1; }
echo "lint: clean"
