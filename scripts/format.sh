#!/usr/bin/env bash
# Layout of the C sources by .clang-format (clang-format from Debian 12).
#   format.sh check   the C files changed since the formatting baseline must
#                     be laid out as clang-format would (part of make lint)
#   format.sh fix     lays out those files (make format)
#   format.sh all     lays out every tracked C file and moves the baseline
#                     here (make format-all: once, when the tree is formatted)
# The baseline is the last commit that changed .clang-format-base: files no
# commit has touched since then are not checked, so a tree that predates the
# layout is not failed wholesale before it is formatted in one commit.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
cf=${CLANG_FORMAT:-clang-format}
command -v "$cf" >/dev/null || { echo "format: $cf not found (scripts/install-deps.sh installs it)"; exit 1; }
is_c='\.(c|h|cc|cpp)$'

all_files() { git ls-files | grep -E "$is_c" || true; }
changed_files() {
	local base
	base=$(git log -1 --format=%H -- .clang-format-base)
	[ -n "$base" ] || { echo "format: .clang-format-base is not committed" >&2; exit 1; }
	{ git diff --name-only --diff-filter=ACMR "$base" -- ; git ls-files --others --exclude-standard; } |
		grep -E "$is_c" | sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done
}

case $mode in
check)
	mapfile -t files < <(changed_files)
	[ ${#files[@]} -eq 0 ] && { echo "format: nothing changed since the baseline"; exit 0; }
	if ! "$cf" --dry-run --Werror "${files[@]}" 2>/dev/null; then
		"$cf" --dry-run "${files[@]}" 2>&1 | grep -E '^[^ ].*: (error|warning):' | head -20
		echo "format: these files are not laid out as .clang-format says; run make format"
		exit 1
	fi
	echo "format: ${#files[@]} changed files laid out"
	;;
fix)
	mapfile -t files < <(changed_files)
	[ ${#files[@]} -eq 0 ] || "$cf" -i "${files[@]}"
	;;
all)
	all_files | xargs "$cf" -i
	echo "tree formatted by scripts/format.sh all ($("$cf" --version | head -1))" > .clang-format-base
	echo "format: every C file laid out; commit them together with .clang-format-base"
	;;
*)
	echo "usage: $0 check|fix|all" >&2
	exit 2
	;;
esac
