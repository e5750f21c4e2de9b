#!/usr/bin/env bash
# The public headers (include/openwfp) compile as Windows callouts expect:
# each header on its own, as C11/C17 with -Wall -Wextra -Werror -pedantic
# (gcc and clang) and as C++ (g++ and clang++); a Microsoft-style stream
# callout compiles unchanged; DEFINE_GUID honours INITGUID; and the
# library exports the WDM runtime and the FWPM GUIDs the headers declare.
set -euo pipefail

src=${OWFP_SOURCE_DIR:?}
build=${OWFP_BUILD_DIR:?}
inc=$src/include/openwfp
here=$src/tests/integration/headers
tmp=$(mktemp -d "$build/headers-compile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cflags=(-Wall -Wextra -Werror -pedantic -I"$inc")
# C++ cannot silence these two from inside a header (g++ lexes the whole
# file first), so C++ callouts need them on the command line.
cxxflags=(-Wall -Wextra -Werror -pedantic -Wno-multichar -Wno-unknown-pragmas -I"$inc")
fail=0

check() { # description, command...
	local what=$1
	shift
	if ! "$@" 2>"$tmp/err"; then
		echo "FAIL: $what" >&2
		cat "$tmp/err" >&2
		fail=1
	fi
}

for h in "$inc"/*.h; do
	name=$(basename "$h")
	# Twice, to check the include guard; the typedef keeps the TU non-empty.
	printf '#include <%s>\n#include <%s>\ntypedef int owfp_nonempty;\n' "$name" "$name" >"$tmp/one.c"
	cp "$tmp/one.c" "$tmp/one.cpp"
	for std in c11 c17; do
		check "$name alone, gcc -std=$std" gcc -std=$std "${cflags[@]}" -fsyntax-only "$tmp/one.c"
	done
	check "$name alone, clang -std=c11" clang -std=c11 "${cflags[@]}" -fsyntax-only "$tmp/one.c"
	check "$name alone, g++ -std=c++17" g++ -std=c++17 "${cxxflags[@]}" -fsyntax-only "$tmp/one.cpp"
	check "$name alone, clang++ -std=c++11" clang++ -std=c++11 "${cxxflags[@]}" -fsyntax-only "$tmp/one.cpp"
done

sample=$here/ms_style_callout.c
for std in c11 c17; do
	check "sample callout, gcc -std=$std" gcc -std=$std -fPIC "${cflags[@]}" -c "$sample" -o "$tmp/sample.o"
	check "sample callout, gcc -std=$std -DNDEBUG -O2" gcc -std=$std -DNDEBUG -O2 "${cflags[@]}" -c "$sample" -o "$tmp/sample-ndebug.o"
done
check "sample callout, clang" clang -std=c11 "${cflags[@]}" -c "$sample" -o "$tmp/sample-clang.o"
for std in c++11 c++17; do
	check "C++ callout, g++ -std=$std" g++ -std=$std "${cxxflags[@]}" -c "$here/cxx_headers.cpp" -o "$tmp/cxx.o"
	check "C++ callout, clang++ -std=$std" clang++ -std=$std "${cxxflags[@]}" -c "$here/cxx_headers.cpp" -o "$tmp/cxx-clang.o"
done

# DEFINE_GUID after INITGUID defines (weakly, like selectany); before it, declares.
if [[ -f $tmp/sample.o ]]; then
	nm "$tmp/sample.o" | grep -Eq ' [Vv] SAMPLE_STREAM_CALLOUT_V4$' ||
		{ echo "FAIL: INITGUID did not define SAMPLE_STREAM_CALLOUT_V4 (weak)" >&2; fail=1; }
	nm "$tmp/sample.o" | grep -Eq ' U FWPM_LAYER_STREAM_V4$' ||
		{ echo "FAIL: FWPM_LAYER_STREAM_V4 should only be declared when fwpmk.h came before INITGUID" >&2; fail=1; }
fi
printf '#include <initguid.h>\n#include <fwpmk.h>\nconst GUID *owfp_probe(void);\nconst GUID *owfp_probe(void) { return &FWPM_SUBLAYER_UNIVERSAL; }\n' >"$tmp/init.c"
check "INITGUID before fwpmk.h" gcc -std=c11 "${cflags[@]}" -c "$tmp/init.c" -o "$tmp/init.o"
nm "$tmp/init.o" | grep -Eq ' [Vv] FWPM_LAYER_STREAM_V4$' ||
	{ echo "FAIL: INITGUID before fwpmk.h did not define FWPM_LAYER_STREAM_V4" >&2; fail=1; }

# The library provides every FWPM GUID and the WDM/NDIS runtime the sample uses.
lib=$build/src/libopenwfp.so
exports=$(nm -D --defined-only "$lib" | awk '{print $3}')
for g in $(grep -o 'DEFINE_GUID(FWPM_[A-Z0-9_]*' "$inc/fwpmk.h" | sed 's/DEFINE_GUID(//'); do
	grep -qx "$g" <<<"$exports" || { echo "FAIL: libopenwfp does not define $g" >&2; fail=1; }
done
# Every function the WFP-named headers declare (not static inline) is defined
# by the library, so a callout never meets a declared-but-missing routine.
printf '#include <ntddk.h>\n#include <ndis.h>\n#include <fwpsk.h>\n#include <fwpmk.h>\n#include <ntstrsafe.h>\n#include <wdmsec.h>\ntypedef int owfp_nonempty;\n' >"$tmp/aux.c"
gcc -std=c11 -I"$inc" -aux-info "$tmp/aux.txt" -fsyntax-only "$tmp/aux.c"
declared=$(grep -F "$inc/" "$tmp/aux.txt" | grep -v ' static ' | sed -E 's|^/\*[^*]*\*/ *||' |
	grep -oE '[A-Za-z_][A-Za-z0-9_]* \(' | sed 's/ (//' | sort -u)
[[ $(wc -l <<<"$declared") -gt 60 ]] || { echo "FAIL: found too few declarations in the headers" >&2; fail=1; }
for f in $declared; do
	grep -qx "$f" <<<"$exports" || { echo "FAIL: $f is declared in include/openwfp but libopenwfp does not define it" >&2; fail=1; }
done

# The sample links as a plugin would, with nothing left unresolved.
if [[ -f $tmp/sample.o ]]; then
	check "sample callout links against libopenwfp" \
		gcc -shared -Wl,--no-undefined "$tmp/sample.o" -o "$tmp/sample.so" -L"$(dirname "$lib")" -lopenwfp
fi

exit $fail
