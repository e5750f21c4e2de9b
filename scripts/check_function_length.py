#!/usr/bin/env python3
"""Fails when a function in src/ is longer than 150 lines (issue 18).

A function that long does several jobs; split it into helpers whose names say
what each does. Lengths come from universal-ctags (the line of the signature
to the line of the closing brace), so no C parsing of our own.

Usage: scripts/check_function_length.py [--max N] [DIR...]   (default: src)
"""
import argparse
import json
import shutil
import subprocess
import sys


def functions(dirs):
    """(length, path, line, name) of every C function definition below dirs."""
    out = subprocess.run(
        ["ctags", "--output-format=json", "--fields=+ne", "--kinds-C=f",
         "--languages=C,C++", "-f", "-", "-R", *dirs],
        check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        tag = json.loads(line)
        if tag.get("_type") == "tag" and "end" in tag:
            yield tag["end"] - tag["line"] + 1, tag["path"], tag["line"], tag["name"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=150, help="longest allowed, in lines")
    ap.add_argument("dirs", nargs="*", default=["src"])
    args = ap.parse_args()
    if not shutil.which("ctags"):
        sys.exit("check_function_length: needs universal-ctags (scripts/install-deps.sh)")
    long = sorted((f for f in functions(args.dirs) if f[0] > args.max), reverse=True)
    for n, path, line, name in long:
        print(f"{path}:{line}: {name} is {n} lines (at most {args.max}): "
              "split it into functions that each do one job")
    if long:
        sys.exit(1)
    print(f"function length: every function in {' '.join(args.dirs)} "
          f"has at most {args.max} lines")


if __name__ == "__main__":
    main()
