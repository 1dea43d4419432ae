# SPDX-License-Identifier: Apache-2.0
"""`stockadec bpf … -o OUT` writes raw struct sock_filter bytes that another
tool loads: bubblewrap (`bwrap --seccomp FD`) decides with them as Stockade's
compile says (the policy's expects and the Kafel text's rules).

usage: export_bpf_test.py STOCKADEC SOURCE_DIR
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import skips  # noqa: E402

STOCKADEC, SOURCE = sys.argv[1], sys.argv[2]

# A probe run inside bwrap: each syscall's errno (0 = it succeeded), keyed
# by name. uname(NULL) fails with EFAULT when it runs.
PROBE = r"""
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
for name, nr, args in [("uname", 63, (0,)), ("getppid", 110, ()), ("getpid", 39, ()),
                       ("ptrace", 101, (0xffff, 0, 0, 0)), ("sock_packet", 41, (2, 10, 0)),
                       ("sock_unix", 41, (1, 1, 0)), ("clone3", 435, (0, 0))]:
    ctypes.set_errno(0)
    r = libc.syscall(nr, *[ctypes.c_long(a) for a in args])
    print(name, ctypes.get_errno() if r == -1 else 0)
"""


def probe(program):
    with open(program, "rb") as f:
        r = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--seccomp", str(f.fileno()), "--",
                            sys.executable, "-c", PROBE], pass_fds=(f.fileno(),), capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError("bwrap failed: %s" % r.stderr)
    return {a: int(b) for a, b in (line.split() for line in r.stdout.split("\n") if line)}


def stockadec(*args):
    return subprocess.run([STOCKADEC, "bpf", *args], capture_output=True, text=True)


def main():
    if not shutil.which("bwrap"):
        return skips.skip_whole_run("bubblewrap is not installed (a tool: never forced)")
    if subprocess.run(["bwrap", "--ro-bind", "/", "/", "true"], capture_output=True).returncode != 0:
        return skips.skip_whole_run("bwrap cannot start a sandbox here (never forced)")
    failures = []

    def check(what, ok):
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        inc = os.path.join(tmp, "inc")
        os.mkdir(inc)
        with open(os.path.join(inc, "errs.policy"), "w") as f:
            f.write("#define E_UNAME 5\nPOLICY errs { ERRNO(E_UNAME) { uname }, ERRNO(7) { getppid } }\n")
        kafel = os.path.join(tmp, "job.kafel")
        with open(kafel, "w") as f:
            f.write('#include "errs.policy"\nUSE errs\nDEFAULT ALLOW\n')
        out = os.path.join(tmp, "job.bpf")
        r = stockadec("--kafel", kafel, "-I", inc, "-o", out)
        check("--kafel with -I compiles (%s)" % r.stderr.strip(), r.returncode == 0)
        size = os.path.getsize(out) if os.path.exists(out) else 0
        check("the output is whole sock_filter records (%d bytes)" % size, size > 0 and size % 8 == 0)
        got = probe(out)
        check("uname gets ERRNO(5) under bwrap: %s" % got.get("uname"), got.get("uname") == 5)
        check("getppid gets ERRNO(7) under bwrap: %s" % got.get("getppid"), got.get("getppid") == 7)
        check("getpid runs under bwrap: %s" % got.get("getpid"), got.get("getpid") == 0)
        check("ptrace falls to DEFAULT ALLOW (the kernel's own error, not EPERM from a rule): %s" % got.get("ptrace"),
              got.get("ptrace") not in (None, 5, 7))

        # A shipped policy's program, decided by bwrap as its expects say.
        out = os.path.join(tmp, "python3.bpf")
        r = stockadec(os.path.join(SOURCE, "policies", "python3.policy"), "python3", "-o", out)
        check("a shipped policy exports (%s)" % r.stderr.strip(), r.returncode == 0)
        got = probe(out)
        check("python3: ptrace is ERRNO(1) under bwrap: %s" % got.get("ptrace"), got.get("ptrace") == 1)
        check("python3: socket(AF_INET, SOCK_PACKET) is ERRNO(1): %s" % got.get("sock_packet"), got.get("sock_packet") == 1)
        check("python3: clone3 is ERRNO(38): %s" % got.get("clone3"), got.get("clone3") == 38)
        check("python3: uname runs (EFAULT from the kernel): %s" % got.get("uname"), got.get("uname") == 14)
        check("python3: socket(AF_UNIX) runs: %s" % got.get("sock_unix"), got.get("sock_unix") == 0)

        # Errors: one diagnostic line with the position, exit 1, no output.
        bad = os.path.join(tmp, "bad.kafel")
        with open(bad, "w") as f:
            f.write("ALLOW {\n  nosuchcall\n}\n")
        out = os.path.join(tmp, "bad.bpf")
        r = stockadec("--kafel", bad, "-o", out)
        check("a bad Kafel file is exit 1 with file:line:col (%s)" % r.stderr.split("\n")[0],
              r.returncode == 1 and r.stderr.startswith(bad + ":2:3: error: unknown syscall"))
        check("nothing is written for a bad file", not os.path.exists(out) and not os.path.exists(out + ".tmp"))
        r = stockadec("--kafel", kafel)
        check("no -o is a usage error (exit 2)", r.returncode == 2)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
