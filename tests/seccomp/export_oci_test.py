# SPDX-License-Identifier: Apache-2.0
"""`stockadec bpf --oci … -o OUT.json` writes an OCI/Docker seccomp profile:
valid JSON in the runtime-spec's shape (defaultAction, architectures,
syscalls[] of names, action, errnoRet, args with index/value/valueTwo/op),
naming only real syscalls, for a shipped policy and a bare Kafel file; a
rule the format cannot hold is exit 1 with file:line:col and no output.
The decisions themselves are checked in seccomp_oci_tests (C++, on the
profile and on libseccomp's filter of it).

usage: export_oci_test.py STOCKADEC SOURCE_DIR
"""

import json
import os
import re
import subprocess
import sys
import tempfile

STOCKADEC, SOURCE = sys.argv[1], sys.argv[2]

ACTIONS = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
           "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"}
OPS = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}


def known_syscalls():
    with open(os.path.join(SOURCE, "compiler", "seccomp", "tables", "syscalls_x86_64.inc")) as f:
        return set(re.findall(r'\{"([a-z0-9_]+)", \d+u\}', f.read()))


def shape_problems(profile, names):
    problems = []
    if set(profile) - {"defaultAction", "defaultErrnoRet", "architectures", "syscalls"}:
        problems.append("unknown top-level keys %s" % sorted(set(profile)))
    if profile.get("defaultAction") not in ACTIONS:
        problems.append("defaultAction %r" % profile.get("defaultAction"))
    if profile.get("architectures") != ["SCMP_ARCH_X86_64"]:
        problems.append("architectures %r" % profile.get("architectures"))
    for i, e in enumerate(profile.get("syscalls", [])):
        if set(e) - {"names", "action", "errnoRet", "args"}:
            problems.append("entry %d: keys %s" % (i, sorted(e)))
        if not e.get("names") or any(n not in names for n in e["names"]):
            problems.append("entry %d: names %r" % (i, e.get("names")))
        if e.get("action") not in ACTIONS:
            problems.append("entry %d: action %r" % (i, e.get("action")))
        if "errnoRet" in e and (e["action"] not in ("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE") or
                                not 0 <= e["errnoRet"] <= 65535):
            problems.append("entry %d: errnoRet %r with %s" % (i, e["errnoRet"], e["action"]))
        seen = set()
        for a in e.get("args", []):
            if a.get("op") not in OPS or not 0 <= a.get("index", -1) <= 5 or a["index"] in seen:
                problems.append("entry %d: arg %r" % (i, a))
            seen.add(a.get("index"))  # libseccomp takes one comparison per argument
            for k in ("value", "valueTwo"):
                if k in a and not 0 <= a[k] < 1 << 64:
                    problems.append("entry %d: %s %r" % (i, k, a[k]))
            if a.get("op") == "SCMP_CMP_MASKED_EQ" and a["valueTwo"] & ~a["value"]:
                problems.append("entry %d: masked value outside its mask %r" % (i, a))
    return problems


def main():
    failures = []

    def check(what, ok):
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            failures.append(what)

    names = known_syscalls()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "python3.json")
        r = subprocess.run([STOCKADEC, "bpf", "--oci", os.path.join(SOURCE, "policies", "python3.policy"), "python3",
                            "-o", out], capture_output=True, text=True)
        check("a shipped policy exports (%s)" % r.stderr.strip(), r.returncode == 0)
        with open(out) as f:
            profile = json.load(f)
        problems = shape_problems(profile, names)
        check("the profile has the runtime-spec's shape: %s" % problems[:3], not problems)
        by_name = {}
        for e in profile["syscalls"]:
            for n in e["names"]:
                by_name.setdefault(n, []).append(e)
        check("python3: ptrace is ERRNO(1)", [(e["action"], e.get("errnoRet"), e.get("args")) for e in
                                               by_name.get("ptrace", [])] == [("SCMP_ACT_ERRNO", 1, None)])
        check("python3: clone3 is ERRNO(38)", [e.get("errnoRet") for e in by_name.get("clone3", [])] == [38])
        check("python3: ioctl's entries are masked to the int-sized cmd",
              sorted(a["valueTwo"] for e in by_name.get("ioctl", []) for a in e["args"]) == [0x5412, 0x541c] and
              all(a["value"] == 0xffffffff for e in by_name.get("ioctl", []) for a in e["args"]))
        check("python3: defaultAction is ALLOW", profile["defaultAction"] == "SCMP_ACT_ALLOW")

        kafel = os.path.join(tmp, "job.kafel")
        with open(kafel, "w") as f:
            f.write("ERRNO(5) { uname, write { fd > 2 } }\nDEFAULT KILL_PROCESS\n")
        out = os.path.join(tmp, "job.json")
        r = subprocess.run([STOCKADEC, "bpf", "--oci", "--kafel", kafel, "-o", out], capture_output=True, text=True)
        check("a bare Kafel file exports (%s)" % r.stderr.strip(), r.returncode == 0)
        with open(out) as f:
            job = json.load(f)
        check("its shape: %s" % shape_problems(job, names)[:3], not shape_problems(job, names))
        check("DEFAULT KILL_PROCESS", job["defaultAction"] == "SCMP_ACT_KILL_PROCESS")

        bad = os.path.join(tmp, "bad.kafel")
        with open(bad, "w") as f:
            f.write("ALLOW {\n  write { fd == count }\n}\n")
        out = os.path.join(tmp, "bad.json")
        r = subprocess.run([STOCKADEC, "bpf", "--oci", "--kafel", bad, "-o", out], capture_output=True, text=True)
        check("a rule OCI cannot hold is exit 1 at file:line:col (%s)" % r.stderr.split("\n")[0],
              r.returncode == 1 and r.stderr.startswith(bad + ":2:3: error: cannot be written as an OCI seccomp "
                                                              "profile: it compares two arguments"))
        check("nothing is written for it", not os.path.exists(out) and not os.path.exists(out + ".tmp"))
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
