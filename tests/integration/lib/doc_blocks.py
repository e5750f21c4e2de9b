#!/usr/bin/env python3
"""Turns a Markdown document into the bash script its blocks make, for
tests/integration/test_docs_commands.sh (whose header states the rules):
  ```sh / ```bash        run, in order, in one shell
  ```LANG file=NAME      written to NAME (relative to the shell's directory then)
  <!-- doc-test ... -->  run, but not shown to readers (checks and waits only)
  any other language     shown, not run
A fence without a language and an indented code block are errors, so a new
command cannot slip past the test unnoticed.

    doc_blocks.py DOC.md > script.sh     (exit 1 and a message on an error)
"""
import re
import shlex
import sys

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
EOF_MARK = "__OWFP_DOC_EOF__"


def blocks(path, lines):
    """Yields (kind, line number, info, text) for each block, kind in
    'code', 'hidden'; raises ValueError for a block the rules forbid."""
    i, n = 0, len(lines)
    prev_blank, para_is_list, in_list = True, False, False
    while i < n:
        line = lines[i]
        m = FENCE.match(line)
        if m:
            indent, fence, info = m.group(1), m.group(2), m.group(3).strip()
            start = i + 1
            body = []
            i += 1
            while i < n and not re.match(r"^\s*" + re.escape(fence[0]) + "{%d,}\s*$" % len(fence), lines[i]):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            if i >= n:
                raise ValueError(f"{path}:{start}: fence never closed")
            if not info:
                raise ValueError(f"{path}:{start}: a fenced block without a language: write ```sh "
                                 "to have it run by tests/integration/test_docs_commands.sh, or "
                                 "```text (```console, ```c, ...) if it is not meant to run")
            yield "code", start, info, "\n".join(body) + "\n"
            i += 1
            prev_blank = False
            continue
        if line.strip().startswith("<!-- doc-test"):
            start = i + 1
            text = line.strip()[len("<!-- doc-test"):]
            body = []
            while "-->" not in text:
                body.append(text)
                i += 1
                if i >= n:
                    raise ValueError(f"{path}:{start}: <!-- doc-test never closed")
                text = lines[i]
            body.append(text[:text.index("-->")])
            yield "hidden", start, "", "\n".join(body) + "\n"
            i += 1
            prev_blank = False
            continue
        if not line.strip():
            prev_blank = True
            i += 1
            continue
        # An indented code block: 4+ spaces after a blank line, not inside a list.
        indent = len(line) - len(line.lstrip(" "))
        if prev_blank and indent >= 4 and not in_list:
            raise ValueError(f"{path}:{i + 1}: an indented code block: use a fenced one "
                             "(```sh to run it, ```text if it is not meant to run)")
        if indent == 0:
            in_list = bool(LIST_ITEM.match(line))
            if line.startswith("#") or line.startswith("|"):
                in_list = False
        elif LIST_ITEM.match(line):
            in_list = True
        prev_blank = False
        i += 1


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    try:
        for kind, line, info, text in blocks(path, lines):
            words = info.split()
            lang = words[0] if words else ""
            files = [w[len("file="):] for w in words[1:] if w.startswith("file=")]
            where = f"{path}:{line}"
            if kind == "hidden":
                out.append(f"__owfp_doc_at={shlex.quote(where + ' (doc-test)')}")
                out.append(text)
            elif files:
                if EOF_MARK in text:
                    raise ValueError(f"{where}: the block contains {EOF_MARK}")
                out.append(f"__owfp_doc_at={shlex.quote(where)}")
                out.append(f"echo \"### $__owfp_doc_at: writes {files[0]}\" >&2")
                out.append(f"cat > {shlex.quote(files[0])} <<'{EOF_MARK}'\n{text}{EOF_MARK}")
            elif lang in ("sh", "bash", "shell"):
                out.append(f"__owfp_doc_at={shlex.quote(where)}")
                out.append("echo \"### $__owfp_doc_at\" >&2")
                out.append(text)
    except ValueError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
    print("set -e -o pipefail")
    print("trap 'echo \"FAILED at $__owfp_doc_at (exit $?): $BASH_COMMAND\" >&2' ERR")
    print("\n".join(out))
    print("echo '### end of document' >&2")


if __name__ == "__main__":
    main()
