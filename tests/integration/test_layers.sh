#!/usr/bin/env bash
# scripts/check_layers.py (run by `make lint`): src/ as it is passes, and an
# include that runs up a layer, across to a sibling, or into a folder's
# internal header fails with the file and line named.
set -euo pipefail
: "${OWFP_SOURCE_DIR:?}"
CHECK="python3 $OWFP_SOURCE_DIR/scripts/check_layers.py"
T=$(mktemp -d /tmp/owfp-layers.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

$CHECK "$OWFP_SOURCE_DIR/src" >/dev/null || fail "src/ has an include against the layer order"
echo "ok - src/: every include points down"

# must_fail NAME FILE LINE: a copy of src/ with LINE added to FILE is refused.
must_fail() {
	rm -rf "$T/src"
	cp -r "$OWFP_SOURCE_DIR/src" "$T/src"
	printf '%s\n' "$3" >>"$T/src/$2"
	if $CHECK "$T/src" 2>"$T/err"; then fail "$1: accepted"; fi
	grep -q "src/$2:[0-9]*: #include" "$T/err" || fail "$1: the file is not named: $(cat "$T/err")"
	echo "ok - refused: $1"
}
must_fail "engine includes the stream layer above it" engine/engine.c '#include "stream/flow.h"'
must_fail "proxy includes its sibling replay" proxy/app.c '#include "replay/replay.h"'
must_fail "stream includes the engine's internal header" stream/flow.c '#include "engine/engine_internal.h"'
must_fail "cli includes a header internal to replay" cli/cmd_replay.c '#include "replay/local.h"'
