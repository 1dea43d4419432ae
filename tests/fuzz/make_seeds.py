#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the fuzz harnesses' seed corpora: make_seeds.py SOURCE_ROOT WINDMILL_DIR OUT_DIR.

OUT_DIR/<harness>/ gets one file per seed, from the shipped policies/, the
test suites' inline snippets (tests/) and Windmill's nsjail configs
(../shared/windmill-nsjail). The JSON seeds are the text configs rewritten
as JSON by a small converter below (enough for seeds, not a general one).
"""
import hashlib
import json
import pathlib
import re
import sys

root, windmill, out = (pathlib.Path(a) for a in sys.argv[1:4])


def put(harness, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def raw_strings(path):
    """C++ raw string literals R"(...)" and R"x(...)x" in a test file."""
    text = path.read_text(errors="replace")
    for m in re.finditer(r'R"(\w*)\((.*?)\)\1"', text, re.S):
        yield m.group(2)


def block_bodies(text, keyword):
    """Bodies of `keyword {` ... matching `}` (brace counting, no strings inside)."""
    for m in re.finditer(r'\b' + keyword + r'\s*\{', text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        yield text[m.end():i - 1]


# --- the .policy front end ---------------------------------------------------
policy_files = sorted((root / "policies").glob("*.policy")) + sorted((root / "tests/frontend/fixtures").glob("*.policy"))
for f in policy_files:
    put("policy_frontend", f.read_bytes())
for f in sorted((root / "tests/frontend").glob("*.cc")):
    for s in raw_strings(f):
        if "policy" in s or "include" in s:
            put("policy_frontend", s)

# --- Kafel: every policy's seccomp blocks, with its expect lines -------------
for f in policy_files:
    text = f.read_text()
    expects = re.findall(r'^\s*expect\s+(.*?)\s*$', text, re.M)
    for body in block_bodies(text, "seccomp"):
        put("kafel_frontend", body + ("\n%%\n" + "\n".join(expects) + "\n" if expects else ""))
put("kafel_frontend", (root / "policies/base_denylist.kafel").read_bytes())
for f in sorted((root / "tests/seccomp").glob("*.cc")):
    text = f.read_text(errors="replace")
    for s in raw_strings(f):
        put("kafel_frontend", s)
    for m in re.finditer(r'compile_text\("((?:[^"\\]|\\.)*)"', text):
        put("kafel_frontend", m.group(1).encode().decode("unicode_escape"))

# --- import-nsjail -----------------------------------------------------------
def text_to_json(text):
    """protobuf text format -> JSON, for seeds: a field seen twice in one
    message, or a known repeated field, becomes a list."""
    repeated = {"mount", "envar", "cap", "uidmap", "gidmap", "seccomp_string", "pass_fd", "arg", "options"}
    tokens = re.findall(r'#[^\n]*|"(?:[^"\\]|\\.)*"|\{[A-Z_][A-Z0-9_]*\}|[{}:]|[^\s{}:"#]+', text)
    tokens = [t for t in tokens if not t.startswith("#")]
    pos = 0

    def message():
        nonlocal pos
        fields = {}
        while pos < len(tokens) and tokens[pos] != "}":
            key = tokens[pos]
            pos += 1
            if pos < len(tokens) and tokens[pos] == ":":
                pos += 1
            if pos < len(tokens) and tokens[pos] == "{":
                pos += 1
                value = message()
                pos += 1
            elif pos < len(tokens):
                t = tokens[pos]
                pos += 1
                if t.startswith('"'):
                    value = json.loads(t) if "\\" not in t else t[1:-1]
                elif t in ("true", "false"):
                    value = t == "true"
                elif re.fullmatch(r'-?\d+', t):
                    value = int(t)
                else:
                    value = t  # enums and placeholders as strings
            else:
                break
            if key in fields or key in repeated:
                prev = fields.get(key, [])
                fields[key] = (prev if isinstance(prev, list) else [prev]) + [value]
            else:
                fields[key] = value
        return fields

    # An unquoted placeholder stays unquoted, as Windmill writes them in JSON.
    return re.sub(r'"(\{[A-Z_][A-Z0-9_]*\})"', r'\1', json.dumps(message(), indent=2))


for f in sorted(windmill.glob("*.proto")):
    put("nsjail_text", f.read_bytes())
    put("nsjail_json", text_to_json(f.read_text()))
for f in sorted((root / "tests/nsjail").glob("*.cc")):
    for s in raw_strings(f):
        put("nsjail_json" if s.lstrip().startswith("{") else "nsjail_text", s)

# --- the launcher's command line ---------------------------------------------
argvs = [
    ["--help"], ["--version"], ["list"], ["show", "unit"],
    ["run", "unit", "--param", "DIR=/jobs/1", "--", "/bin/true"],
    ["run", "unit", "--param=DIR=/jobs/1", "--param", "N=7", "--param", "MEM=64MiB", "--param", "WAIT=90s",
     "--param", "FLAG=true", "--param", "OPT=/opt/x", "--param", "TAG=t", "--param", "NAME=job",
     "--report", "/tmp/r.json", "--report-fd", "3", "--stats-fd", "4", "--stats-interval", "100", "--", "/bin/sh", "-c", "x"],
    ["run", "unit", "--cgroup", "/sys/fs/cgroup/unified/x", "--param", "DIR=/", "--", "a"],
    ["run", "layout", "--param", "CACHE=/cache", "--param", "DEPS=/deps/a", "--param", "VOLS=/tmp/volumes/a:/mnt/a",
     "--param", "MAIN=u/admin/s", "--", "/usr/bin/python3", "main.py"],
]
for a in argvs:
    put("launcher_args", "\0".join(a))
put("launcher_args", "\0".join(["run", "layout", "--param", "CACHE=/c", "--param-file", "DEPS=list", "--", "p"])
    + "\0\0/deps/a\n/deps/b\n\n/deps/c")
put("launcher_args", "\0".join(["run", "layout", "--param", "CACHE=/c", "--param-file", "VOLS=v", "--", "p"])
    + "\0\0/tmp/volumes/x:/mnt/x\n")
