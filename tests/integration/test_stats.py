# SPDX-License-Identifier: Apache-2.0
"""`--stats-fd N`: while the job runs, the worker reads a start line with the
job's host pid, then the memory and CPU of the job's whole tree every
interval, then an exit line. What Windmill's worker reads today (the
launcher's first child's VmHWM every 500 ms) is the cgroup keeper or the
sandbox's init under Stockade, never the job; these tests show the stream
has the job's figures while it still runs, and that bad options leave
nothing behind."""

import json
import os
import select
import subprocess
import time

from harness import (EXIT_SETUP, EXIT_USAGE, LAUNCHED, ProbeTest, Snapshot, base_env, launcher_args, need,
                     pids_with_marker, run_launcher, run_with_fds, unique)
from test_limits import cgroup_controller

MIB = 1 << 20

# Grows to 320 MiB in 32 MiB steps (bytes filled with 1s, so every page is
# touched), says so, then holds it for a while before exiting.
GROW = """
import sys, time
chunks = []
for i in range(10):
    chunks.append(b'\\x01' * (32 << 20))
    time.sleep(0.1)
print('grown', flush=True)
time.sleep(1.5)
"""


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def first_child(pid):
    """What Windmill's worker reads: the first pid in
    /proc/<pid>/task/<pid>/children, and that process's VmHWM in bytes."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            kids = f.read().split()
        if not kids:
            return None, None
        with open("/proc/%s/status" % kids[0]) as f:
            for ln in f:
                if ln.startswith("VmHWM:"):
                    return int(kids[0]), int(ln.split()[1]) * 1024
        return int(kids[0]), None
    except OSError:
        return None, None


class Stream:
    """One launcher run with --stats-fd: every stats line, with whether the
    launcher was still running when it was read, and at that moment what
    the first child of the launcher was."""

    def __init__(self, args, stats_fd_arg, preexec_fn=None, timeout=60, close_reader=False):
        r, w = os.pipe()
        args = list(args)
        at = args.index("--")
        args[at:at] = ["--stats-fd", str(w) if stats_fd_arg is None else stats_fd_arg]
        self.lines = []      # (parsed line, launcher still running, first child, its VmHWM)
        self.raw = b""
        self.args = args
        start = time.monotonic()
        proc = subprocess.Popen(args, env=base_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, pass_fds=(w,), close_fds=True, preexec_fn=preexec_fn)
        LAUNCHED.add(proc.pid)
        self.pid = proc.pid
        os.close(w)
        if close_reader:
            os.close(r)
        else:
            buf = b""
            deadline = start + timeout
            while True:
                ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    proc.kill()
                    break
                chunk = os.read(r, 65536)
                if not chunk:
                    break
                running = proc.poll() is None
                child = first_child(proc.pid) if running else (None, None)
                self.raw += chunk
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self.lines.append((json.loads(line), running) + child)
            os.close(r)
        stdout, stderr = proc.communicate(timeout=timeout)
        self.returncode = proc.returncode
        self.stdout = stdout.decode(errors="replace")
        self.stderr = stderr.decode(errors="replace")

    def events(self, kind):
        return [ln[0] for ln in self.lines if ln[0]["event"] == kind]

    def describe(self):
        return "launcher %s\n exit %s\n stdout: %r\n stderr: %r\n stats: %s" % (
            " ".join(self.args), self.returncode, self.stdout[-2000:], self.stderr[-2000:],
            self.raw.decode(errors="replace")[-4000:])


class StatsTest(ProbeTest):
    def grow(self, marker, preexec_fn=None, tools=None):
        args = launcher_args("probe", ["-c", GROW, marker], program="/usr/bin/python3", tools=tools)
        args[args.index("--"):args.index("--")] = ["--stats-interval", "100"]
        return Stream(args, None, preexec_fn=preexec_fn)

    def check_grow_stream(self, s, source):
        self.assertEqual(s.returncode, 0, s.describe())
        self.assertIn("grown", s.stdout, s.describe())
        kinds = [ln[0]["event"] for ln in s.lines]
        self.assertEqual(kinds[0], "start", s.describe())
        self.assertEqual(kinds[-1], "exit", s.describe())
        self.assertEqual(set(kinds[1:-1]), {"sample"}, s.describe())
        self.assertGreaterEqual(len(kinds), 12, "about 25 samples at 100 ms over 2.5 s\n" + s.describe())
        start = s.lines[0][0]
        self.assertEqual(start["launcher_pid"], s.pid, s.describe())
        self.assertEqual(start["memory_source"], source, s.describe())
        self.assertEqual(start["interval_ms"], 100, s.describe())
        self.assertNotIn(start["job_pid"], (0, start["init_pid"], s.pid), s.describe())
        # The peak is in the stream while the launcher still runs, and
        # before the exit line.
        big = [ln for ln in s.lines if ln[0]["event"] == "sample" and ln[1] and
               ln[0]["peak_memory_bytes"] >= 300 * MIB]
        self.assertTrue(big, "no sample reported a peak of 300 MiB while the job ran\n" + s.describe())
        self.assertTrue(any(ln[0]["memory_bytes"] >= 300 * MIB for ln in big), s.describe())
        peaks = [ln["peak_memory_bytes"] for ln in s.events("sample")]
        self.assertEqual(peaks, sorted(peaks), "the peak never goes down\n" + s.describe())
        cpu = [ln["user_ms"] + ln["sys_ms"] for ln in s.events("sample")]
        self.assertEqual(cpu, sorted(cpu), "CPU time never goes down\n" + s.describe())
        self.assertGreater(cpu[-1], 0, s.describe())
        end = s.lines[-1][0]
        self.assertEqual((end["status"], end["reason"], end["signal"]), (0, "exited", None), s.describe())
        self.assertGreaterEqual(end["peak_memory_bytes"], 300 * MIB, s.describe())
        # What Windmill reads today: the launcher's first child is not the
        # job, and its VmHWM is far from the job's.
        for _line, running, child, hwm in big:
            self.assertNotEqual(child, start["job_pid"], s.describe())
            if hwm is not None:
                self.assertLess(hwm, 50 * MIB, s.describe())

    def test_peak_of_a_growing_job_is_reported_while_it_runs(self):
        need(self, cgroup_controller("memory"), "no memory cgroup controller")
        snapshot = Snapshot()
        marker = unique("stats")
        s = self.grow(marker)
        self.check_grow_stream(s, "cgroup v2" if os.path.exists("/sys/fs/cgroup/cgroup.controllers") else "cgroup v1")
        self.assertEqual(pids_with_marker(marker), {}, "processes left behind")
        self.assertEqual(snapshot.new_cgroups(), [], "cgroups left behind")

    def test_without_a_cgroup_memory_comes_from_proc(self):
        # An ordinary user gets no cgroup: the stream sums the tree's
        # VmRSS / VmHWM instead.
        marker = unique("stats-proc")
        s = self.grow(marker, preexec_fn=as_nobody, tools=self.tools_for_everyone())
        self.check_grow_stream(s, "proc")
        self.assertEqual(pids_with_marker(marker), {}, "processes left behind")

    def test_a_short_job_gets_start_and_exit(self):
        s = Stream(launcher_args("probe", ["exit", "3"]), None)
        self.assertEqual(s.returncode, 3, s.describe())
        self.assertEqual([ln[0]["event"] for ln in s.lines][::len(s.lines) - 1], ["start", "exit"], s.describe())
        self.assertEqual((s.lines[-1][0]["status"], s.lines[-1][0]["reason"]), (3, "exited"), s.describe())

    def test_a_setup_failure_gets_only_the_exit_line(self):
        missing = os.path.join(self.make_tempdir(), "missing")
        s = Stream(launcher_args("probe", ["exit", "0"], params={"DATA_DIR": missing}), None)
        self.assertEqual(s.returncode, EXIT_SETUP, s.describe())
        self.assertEqual([ln[0] for ln in s.lines][0]["event"], "exit", s.describe())
        self.assertEqual(len(s.lines), 1, s.describe())
        self.assertEqual(s.lines[0][0]["reason"], "setup-failed", s.describe())

    def test_a_reader_that_goes_away_does_not_stop_the_job(self):
        args = launcher_args("probe", ["sleep", "1"])
        args[args.index("--"):args.index("--")] = ["--stats-interval", "10"]
        s = Stream(args, None, close_reader=True)
        self.assertEqual(s.returncode, 0, s.describe())
        self.assertEqual(s.stderr, "", s.describe())

    def test_bad_options_are_one_line_and_leave_nothing(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        cases = [
            (["--stats-fd", "x"], (), "option --stats-fd x: not a file descriptor number"),
            (["--stats-fd", "-3"], (), "option --stats-fd -3: not a file descriptor number"),
            (["--stats-fd", "57"], (), "option --stats-fd 57: Bad file descriptor"),
            (["--stats-fd", str(r)], (r,), "option --stats-fd %d: not open for writing" % r),
            (["--stats-fd", str(w), "--stats-interval", "5"], (w,),
             "option --stats-interval 5: not a number of milliseconds in 10..60000"),
            (["--stats-fd", str(w), "--stats-interval", "60001"], (w,),
             "option --stats-interval 60001: not a number of milliseconds in 10..60000"),
            (["--stats-fd", str(w), "--stats-interval", "1s"], (w,),
             "option --stats-interval 1s: not a number of milliseconds in 10..60000"),
            (["--stats-interval", "100"], (), "option --stats-interval: needs --stats-fd"),
        ]
        for extra, fds, message in cases:
            with self.subTest(extra=extra):
                snapshot = Snapshot()
                marker = unique("badstats")
                args = launcher_args("probe_cgroup", ["sleep", "0", marker])
                args[args.index("--"):args.index("--")] = extra
                out = run_launcher(args, pass_fds=fds)
                self.assertExit(out, EXIT_USAGE)
                self.assertOneLineError(out, "stockade: usage: " + message)
                self.assertEqual(out.stdout, "", "the job ran\n" + out.describe())
                self.assertEqual(pids_with_marker(marker), {}, "processes left behind")
                self.assertEqual(snapshot.new_cgroups(), [], "cgroups left behind")
        # A fd the policy passes to the job cannot be the stats stream.
        args = launcher_args("probe_passfd", ["exit", "0"])
        args[args.index("--"):args.index("--")] = ["--stats-fd", "3"]
        null = os.open("/dev/null", os.O_WRONLY | os.O_CLOEXEC)
        self.addCleanup(os.close, null)
        out = run_with_fds(args, {3: null})
        self.assertExit(out, EXIT_USAGE)
        self.assertOneLineError(out, "option --stats-fd 3: the policy passes this fd to the job (pass_fd)")
