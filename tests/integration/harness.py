# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the integration tests: run the real launcher with the
probe inside, parse the probe's output, look for leftovers on the host, and
skip visibly (or fail, under STOCKADE_MUST_WORK=1) where the machine lacks a
kernel feature.

The launcher and probe paths come from the environment (run.py sets them from
its command line, which CMake fills in): STOCKADE_LAUNCHER, STOCKADE_PROBE.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import skips  # tests/support, on sys.path from run.py

# Exit codes of the launcher (README, "Exit codes").
EXIT_USAGE = 120
EXIT_BAD_PARAM = 121
EXIT_SETUP = 122
EXIT_OOM = 123
EXIT_TIMEOUT = 124
EXIT_INTERNAL = 125
EXIT_NOT_EXECUTABLE = 126
EXIT_NOT_FOUND = 127
EXIT_SECCOMP = 128 + signal.SIGSYS

# The default uid/gid map sends the job's root to this id on the host.
OUTSIDE_ID = 65534

# Where stockade-probe's directory appears inside the sandbox (tests/policies).
PROBE_MOUNT = "/probe"


def launcher():
    return os.environ["STOCKADE_LAUNCHER"]


def probe_host_path():
    return os.environ["STOCKADE_PROBE"]


def probe_dir():
    return os.path.dirname(os.path.realpath(probe_host_path()))


def probe_in_sandbox():
    return PROBE_MOUNT + "/" + os.path.basename(probe_host_path())


def must_work():
    # One rule for every suite: tests/support/skips.py.
    return skips.must_work()


def need(test, condition, why):
    """Skips `test` with 'skipped: <why>' unless the feature is there; under
    STOCKADE_CI=1 (or STOCKADE_MUST_WORK=1) a missing feature is a failure
    instead."""
    if condition:
        return
    if must_work():
        test.fail("missing kernel feature (%s): %s" % (skips.must_work_note(), why))
    test.skipTest(why)


class Outcome:
    """What one launcher run produced."""

    def __init__(self, args, returncode, stdout, stderr, wall_s, report):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.wall_s = wall_s
        self.report = report

    def values(self, key):
        """Every `key: value` data line the probe printed, in order."""
        prefix = key + ": "
        return [ln[len(prefix):] for ln in self.stdout.splitlines() if ln.startswith(prefix)]

    def value(self, key):
        found = self.values(key)
        return found[-1] if found else None

    @property
    def result(self):
        """The probe's `result:` line: 'ok' or an errno name; None if absent."""
        return self.value("result")

    def describe(self):
        return "launcher %s\n exit %s after %.2fs\n stdout: %r\n stderr: %r" % (
            " ".join(self.args), self.returncode, self.wall_s, self.stdout[-2000:], self.stderr[-2000:])


def world_reachable(path):
    """True when an ordinary user can run `path`: every directory above it
    searchable by others, the file itself readable and executable by them."""
    path = os.path.realpath(path)
    parts = path.split("/")
    for i in range(2, len(parts)):
        if not os.stat("/".join(parts[:i])).st_mode & 0o001:
            return False
    return os.stat(path).st_mode & 0o005 == 0o005


def launcher_args(policy, probe_args, params=None, report=None, program=None, tools=None):
    """`tools`: (launcher, probe dir) to use instead of the build's."""
    exe, pdir = tools or (launcher(), probe_dir())
    args = [exe, "run", policy, "--param", "PROBE_DIR=" + pdir]
    for key, value in (params or {}).items():
        args += ["--param", "%s=%s" % (key, value)]
    if report is not None:
        args += ["--report", report]
    args += ["--", program or probe_in_sandbox()] + list(probe_args)
    return args


def base_env(extra=None):
    env = {"PATH": "/usr/bin:/bin"}
    env.update(extra or {})
    return env


# Pids of every launcher this run started, so that leftover checks count only
# cgroups named after our own launchers (stockade-<pid>), not those of other
# sandboxes running on the same machine at the same time.
LAUNCHED = set()


def start_launcher(args):
    """Starts the launcher in the background (stop() ends it)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=base_env())
    LAUNCHED.add(proc.pid)
    return proc


REPORT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "report.schema.json")
_report_validator = []


def check_report(data):
    """Every report a test reads is checked against docs/report.schema.json
    (Debian's python3-jsonschema); AssertionError if it does not conform."""
    if not _report_validator:
        try:
            import jsonschema
        except ImportError:
            if skips.must_work():
                raise AssertionError("python3-jsonschema is missing: reports cannot be validated (%s)"
                                     % skips.must_work_note())
            print("skipped: report schema validation (python3-jsonschema not installed)", file=sys.stderr)
            _report_validator.append(None)
            return
        with open(REPORT_SCHEMA) as f:
            _report_validator.append(jsonschema.Draft7Validator(json.load(f)))
    validator = _report_validator[0]
    if validator is None:
        return
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise AssertionError("report does not match docs/report.schema.json: %s\n%s"
                             % ("; ".join("%s: %s" % (list(e.path), e.message) for e in errors), data))


def run_launcher(args, env=None, timeout=60, pass_fds=(), stdin=subprocess.DEVNULL,
                 preexec_fn=None, report=None):
    """Runs the launcher with `args` (a full argv) and waits for it."""
    start = time.monotonic()
    proc = subprocess.Popen(args, env=base_env(env), stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, pass_fds=pass_fds, preexec_fn=preexec_fn, close_fds=True)
    LAUNCHED.add(proc.pid)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    wall = time.monotonic() - start
    data = None
    if report is not None and os.path.exists(report):
        with open(report) as f:
            text = f.read()
        try:
            data = json.loads(text)
        except ValueError:
            data = {"_unparsable": text}
        else:
            check_report(data)
    return Outcome(args, proc.returncode, stdout.decode(errors="replace"),
                   stderr.decode(errors="replace"), wall, data)


def run_with_fds(args, fd_map, env=None, timeout=60):
    """Runs `args` with descriptors placed at given numbers: fd_map is
    {number in the child: fd here}. Everything else is close-on-exec."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    null = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
    actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
    actions += [(os.POSIX_SPAWN_DUP2, here, there) for there, here in sorted(fd_map.items())]
    start = time.monotonic()
    try:
        pid = os.posix_spawn(args[0], args, base_env(env), file_actions=actions)
        LAUNCHED.add(pid)
    finally:
        for fd in (out_w, err_w, null):
            os.close(fd)
    with os.fdopen(out_r, "rb") as out_f, os.fdopen(err_r, "rb") as err_f:
        stdout = out_f.read()
        stderr = err_f.read()
    _, status = os.waitpid(pid, 0)
    wall = time.monotonic() - start
    return Outcome(args, os.waitstatus_to_exitcode(status), stdout.decode(errors="replace"),
                   stderr.decode(errors="replace"), wall, None)


def run_probe(policy, *probe_args, params=None, env=None, timeout=60, pass_fds=(),
              with_report=False, program=None, stdin=subprocess.DEVNULL, preexec_fn=None):
    """Runs the probe inside `policy` with `probe_args`."""
    report = None
    tmp = None
    if with_report:
        tmp = tempfile.mkdtemp(prefix="stockade-report-")
        report = os.path.join(tmp, "report.json")
    try:
        args = launcher_args(policy, probe_args, params, report, program)
        return run_launcher(args, env=env, timeout=timeout, pass_fds=pass_fds, stdin=stdin,
                            preexec_fn=preexec_fn, report=report)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def run_probe_on_host(*probe_args, timeout=30):
    """The probe without any sandbox: positive controls and feature checks."""
    proc = subprocess.run([probe_host_path()] + list(probe_args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout, stdin=subprocess.DEVNULL)
    return Outcome([probe_host_path()] + list(probe_args), proc.returncode,
                   proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"), 0.0, None)


class ProbeTest(unittest.TestCase):
    """Base class: assertion helpers that print the whole run on failure, and
    a check after every test that it left no mount or cgroup on the host."""

    def setUp(self):
        super().setUp()
        snapshot = Snapshot()
        self.addCleanup(self._check_leftovers, snapshot)

    def _check_leftovers(self, snapshot):
        mounts = snapshot.new_mounts()
        cgroups = snapshot.new_cgroups()
        self.assertEqual((mounts, cgroups), ([], []), "the test left mounts or cgroups on the host")

    def assertResult(self, outcome, expected, msg=""):
        self.assertEqual(outcome.returncode, 0, (msg + "\n" + outcome.describe()).strip())
        self.assertEqual(outcome.result, expected, (msg + "\n" + outcome.describe()).strip())

    def assertExit(self, outcome, code, msg=""):
        self.assertEqual(outcome.returncode, code, (msg + "\n" + outcome.describe()).strip())

    def assertOneLineError(self, outcome, *needles):
        """stderr is exactly one line `stockade: <step>: ...` naming `needles`."""
        lines = outcome.stderr.splitlines()
        self.assertEqual(len(lines), 1, "expected one stderr line\n" + outcome.describe())
        self.assertTrue(lines[0].startswith("stockade: "), outcome.describe())
        for needle in needles:
            self.assertIn(needle, lines[0], outcome.describe())

    def make_tempdir(self):
        path = tempfile.mkdtemp(prefix=TEMP_PREFIX % os.getpid())
        self.addCleanup(shutil.rmtree, path, True)
        return os.path.realpath(path)

    def tools_for_everyone(self):
        """(launcher, probe dir) an ordinary user can run: the build's own, or
        copies in a world-readable temporary directory when the build tree
        sits below a private one (CI may clone into /root)."""
        if world_reachable(launcher()) and world_reachable(probe_host_path()):
            return launcher(), probe_dir()
        top = self.make_tempdir()
        os.chmod(top, 0o755)
        exe = os.path.join(top, "stockade")
        shutil.copy(launcher(), exe)
        shutil.copy(probe_host_path(), os.path.join(top, os.path.basename(probe_host_path())))
        for name in os.listdir(top):
            os.chmod(os.path.join(top, name), 0o755)
        return exe, top


# ---------------------------------------------------------------- leftovers

def mount_points():
    """The host's mount table as (mount point, fs type, source) lines."""
    out = []
    with open("/proc/self/mountinfo") as f:
        for ln in f:
            fields = ln.split()
            sep = fields.index("-")
            out.append((fields[4], fields[sep + 1], fields[sep + 2]))
    return sorted(out)


def cgroup_dirs():
    """Every cgroup directory on the host, in all mounted hierarchies."""
    roots = set()
    with open("/proc/self/mountinfo") as f:
        for ln in f:
            fields = ln.split()
            sep = fields.index("-")
            if fields[sep + 1] in ("cgroup", "cgroup2"):
                roots.add(fields[4])
    dirs = set()
    for root in roots:
        for path, _subdirs, _files in os.walk(root):
            dirs.add(path)
    return dirs


def pids_with_marker(marker):
    """Host pids whose command line contains `marker`, with their argv."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if any(marker.encode() in a for a in argv):
            found[int(entry)] = [a.decode(errors="replace") for a in argv if a]
    found.pop(os.getpid(), None)
    return found


def stop(proc):
    """Ends a launcher started with Popen: SIGTERM (which it forwards and
    cleans up after), SIGKILL if it is still there after 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.communicate()


# Temporary directories of a run carry its pid, so a concurrent run's can be
# told apart.
TEMP_PREFIX = "stockade-it-%d-"


def other_runs_temp(path):
    match = re.search(r"/stockade-it-(\d+)-", path)
    return match is not None and int(match.group(1)) != os.getpid()


def wait_for(predicate, timeout=5.0, step=0.05):
    """Polls until predicate() is truthy; returns its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = predicate()
    return value


class Snapshot:
    """Host state before a run, to compare with after it."""

    def __init__(self):
        self.mounts = mount_points()
        self.cgroups = cgroup_dirs()

    def new_mounts(self):
        """Mounts made since the snapshot, except those under another run's
        temporary directories (the suite may run twice at once on a shared
        machine, and its tests mount tmpfs there on purpose)."""
        before = set(self.mounts)
        return [m for m in mount_points() if m not in before and not other_runs_temp(m[0])]

    def new_cgroups(self):
        """cgroup dirs created since the snapshot by one of our launchers
        (named with its pid) that stay for a while."""
        def ours(path):
            return any(int(n) in LAUNCHED for n in re.findall(r"\d+", os.path.basename(path)))
        fresh = {d for d in cgroup_dirs() - self.cgroups if ours(d)}
        if fresh:
            time.sleep(1.0)
            fresh &= cgroup_dirs()
        return sorted(fresh)


def unique(prefix):
    return "%s-%d-%s" % (prefix, os.getpid(), os.urandom(4).hex())
