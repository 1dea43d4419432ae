# SPDX-License-Identifier: Apache-2.0
"""A call the seccomp filter kills is reported with its arguments: the
launcher holds the filter's USER_NOTIF listener, kills the sandbox on the
notification, and names the call (name, number, arguments) on stderr and in
--report. The call never runs, and the job never holds the listener. A call
the filter LOGs is reported the same way but runs (SeccompLogTest)."""

import ctypes
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time

from harness import (EXIT_SECCOMP, EXIT_USAGE, LAUNCHED, ProbeTest, Snapshot, base_env, launcher_args, need,
                     pids_with_marker, probe_in_sandbox, run_launcher, run_probe, run_probe_on_host, stop, unique,
                     wait_for)
from test_bombs import process_state

MKDIR_MODE = 0o755  # what the probe's mkdir op (and mkdir -m 755) passes
AT_FDCWD = (1 << 64) - 100


class SeccompReportTest(ProbeTest):
    def _mkdir_killed(self, name):
        rw = self.make_tempdir()
        out = run_probe("probe_notify", "mkdir", "/rw/" + name, params={"RW_DIR": rw}, with_report=True)
        return rw, out

    def test_killed_call_is_named_with_its_arguments(self):
        rw, out = self._mkdir_killed("made-by-denied-call")
        self.assertExit(out, EXIT_SECCOMP)
        self.assertIsNone(out.result, out.describe())
        # The denied mkdir never ran.
        self.assertFalse(os.path.exists(os.path.join(rw, "made-by-denied-call")), out.describe())
        m = re.search(r"^stockade: seccomp: job killed by the filter: (mkdir|mkdirat) \((\d+)\) args: "
                      r"(0x[0-9a-f]+(?:, 0x[0-9a-f]+){5})$", out.stderr, re.M)
        self.assertIsNotNone(m, out.describe())
        name, nr = m.group(1), int(m.group(2))
        args = [int(a, 16) for a in m.group(3).split(", ")]
        self.assertEqual(nr, {"mkdir": 83, "mkdirat": 258}[name])
        if name == "mkdir":
            self.assertNotEqual(args[0], 0)  # the path pointer
            self.assertEqual(args[1], MKDIR_MODE)
        else:
            self.assertEqual(args[0], AT_FDCWD)
            self.assertEqual(args[2], MKDIR_MODE)
        report = out.report
        self.assertIsNotNone(report, out.describe())
        self.assertEqual(report.get("status"), EXIT_SECCOMP, report)
        self.assertEqual(report.get("reason"), "seccomp", report)
        self.assertEqual(report.get("signal"), int(signal.SIGSYS), report)
        self.assertEqual(report.get("syscall"), {"name": name, "abi": "x86_64", "nr": nr, "args": args}, report)

    def test_job_never_holds_the_listener(self):
        out = run_probe("probe_notify", "fds")
        self.assertResult(out, "ok")
        fds = sorted(int(v.split(" ")[0]) for v in out.values("fd"))
        self.assertEqual(fds, [0, 1, 2], out.describe())

    def test_allowed_calls_work_and_report_nothing(self):
        rw = self.make_tempdir()
        out = run_probe("probe_notify", "read", "/proc/self/status", params={"RW_DIR": rw}, with_report=True)
        self.assertResult(out, "ok")
        self.assertEqual(out.report.get("reason"), "exited", out.report)
        self.assertNotIn("syscall", out.report)
        self.assertNotIn("seccomp", out.stderr)

    def test_x32_entry_point_is_killed_and_reported(self):
        out = run_probe("probe_notify", "x32-uname", with_report=True)
        self.assertEqual(out.returncode, EXIT_SECCOMP, "x32 uname got past the filter\n" + out.describe())
        self.assertIn("x32 uname", out.stderr, out.describe())
        self.assertEqual(out.report["syscall"]["abi"], "x32", out.report)

    def test_i386_entry_point_is_killed(self):
        host = run_probe_on_host("i386-uname")
        need(self, host.result == "ok", "no i386 syscall emulation: " + host.stdout.strip())
        out = run_probe("probe_notify", "i386-uname", with_report=True)
        self.assertEqual(out.returncode, EXIT_SECCOMP, "i386 uname got past the filter\n" + out.describe())
        self.assertEqual(out.report["syscall"]["abi"], "i386", out.report)
        self.assertEqual(out.report["syscall"]["name"], "uname", out.report)


NR = {"mkdir": 83, "mkdirat": 258, "uname": 63}
LOG_LINE = re.compile(r"^stockade: seccomp: logged: (\w+) \((\d+)\) args: (0x[0-9a-f]+(?:, 0x[0-9a-f]+){5})$", re.M)


class SeccompLogTest(ProbeTest):
    """A call the policy marks LOG runs, and is reported with its arguments: the
    notify variant turns LOG into USER_NOTIF, the supervisor runs the policy's
    own program on the call to see it was a LOG (not a KILL), records it and lets
    it continue. One stderr line per distinct syscall, a count per syscall in
    --report, and the job's own exit code. The same call under a KILL policy
    still ends the job with 159 (SeccompReportTest covers that in full)."""

    def _logged_lines(self, out):
        return [(m.group(1), int(m.group(2)), [int(a, 16) for a in m.group(3).split(", ")])
                for m in LOG_LINE.finditer(out.stderr)]

    def _check_mkdir_args(self, name, args, out):
        if name == "mkdir":
            self.assertNotEqual(args[0], 0, out.describe())  # the path pointer
            self.assertEqual(args[1], MKDIR_MODE, out.describe())
        else:
            self.assertEqual(args[0], AT_FDCWD, out.describe())
            self.assertEqual(args[2], MKDIR_MODE, out.describe())

    def test_logged_call_runs_and_is_named_with_its_arguments(self):
        rw = self.make_tempdir()
        out = run_probe("probe_log", "mkdir", "/rw/made-by-logged-call", params={"RW_DIR": rw}, with_report=True)
        self.assertResult(out, "ok")
        self.assertEqual(out.returncode, 0, out.describe())
        self.assertTrue(os.path.isdir(os.path.join(rw, "made-by-logged-call")), out.describe())
        lines = [l for l in self._logged_lines(out) if l[0] in ("mkdir", "mkdirat")]
        self.assertEqual(len(lines), 1, out.describe())
        name, nr, args = lines[0]
        self.assertEqual(nr, NR[name])
        self._check_mkdir_args(name, args, out)
        report = out.report
        self.assertEqual(report.get("status"), 0, report)
        self.assertEqual(report.get("reason"), "exited", report)
        self.assertNotIn("syscall", report)
        entry = [e for e in report.get("logged", []) if e["name"] == name]
        self.assertEqual(entry, [{"name": name, "abi": "x86_64", "nr": nr, "args": args, "count": 1}], report)
        self.assertEqual(report.get("logged_calls"), sum(e["count"] for e in report["logged"]), report)

    def test_one_line_per_syscall_a_count_per_call_and_the_jobs_own_exit_code(self):
        rw = self.make_tempdir()
        script = "for d in a b c d e; do mkdir -m 755 /rw/$d || exit 3; done; exit 7"
        out = run_probe("probe_log", "-c", script, params={"RW_DIR": rw}, with_report=True, program="/bin/sh")
        self.assertEqual(out.returncode, 7, out.describe())
        self.assertEqual(sorted(os.listdir(rw)), ["a", "b", "c", "d", "e"], out.describe())
        lines = [l for l in self._logged_lines(out) if l[0] in ("mkdir", "mkdirat")]
        self.assertEqual(len(lines), 1, out.describe())
        report = out.report
        self.assertEqual((report.get("status"), report.get("reason")), (7, "exited"), report)
        entries = [e for e in report["logged"] if e["name"] in ("mkdir", "mkdirat")]
        self.assertEqual(len(entries), 1, report)
        self.assertEqual(entries[0]["count"], 5, report)
        self._check_mkdir_args(entries[0]["name"], entries[0]["args"], out)
        self.assertEqual(entries[0]["args"], lines[0][2], out.describe())
        self.assertGreaterEqual(report["logged_calls"], 5, report)

    def test_kill_after_log_is_still_a_kill_and_keeps_the_log(self):
        rw = self.make_tempdir()
        script = "mkdir -m 755 /rw/x && exec %s syslog" % probe_in_sandbox()
        out = run_probe("probe_log", "-c", script, params={"RW_DIR": rw}, with_report=True, program="/bin/sh")
        self.assertExit(out, EXIT_SECCOMP)
        self.assertTrue(os.path.isdir(os.path.join(rw, "x")), out.describe())
        self.assertRegex(out.stderr, r"(?m)^stockade: seccomp: job killed by the filter: syslog \(103\) args: 0xa, ")
        report = out.report
        self.assertEqual(report.get("reason"), "seccomp", report)
        self.assertEqual(report["syscall"]["name"], "syslog", report)
        self.assertEqual(report["syscall"]["args"][0], 10, report)
        self.assertTrue(any(e["name"] in ("mkdir", "mkdirat") for e in report["logged"]), report)

    def test_same_call_under_kill_policy_is_killed(self):
        rw = self.make_tempdir()
        out = run_probe("probe_notify", "mkdir", "/rw/never", params={"RW_DIR": rw}, with_report=True)
        self.assertExit(out, EXIT_SECCOMP)
        self.assertFalse(os.path.exists(os.path.join(rw, "never")), out.describe())
        self.assertNotIn("logged", out.report)
        self.assertNotIn("seccomp: logged", out.stderr)

    def test_no_logged_call_no_logged_field(self):
        out = run_probe("probe_log", "read", "/proc/self/status", with_report=True)
        self.assertResult(out, "ok")
        self.assertNotIn("logged", out.report, out.report)
        self.assertNotIn("seccomp", out.stderr, out.describe())


SYS_SECCOMP = 317  # x86-64
SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_NEW_LISTENER = 1 << 3


def _hold_a_listener(slot):
    """A preexec_fn: an allow-all filter with a listener on the launcher, so
    the job's own listener is refused (EBUSY: one per filter chain) and the
    job falls back to the kill program. The listener must stay open in the
    launcher (once its last fd closes the kernel forgets it), so it replaces
    `slot`, an fd the launcher is passed."""

    def install():
        libc = ctypes.CDLL(None, use_errno=True)
        ret_allow = ctypes.create_string_buffer(struct.pack("=HBBI", 0x06, 0, 0, 0x7FFF0000))

        class Prog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        prog = Prog(1, ctypes.cast(ret_allow, ctypes.c_void_p))
        libc.syscall.restype = ctypes.c_long
        fd = libc.syscall(ctypes.c_long(SYS_SECCOMP), ctypes.c_long(SECCOMP_SET_MODE_FILTER),
                          ctypes.c_long(SECCOMP_FILTER_FLAG_NEW_LISTENER), ctypes.byref(prog))
        if fd < 0:
            raise OSError(ctypes.get_errno(), "seccomp(NEW_LISTENER)")
        os.dup2(fd, slot)

    return install


class SeccompFallbackTest(ProbeTest):
    """Where the kernel refuses the job's listener, the kill program is
    installed instead: LOG goes to the kernel's audit log (nothing in the
    report), a kill is still a kill."""

    def _run_with_listener_held(self, *probe_args, **kw):
        slot = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
        try:
            return run_probe("probe_log", *probe_args, with_report=True, preexec_fn=_hold_a_listener(slot),
                             pass_fds=(slot,), **kw)
        finally:
            os.close(slot)

    def test_log_without_listener_still_runs_and_reports_nothing(self):
        rw = self.make_tempdir()
        out = self._run_with_listener_held("mkdir", "/rw/fallback", params={"RW_DIR": rw})
        self.assertResult(out, "ok")
        self.assertTrue(os.path.isdir(os.path.join(rw, "fallback")), out.describe())
        self.assertNotIn("logged", out.report, out.report)
        self.assertNotIn("seccomp: logged", out.stderr)

    def test_kill_without_listener_is_still_159(self):
        out = self._run_with_listener_held("syslog")
        self.assertExit(out, EXIT_SECCOMP)
        self.assertNotIn("job killed by the filter", out.stderr)  # that line needs the listener
        self.assertIn("the job was killed by the seccomp filter (SIGSYS)", out.stderr)
        self.assertEqual(out.report.get("reason"), "seccomp", out.report)
        self.assertNotIn("syscall", out.report, out.report)


def run_with_options(options, policy, *probe_args, params=None, program=None, timeout=60):
    """run_probe with launcher options (`--learn`, `--logged-max N`) and a report."""
    tmp = tempfile.mkdtemp(prefix="stockade-report-")
    report = os.path.join(tmp, "report.json")
    try:
        args = launcher_args(policy, probe_args, params, report, program)
        at = args.index("--")
        args[at:at] = list(options)
        return run_launcher(args, report=report, timeout=timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def logged_names(report):
    return {e["name"] for e in report.get("logged", [])}


class DefaultLogTest(ProbeTest):
    """LOG whatever the policy logs (issue 11): the launcher pulls the job's
    listener with pidfd_getfd, so a policy that LOGs close, sendmsg and read,
    here every call, still reports each call with its arguments."""

    def test_default_log_reports_every_call_and_the_job_runs(self):
        rw = self.make_tempdir()
        out = run_with_options(["--logged-max", "4096"], "probe_default_log", "-c",
                               "mkdir -m 755 /rw/a && exec 9>/rw/b && exit 5",
                               params={"RW_DIR": rw}, program="/bin/sh")
        self.assertEqual(out.returncode, 5, out.describe())
        self.assertEqual(sorted(os.listdir(rw)), ["a", "b"], out.describe())
        report = out.report
        self.assertEqual((report["status"], report["reason"]), (5, "exited"), report)
        names = logged_names(report)
        for call in ("execve", "close", "read", "exit_group"):
            self.assertIn(call, names, report)
        self.assertTrue(names & {"mkdir", "mkdirat"}, report)
        self.assertTrue(names & {"open", "openat"}, report)
        self.assertEqual(report["logged_calls"], sum(e["count"] for e in report["logged"]), report)
        # The first call of each syscall is one line on stderr, with its arguments.
        self.assertRegex(out.stderr, r"(?m)^stockade: seccomp: logged: execve \(59\) args: 0x[0-9a-f]+, ")

    def test_a_kill_is_still_a_kill_under_default_log(self):
        out = run_with_options([], "probe_default_log", "syslog")
        self.assertExit(out, EXIT_SECCOMP)
        self.assertEqual(out.report["syscall"]["name"], "syslog", out.report)
        self.assertIn("execve", logged_names(out.report), out.report)

    def test_forks_and_threads_are_followed(self):
        rw = self.make_tempdir()
        # The mkdir runs in a forked child of the shell.
        out = run_with_options(["--logged-max", "4096"], "probe_default_log", "-c",
                               "(mkdir -m 755 /rw/child) & wait; exit 0",
                               params={"RW_DIR": rw}, program="/bin/sh")
        self.assertEqual(out.returncode, 0, out.describe())
        self.assertTrue(os.path.isdir(os.path.join(rw, "child")), out.describe())
        names = logged_names(out.report)
        self.assertTrue(names & {"clone", "clone3", "fork", "vfork"}, out.report)
        self.assertTrue(names & {"mkdir", "mkdirat"}, out.report)

    def test_logged_max_sets_how_many_syscalls_are_listed(self):
        script = "exec 9>/rw/x && exit 0"
        rw = self.make_tempdir()
        four = run_with_options(["--logged-max", "4"], "probe_default_log", "-c", script, params={"RW_DIR": rw},
                                program="/bin/sh")
        self.assertEqual(four.returncode, 0, four.describe())
        self.assertEqual(len(four.report["logged"]), 4, four.report)
        self.assertGreater(four.report["logged_calls"], sum(e["count"] for e in four.report["logged"]))
        self.assertIn("seccomp: logged: more than 4 distinct syscalls; further ones are only counted", four.stderr)
        default = run_with_options([], "probe_default_log", "-c", script, params={"RW_DIR": rw}, program="/bin/sh")
        self.assertEqual(len(default.report["logged"]), 16, default.report)
        many = run_with_options(["--logged-max=4096"], "probe_default_log", "-c", script, params={"RW_DIR": rw},
                                program="/bin/sh")
        self.assertGreater(len(many.report["logged"]), 16, many.report)
        self.assertEqual(many.report["logged_calls"], sum(e["count"] for e in many.report["logged"]), many.report)
        for bad in ("0", "4097", "x"):
            out = run_with_options(["--logged-max", bad], "probe_default_log", "true")
            self.assertExit(out, EXIT_USAGE, bad)
            self.assertOneLineError(out, "--logged-max", "1..4096")


def wakeups(pid):
    """How often PID has slept and woken (voluntary context switches): a
    count, not a time, so a loaded machine does not change it much."""
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"(?m)^voluntary_ctxt_switches:\s+(\d+)", f.read()).group(1))


class StoppedBeforeFilterTest(ProbeTest):
    """The job stopped between the launcher's 'g' and its filter (a worker's
    SIGSTOP of the group can land there; the test launcher stops the job
    itself: STOCKADE_TEST_STOP_AT=pull). The launcher must neither spin
    waiting to pull the listener nor stop serving signals meanwhile: it
    retries with a growing interval inside its supervision loop."""

    def start_stopped(self, marker):
        args = launcher_args("probe_default_log", ["sleep", "0", marker])
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=base_env({"STOCKADE_TEST_STOP_AT": "pull"}), preexec_fn=os.setpgrp)
        LAUNCHED.add(proc.pid)
        self.addCleanup(stop, proc)

        def stopped_job():
            found = [p for p in pids_with_marker(marker) if p != proc.pid and process_state(p) == "T"]
            return found[0] if found else None
        job = wait_for(stopped_job, timeout=20)
        self.assertIsNotNone(job, "the job never stopped before its filter")
        return proc, job

    def test_launcher_sleeps_while_the_job_is_stopped_and_pulls_on_sigcont(self):
        proc, job = self.start_stopped(unique("pull-cont"))
        time.sleep(0.2)  # past the first tries: the interval has grown
        before = wakeups(proc.pid)
        time.sleep(1.0)
        woke = wakeups(proc.pid) - before
        print("\nmeasured: the launcher woke %d times in 1 s while the job was stopped before its filter" % woke)
        # A retry every 20 us woke it over ten thousand times a second; the
        # backed-off retry wakes it about 100 times.
        self.assertLess(woke, 1000)
        os.kill(job, signal.SIGCONT)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err.decode(errors="replace"))
        self.assertIn(b"seccomp: logged: execve", err)

    def test_worker_signals_still_end_a_job_stopped_before_its_filter(self):
        snapshot = Snapshot()
        marker = unique("pull-term")
        proc, job = self.start_stopped(marker)
        time.sleep(0.2)
        # The worker's SIGINT, then SIGTERM: the second one means SIGKILL.
        os.kill(proc.pid, signal.SIGINT)
        time.sleep(0.1)
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=20)
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(wait_for(lambda: not pids_with_marker(marker), timeout=10),
                        "processes outlived the launcher: %s" % pids_with_marker(marker))
        self.assertEqual(snapshot.new_mounts(), [], "mounts left behind")


class LearnRunTest(ProbeTest):
    """`stockade run --learn`: every call the policy lets through is in the
    report, told apart by the argument that says what it does."""

    def test_learn_lists_allowed_calls_and_keys_them_by_argument(self):
        script = ("import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close(); "
                  "socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).close()")
        need(self, os.path.exists("/usr/bin/python3"), "no python3 on the host")
        out = run_with_options(["--learn"], "probe_notify", "-c", script, program="/usr/bin/python3")
        self.assertEqual(out.returncode, 0, out.describe())
        report = out.report
        names = logged_names(report)
        for call in ("execve", "read", "mmap", "exit_group"):
            self.assertIn(call, names, report)
        sockets = sorted(e["args"][0] for e in report["logged"] if e["name"] == "socket")
        self.assertEqual(sockets, [2, 10], report)  # AF_INET, AF_INET6: one entry each
        self.assertTrue(all(e.get("key_arg") == 0 for e in report["logged"] if e["name"] == "socket"), report)
        self.assertTrue(all(e.get("key_arg") == 1 for e in report["logged"] if e["name"] == "ioctl"), report)
        self.assertNotIn("key_arg", [k for e in report["logged"] if e["name"] == "read" for k in e])
        self.assertNotIn("seccomp: logged:", out.stderr)  # --learn says it in the report only
        self.assertEqual(report["logged_calls"], sum(e["count"] for e in report["logged"]), report)

    def test_a_kill_under_learn_is_still_a_kill(self):
        rw = self.make_tempdir()
        out = run_with_options(["--learn"], "probe_notify", "mkdir", "/rw/never", params={"RW_DIR": rw})
        self.assertExit(out, EXIT_SECCOMP)
        self.assertFalse(os.path.exists(os.path.join(rw, "never")))
        self.assertIn(out.report["syscall"]["name"], ("mkdir", "mkdirat"), out.report)

    def test_learn_needs_a_filter(self):
        out = run_with_options(["--learn"], "probe", "true")
        self.assertExit(out, EXIT_USAGE)
        self.assertOneLineError(out, "--learn", "no seccomp filter")
