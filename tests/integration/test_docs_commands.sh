#!/usr/bin/env bash
# Every command block of the tutorial-like documents runs as written, in
# order, so the documents cannot drift from the program. For each document:
#
#   ```sh (or bash)   RUN. All blocks of one document run in order in ONE
#                     bash shell (`set -e -o pipefail`): the directory,
#                     variables and background jobs carry over from block to
#                     block, as for a reader typing them into one terminal.
#                     A failing command fails the test, naming DOC:LINE.
#                     (`! cmd` never fails a block: bash's errexit ignores
#                     it; write `[ "$(grep -c x f)" -eq 0 ]` instead.)
#   ```LANG file=NAME WRITTEN to NAME (relative to the shell's directory at
#                     that point) before the blocks after it run, e.g.
#                     ```c file=mycallout.c or ```yaml file=weather.yaml.
#   <!-- doc-test     RUN too, but not shown to readers: only checks of what
#   ... -->           the reader would see (a grep of the output) and waits a
#                     reader would do by eye; never something that changes
#                     what the shown commands do.
#   ```text, ```console, ```c, ```yaml ... (any other language)
#                     SHOWN, not run: synopses, output, fragments, commands
#                     that need what a test cannot have.
#   ``` (no language) or an indented code block: an ERROR, so that a new
#                     command cannot slip past this test; pick one of the above.
#
# Where the blocks run: in a fresh network namespace of their own (only lo,
# up: the fixed ports of the documents, 8080 and 8000, are free and nothing
# leaves the machine), as root, in a fresh directory holding a copy of
# examples/ (the reader stands at the top of the source tree), with this
# build installed by `cmake --install` into a prefix whose bin/ is first on
# PATH and whose lib/pkgconfig is PKG_CONFIG_PATH (the reader ran `make
# install`).
#
# Servers: a block may start one in the background (`cmd >log 2>&1 & pid=$!`)
# and wait until it says it is ready (`until grep -q "listening on" log; do
# sleep 0.1; done`), never a bare sleep. The document should stop what it
# started (`kill $pid`), as the reader must; whatever still runs when the
# last block is done is killed with the document's process group, and a
# document gets 300 s in all.
#
# A new section with commands: write them as ```sh blocks that run here;
# commands that cannot run here (another machine, Windows) go in ```text.
set -euo pipefail
: "${OWFP_BUILD_DIR:?}" "${OWFP_SOURCE_DIR:?}"
DOCS=(docs/writing-a-callout.md docs/proxy.md)

work=$(mktemp -d)
chmod 700 "$work"
trap '[ -n "${KEEP_TMP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0

cmake --install "$OWFP_BUILD_DIR" --prefix "$work/prefix" >"$work/install.log" 2>&1 \
	|| { cat "$work/install.log"; fail "cmake --install failed"; }
pcdir=$(dirname "$(find "$work/prefix" -name openwfp.pc | head -n1)")

for doc in "${DOCS[@]}"; do
	name=$(basename "$doc" .md)
	script="$work/$name.sh"
	(cd "$OWFP_SOURCE_DIR" && python3 tests/integration/lib/doc_blocks.py "$doc") >"$script" \
		|| fail "$doc breaks the block rules (see the header of this test)"
	grep -q '^__owfp_doc_at=' "$script" || fail "$doc: no block to run"
	dir="$work/$name"
	mkdir -p "$dir"
	cp -r "$OWFP_SOURCE_DIR/examples" "$dir/"
	rc=0
	# timeout puts itself and everything the document starts in one process
	# group (its own pid); that group is killed once the document is done.
	(cd "$dir" && PATH="$work/prefix/bin:$PATH" PKG_CONFIG_PATH="$pcdir" OWFP_DBGPRINT=0 \
		unshare --net bash -c '
			ip link set lo up
			timeout 300 bash "$1" >"$2" 2>&1 &
			pid=$!
			wait $pid; rc=$?
			kill -TERM -- -$pid 2>/dev/null
			for _ in $(seq 1 100); do kill -0 -- -$pid 2>/dev/null || break; sleep 0.05; done
			kill -KILL -- -$pid 2>/dev/null
			exit $rc' _ "$script" "$work/$name.log") || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$work/$name.log" >&2
		fail "$doc: its blocks did not run as written (exit $rc; log above)"
	fi
	if grep -rlE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$dir" "$work/$name.log" \
		--include='*.log' >/dev/null 2>&1; then
		grep -rE -A20 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$dir" "$work/$name.log" >&2 || true
		fail "$doc: a sanitizer report"
	fi
	echo "ok - $doc: $(grep -c '^### docs/' "$work/$name.log") blocks ran as written"
	passed=$((passed + 1))
done
echo "docs commands: $passed passed, 0 failed"
