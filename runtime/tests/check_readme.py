#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""runtime/README.md names every file in runtime/ (in backticks, `a.{h,cc}`
for a pair), and every file name it gives exists where it says (relative to
runtime/). Run by ctest as runtime_readme; prints what is missing."""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(HERE)
FILE_LIKE = re.compile(r"^[A-Za-z0-9_./-]+\.(h|cc|inc|cmake|py|txt|md)$")


def expand(token):
    """`a.{h,cc}` -> a.h, a.cc (one brace group)."""
    m = re.match(r"^(.*)\{([^}]*)\}(.*)$", token)
    if not m:
        return [token]
    return [m.group(1) + alt + m.group(3) for alt in m.group(2).split(",")]


def named(readme_text):
    text = re.sub(r"^```.*?^```", "", readme_text, flags=re.S | re.M)  # fenced blocks are pictures
    names = set()
    for token in re.findall(r"`([^`\n]+)`", text):
        for part in re.split(r",\s*", token) if "{" not in token else [token]:
            names.update(expand(part.strip()))
    return names


def main():
    readme = os.path.join(RUNTIME, "README.md")
    with open(readme) as f:
        names = named(f.read())
    files = []
    for root, dirs, entries in os.walk(RUNTIME):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for e in entries:
            rel = os.path.relpath(os.path.join(root, e), RUNTIME)
            if rel != "README.md":
                files.append(rel)
    unnamed = sorted(f for f in files if f not in names)
    missing = sorted(n for n in names if FILE_LIKE.match(n) and not os.path.exists(os.path.join(RUNTIME, n)))
    for f in unnamed:
        print("runtime/README.md does not name runtime/%s" % f)
    for n in missing:
        print("runtime/README.md names %s, which is not in runtime/" % n)
    print("%d files, %d named, %d unnamed, %d named but missing" % (len(files), len(files) - len(unnamed),
                                                                   len(unnamed), len(missing)))
    return 1 if unnamed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
