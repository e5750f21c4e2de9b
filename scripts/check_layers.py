#!/usr/bin/env python3
"""Layers point down: fails when an #include in src/ runs up a layer, across
to a sibling, or into another folder's internal header (docs/architecture.md).

    cli -> replay | proxy -> host -> config / callouts / capture
        -> stream -> engine -> buffer / wdm -> util

ALLOWED lists, for each folder, the folders whose headers it may include
(besides its own and the public include/openwfp/). A header is internal to
its folder when its name ends in _internal.h / _int.h, is internal.h, or its
opening comment says "Internal to src/<folder>": only its own folder may
include it, whatever ALLOWED says.

usage: scripts/check_layers.py [SRC_DIR]   (default: src)
"""
import os
import re
import sys

# The order, top to bottom (docs/architecture.md): cli; replay | proxy;
# host; config | callouts | capture; stream; engine; wdf; buffer | wdm; util.
# A folder may include any folder BELOW it (not a sibling, never one above);
# cc (openwfp-cc) stands apart and uses only util.
_BELOW = {
    "util": set(),
    "wdm": {"util"},
    "buffer": {"util"},
    "wdf": {"wdm", "util"},
    "engine": {"buffer", "wdm", "util"},
    "stream": {"engine", "buffer", "wdm", "util"},
    "capture": {"util"},
}
_BELOW["config"] = {"stream"} | _BELOW["stream"] | {"wdf"}
_BELOW["callouts"] = {"stream"} | _BELOW["stream"]
_BELOW["host"] = {"config", "callouts", "capture"} | _BELOW["config"]
_BELOW["replay"] = {"host"} | _BELOW["host"]
_BELOW["proxy"] = {"host"} | _BELOW["host"]
_BELOW["cli"] = {"replay", "proxy"} | _BELOW["replay"]
_BELOW["cc"] = {"util"}
ALLOWED = _BELOW

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def internal(src, folder, header):
    name = os.path.basename(header)
    if name == "internal.h" or name.endswith("_internal.h") or name.endswith("_int.h"):
        return True
    try:
        with open(os.path.join(src, header), encoding="utf-8") as f:
            head = f.read(1024)
    except OSError:
        return False
    return f"Internal to src/{folder}" in head.split("*/", 1)[0].replace("\n *", "")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    bad = []
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            continue
        if folder not in ALLOWED:
            bad.append(f"{path}/: a folder with no row in ALLOWED (scripts/check_layers.py): "
                       "say which layers it may include")
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith((".c", ".h")):
                continue
            file = os.path.join(path, name)
            with open(file, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m or "/" not in m.group(1):
                        continue
                    header = m.group(1)
                    to = header.split("/", 1)[0]
                    if to == "openwfp" or to == folder:
                        continue
                    where = f"{file}:{n}: #include \"{header}\""
                    if to not in ALLOWED:
                        continue  # not a folder of src/ (a system path)
                    if to not in ALLOWED[folder]:
                        bad.append(f"{where}: {folder} may not include {to} (allowed: "
                                   f"{', '.join(sorted(ALLOWED[folder])) or 'none'}); "
                                   "move what it needs down or into include/openwfp/")
                    elif internal(src, to, header):
                        bad.append(f"{where}: {header} is internal to src/{to}")
    for b in bad:
        print(b, file=sys.stderr)
    if bad:
        print(f"check_layers: {len(bad)} include(s) against the layer order", file=sys.stderr)
        return 1
    print("check_layers: every include points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
