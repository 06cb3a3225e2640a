#!/usr/bin/env python3
"""The include rule of docs/ARCHITECTURE.md, checked on the source tree.

Layers point one way: cli -> engine -> backends -> core; report is used by cli
only and itself uses core only. A backend sees only the backend interface and
core, never another backend's files; the engine sees the backend interface
(src/backends/*.h), not a backend's own files.
usage: check_layers.py SRC_DIR      exit 1 and one line per breach, else 0
"""
import os
import re
import sys

ALLOWED = {
    "core": {"core"},
    "backends": {"backends", "core"},
    "engine": {"engine", "backends", "core"},
    "report": {"report", "core"},
    "cli": {"cli", "engine", "backends", "report", "core"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel):
    return rel.split("/", 1)[0]


def breaches(src):
    out = []
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            me = layer_of(rel)
            if me not in ALLOWED:
                out.append("%s: not in a layer folder (%s)" % (rel, ", ".join(sorted(ALLOWED))))
                continue
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if "/" not in inc:
                        out.append("%s:%d: include \"%s\" does not name its layer" % (rel, n, inc))
                        continue
                    them = layer_of(inc)
                    if them not in ALLOWED[me]:
                        out.append("%s:%d: %s includes %s (%s may use %s only)"
                                   % (rel, n, me, inc, me, ", ".join(sorted(ALLOWED[me]))))
                        continue
                    parts = inc.split("/")
                    # Inside backends: one backend never includes another's files.
                    if me == "backends" and len(parts) > 2:
                        mine = rel.split("/")[1] if rel.count("/") >= 2 else None
                        if parts[1] != mine:
                            out.append("%s:%d: includes another backend's %s" % (rel, n, inc))
                    # The engine sees the interface, not a backend's insides.
                    if me == "engine" and them == "backends" and len(parts) > 2:
                        out.append("%s:%d: engine includes a backend's own %s" % (rel, n, inc))
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "src")
    found = breaches(src)
    for line in found:
        print(line)
    print("%d include rule breaches" % len(found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
