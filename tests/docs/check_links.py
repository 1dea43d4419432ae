#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every relative markdown link in the project's documents names a file or
folder that exists, and every #anchor names a heading of its target.

Usage: check_links.py [REPO_ROOT]   (default: two levels above this file)

Checked: README.md, docs/*.md, policies/README.md, compiler/README.md and
compiler/*/README.md. Links inside fenced code blocks and inline code are
not links. Anchors are GitHub's: the heading lowercased, everything but
letters, digits, '-', '_' and spaces dropped, spaces turned into '-', and
'-1', '-2', ... appended to repeats.
"""
import glob
import os
import re
import sys

LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def documents(root):
    names = ["README.md", "policies/README.md", "compiler/README.md"]
    names += sorted(glob.glob("docs/*.md", root_dir=root))
    names += sorted(glob.glob("compiler/*/README.md", root_dir=root))
    return [n for n in names if os.path.isfile(os.path.join(root, n))]


def prose_lines(text):
    """(line number, line) outside fenced code blocks, inline code removed."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "", line)


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)  # a link's text
    s = "".join(c for c in s if c.isalnum() or c in "-_ ")
    return s.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        seen = {}
        found = set()
        fenced = False
        with open(path, encoding="utf-8") as f:
            for line in f:
                if FENCE.match(line):
                    fenced = not fenced
                    continue
                m = None if fenced else HEADING.match(line)
                if not m:
                    continue
                base = slug(m.group(2).replace("`", ""))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f"{base}-{n}")
        cache[path] = found
    return cache[path]


def check(root):
    problems = []
    for doc in documents(root):
        path = os.path.join(root, doc)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for number, line in prose_lines(text):
            for m in LINK.finditer(line):
                target = m.group(1)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, mailto:, ...
                    continue
                file_part, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                where = f"{doc}:{number}: link '{target}'"
                if not os.path.exists(dest):
                    problems.append(f"{where}: {os.path.relpath(dest, root)} does not exist")
                elif anchor:
                    if not dest.endswith(".md") or os.path.isdir(dest):
                        problems.append(f"{where}: an anchor into a file that is not markdown")
                    elif anchor not in anchors(dest):
                        problems.append(f"{where}: no heading '#{anchor}' in {os.path.relpath(dest, root)}")
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    problems = check(os.path.abspath(root))
    for p in problems:
        print(p)
    count = len(documents(os.path.abspath(root)))
    print(f"{len(problems)} broken link{'s' if len(problems) != 1 else ''} in {count} documents")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
