#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The SPDX line of every source file (issue 13).

  source_headers.py --check ROOT   list the source files that lack the line; exit 1 if any
  source_headers.py --add ROOT     add the line where it is missing (.ci/format runs this)

Which files are sources, and where the line goes:
  - C, C++, protobuf, JavaScript/TypeScript: `// SPDX-...` as line 1;
  - flex and bison (.l, .y): `/* SPDX-... */` as line 1 (flex copies an
    unindented comment of its definitions section to its output);
  - CMake, Python, shell, bash and zsh completion: `# SPDX-...` as line 1, or
    line 2 after a `#!` or `#compdef` line;
  - the policy language and Kafel (.policy, .kafel): as the LAST line
    (`# ...`, `// ...`), so that no line number moves: diagnostics in tests,
    generated/ (`policies/base.policy:59`) and docs name policy lines.
Files whose first lines say "generated ... do not edit" are checked but never
edited: their generator writes the line (compiler/emit/emit_cpp.cc, the
gen_*.cmake scripts). Not sources, so not checked: documentation (.md, .scd),
JSON and other data, LICENSE and packaging metadata, fuzz inputs
(tests/fuzz/regressions/).
"""

import os
import subprocess
import sys

TAG = "SPDX-License-Identifier: Apache-2.0"
SKIP_DIRS = ("tests/fuzz/regressions/",)

LINE_COMMENT = {".cc", ".h", ".c", ".inc", ".proto", ".ts", ".js", ".mjs"}
BLOCK_COMMENT = {".l", ".y"}
HASH_COMMENT = {".py", ".sh", ".bash", ".cmake"}
AT_END = {".policy": "# ", ".kafel": "// "}


def style(path, first_line):
    """(prefix, suffix, at_end) of the SPDX comment for PATH, or None if it is not a source."""
    name = os.path.basename(path)
    ext = os.path.splitext(name)[1]
    if any(path.startswith(d) for d in SKIP_DIRS):
        return None
    if ext in AT_END:
        return AT_END[ext], "", True
    if ext in LINE_COMMENT:
        return "// ", "", False
    if ext in BLOCK_COMMENT:
        return "/* ", " */", False
    if ext in HASH_COMMENT or name == "CMakeLists.txt" or name.endswith(".cmake.in") or name.startswith("_stockade"):
        return "# ", "", False
    if "." not in name and first_line.startswith("#!") and any(
            sh in first_line for sh in ("sh", "bash", "python")):
        return "# ", "", False
    return None


def list_files(root):
    """The tracked and untracked-but-not-ignored files (git), or every file
    outside build trees when ROOT is not a checkout (a source tarball)."""
    if os.path.isdir(os.path.join(root, ".git")) or os.path.isfile(os.path.join(root, ".git")):
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True)
        return sorted(set(p for p in out.stdout.decode().split("\0") if p and os.path.isfile(os.path.join(root, p))))
    files = []
    for top, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".git") and d != "node_modules"
                   and not os.path.exists(os.path.join(top, d, "CMakeCache.txt"))]
        files += [os.path.relpath(os.path.join(top, n), root) for n in names]
    return sorted(files)


def is_generated(lines):
    head = " ".join(lines[:5]).lower()
    return "generated" in head and "do not edit" in head


def has_tag(lines, at_end):
    if at_end:
        tail = [ln for ln in lines if ln.strip()][-1:]
        return any(TAG in ln for ln in tail)
    return any(TAG in ln for ln in lines[:3])


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("--check", "--add"):
        sys.stderr.write("usage: source_headers.py --check|--add ROOT\n")
        return 2
    mode, root = sys.argv[1], sys.argv[2]
    lacking, added, checked = [], 0, 0
    for path in list_files(root):
        full = os.path.join(root, path)
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        lines = text.splitlines()
        kind = style(path, lines[0] if lines else "")
        if kind is None:
            continue
        checked += 1
        prefix, suffix, at_end = kind
        if has_tag(lines, at_end):
            continue
        if mode == "--check" or is_generated(lines):
            why = " (generated: its generator must write it)" if is_generated(lines) else ""
            lacking.append((path, why))
            continue
        line = prefix + TAG + suffix
        if at_end:
            text = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
        else:
            after = 1 if lines and (lines[0].startswith("#!") or lines[0].startswith("#compdef")) else 0
            keep = text.splitlines(keepends=True)
            keep.insert(after, line + "\n")
            text = "".join(keep)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
        added += 1
    for path, why in lacking:
        print("%s:1:1: error: no '%s' line%s" % (path, TAG, why))
    if mode == "--add":
        print("source_headers: %d source files, the line added to %d" % (checked, added))
    else:
        print("source_headers: %d source files, %d without the line" % (checked, len(lacking)))
    return 1 if lacking else 0


if __name__ == "__main__":
    sys.exit(main())
