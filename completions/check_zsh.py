#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ctest completion_zsh: completions/_stockade loaded by a real interactive
zsh (in a pseudo-terminal, the only place zsh runs completion widgets)
completes commands, policy names, run's options and a policy's params
(`--param NAME` and `--param=NAME`), stockadec's per-command options and the
policy names of a file. A wrapper around zsh's `compadd` records every
candidate the completion offers for the word typed; a case types a line and
TAB, then prints a marker, so the record is read only once that completion
is over. Usage: check_zsh.py COMPLETION_FILE STOCKADE STOCKADEC SOURCE_DIR"""

import os
import pty
import select
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import skips  # noqa: E402

SETUP = r"""
fpath=({functions} $fpath)
PATH={bin}:$PATH
autoload -Uz compinit && compinit -u -D
LISTMAX=100000          # never ask "do you wish to see all ...?"
PS1='%% '
unsetopt beep
# Every candidate a completion function adds, matched against the word
# typed, goes to {record}; calls that collect matches themselves (-O -A -D)
# are passed on as they are.
compadd() {{
  if (( ${{@[(I)-(O|A|D)]}} )); then builtin compadd "$@"; return; fi
  local -a got
  builtin compadd -O got "$@"
  (( $#got )) && print -rl -- $got >> {record}
  builtin compadd "$@"
}}
# TAB runs the completion and then marks its end in {record}: the test
# types the next key only then (keys typed ahead can cut a completion short).
_test_complete() {{ zle complete-word; print -r -- {end} >> {record} }}
zle -N _test_complete
bindkey '^I' _test_complete
"""
END = "::completion-done::"


class Zsh:
    def __init__(self, home):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            env = {"PATH": "/usr/bin:/bin", "HOME": home, "TERM": "xterm", "LC_ALL": "C.UTF-8"}
            os.execve(shutil.which("zsh"), ["zsh", "-f", "-i"], env)
        self.seen = b""

    def send(self, text):
        os.write(self.fd, text.encode())

    def wait_for(self, marker, timeout=30):
        """Read the terminal until MARKER is printed (the typed line shows it
        split by "" so only the command's output matches)."""
        end = time.monotonic() + timeout
        while marker.encode() not in self.seen:
            left = end - time.monotonic()
            if left <= 0:
                raise SystemExit("FAILED: zsh printed no %s in %d s; it shows: %r" % (marker, timeout, self.seen[-600:]))
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    raise SystemExit("FAILED: zsh ended; it showed: %r" % self.seen[-600:])
        self.seen = b""

    def close(self):
        try:
            self.send("exit\r")
            for _ in range(50):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
                time.sleep(0.1)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass


def main():
    completion, stockade, stockadec, source = sys.argv[1:5]
    if not shutil.which("zsh"):
        return skips.skip_whole_run("zsh is not installed (apt-get install zsh)")
    tmp = tempfile.mkdtemp(prefix="stockade-zsh-")
    zsh = None
    try:
        functions, bindir, record = (os.path.join(tmp, n) for n in ("functions", "bin", "record"))
        os.makedirs(functions)
        os.makedirs(bindir)
        shutil.copy(completion, os.path.join(functions, "_stockade"))
        os.symlink(os.path.abspath(stockade), os.path.join(bindir, "stockade"))
        os.symlink(os.path.abspath(stockadec), os.path.join(bindir, "stockadec"))
        with open(os.path.join(tmp, "setup.zsh"), "w") as f:
            f.write(SETUP.format(functions=functions, bin=bindir, record=record, end=END))
        zsh = Zsh(tmp)
        zsh.send("source %s/setup.zsh; print RE''ADY\r" % tmp)
        zsh.wait_for("READY")

        def complete(line):
            open(record, "w").close()
            n = complete.count = getattr(complete, "count", 0) + 1
            zsh.send(line + "\t")
            deadline = time.monotonic() + 30
            while True:
                with open(record) as f:
                    words = f.read().splitlines()
                if END in words:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("FAILED: the completion of %r never ended" % line)
                time.sleep(0.01)
            # ^U clears the line before the marker.
            zsh.send("\x15print DO''NE%d\r" % n)
            zsh.wait_for("DONE%d" % n)
            return [w for w in words if w and w != END]

        failures = []

        def has(line, want):
            got = complete(line)
            missing = [w for w in want if w not in got]
            if missing:
                failures.append("%r: no %s in %s" % (line, missing, got))

        def exactly(line, want):
            got = complete(line)
            if sorted(set(got)) != sorted(want):
                failures.append("%r: completes %s, not %s" % (line, got, want))

        has("stockade ", ["run", "show", "list", "help"])
        exactly("stockade run py", ["python3"])
        with os.popen("'%s' list" % stockade) as p:
            names = p.read().split()
        got = [w for w in complete("stockade show ") if not w.startswith("-")]
        if sorted(got) != sorted(names):
            failures.append("show completes %d names, `stockade list` has %d" % (len(got), len(names)))
        has("stockade run python3 --", ["--param", "--param-file", "--report", "--cgroup"])
        has("stockade run python3 --param ", ["JOB_DIR=", "PY_INSTALL_DIR=", "DEPS=", "TIMEOUT="])
        exactly("stockade run python3 --param PY_", ["PY_INSTALL_DIR="])
        exactly("stockade run python3 --param=PY_", ["PY_INSTALL_DIR="])
        exactly("stockade show bash --param TI", ["TIMEOUT="])
        exactly("stockade run python3 --param-file DE", ["DEPS="])
        has("stockadec ", ["check", "compile", "explain", "import-nsjail"])
        has("stockadec compile --", ["--name", "--from", "--output"])
        if "--name" in complete("stockadec explain --"):
            failures.append("stockadec explain offers --name, which it does not take")
        python3 = os.path.join(source, "policies", "python3.policy")
        exactly("stockadec explain %s " % python3, ["python3"])
        exactly("stockadec compile %s --name " % python3, ["python3"])

        for f in failures:
            print("FAIL: " + f)
        print("%d cases, %d failures" % (complete.count, len(failures)))
        return 1 if failures else 0
    finally:
        if zsh:
            zsh.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
