# SPDX-License-Identifier: Apache-2.0
"""Resource limits hold when the job tries to exceed them: rlimits, cgroup
memory and pids, and the wall-clock limit; the report's figures after a
kill."""

import json
import os
import resource
import signal
import time

from harness import (EXIT_OOM, EXIT_TIMEOUT, ProbeTest, Snapshot, launcher_args, need, run_probe, start_launcher,
                     stop, unique)
from test_cgroup_v2 import cgroup2_mount


def limits_table(text):
    """/proc/self/limits as {name: (soft, hard)}."""
    out = {}
    for ln in text.splitlines():
        if ln.startswith("Limit") or not ln.startswith("Max "):
            continue
        # Columns are fixed-width: name (26), soft (21), hard (21), units.
        name = ln[:26].strip()
        soft = ln[26:47].strip()
        hard = ln[47:68].strip()
        out[name] = (soft, hard)
    return out


def cgroup_controller(name):
    """True if the memory/pids controller is usable (v1 hierarchy or v2)."""
    if os.path.isdir("/sys/fs/cgroup/" + name) and os.listdir("/sys/fs/cgroup/" + name):
        return True
    for root in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
        try:
            with open(root + "/cgroup.controllers") as f:
                if name in f.read().split():
                    return True
        except OSError:
            pass
    return False


class RlimitTest(ProbeTest):
    def test_proc_self_limits_shows_the_policys_rlimits(self):
        out = run_probe("probe_rlimits", "cat", "/proc/self/limits")
        self.assertResult(out, "ok")
        table = limits_table(out.stdout)
        expected = {
            "Max file size": (str(1 << 20), str(1 << 20)),
            "Max open files": ("64", "64"),
            "Max cpu time": ("1", "3"),
            "Max core file size": ("0", "0"),
            "Max stack size": (str(8 << 20), str(8 << 20)),
            "Max locked memory": (str(64 << 10), str(64 << 10)),
        }
        for name, value in expected.items():
            self.assertEqual(table.get(name), value, name + "\n" + out.stdout)

    def test_unlisted_rlimits_are_inherited(self):
        # RLIMIT_MSGQUEUE is not in probe_rlimits: the launcher's value
        # stays (lowered here, so it differs from the default).
        def lower():
            resource.setrlimit(resource.RLIMIT_MSGQUEUE, (4096, 8192))
        out = run_probe("probe_rlimits", "cat", "/proc/self/limits", preexec_fn=lower)
        self.assertResult(out, "ok")
        self.assertEqual(limits_table(out.stdout).get("Max msgqueue size"), ("4096", "8192"), out.stdout)

    def test_fsize_kills_with_sigxfsz(self):
        out = run_probe("probe_rlimits", "fsize", str(4 << 20), "/tmp/big")
        self.assertExit(out, 128 + signal.SIGXFSZ)
        self.assertIsNone(out.result, out.describe())

    def test_fsize_gives_efbig_when_ignored(self):
        out = run_probe("probe_rlimits", "fsize", str(4 << 20), "/tmp/big", "ignore")
        self.assertResult(out, "EFBIG")
        self.assertEqual(out.value("written"), str(1 << 20))

    def test_nofile_stops_at_the_limit(self):
        out = run_probe("probe_rlimits", "nofile")
        self.assertResult(out, "EMFILE")
        self.assertEqual(out.value("highest_fd"), "63")

    def test_cpu_soft_limit_sends_sigxcpu(self):
        out = run_probe("probe_rlimits", "spin", "30", timeout=60, with_report=True)
        self.assertExit(out, 128 + signal.SIGXCPU)
        # Without the limit the 30 s spin would end normally after >= 30 s.
        self.assertLess(out.wall_s, 25, "the CPU limit of 1 s did not stop a 30 s spin soon")
        self.assertIsNotNone(out.report)
        self.assertEqual(out.report.get("reason"), "signaled", out.report)
        self.assertEqual(out.report.get("signal"), int(signal.SIGXCPU), out.report)
        # About one second of CPU. user_ms + sys_ms come from tick-sampled
        # rusage while the limit uses exact run time, hence the wide bound.
        cpu_ms = out.report.get("user_ms", 0) + out.report.get("sys_ms", 0)
        self.assertGreaterEqual(cpu_ms, 700, out.report)
        self.assertLess(cpu_ms, 2500, out.report)

    def test_cpu_hard_limit_kills(self):
        out = run_probe("probe_rlimits", "spin", "30", "ignore", timeout=60)
        self.assertExit(out, 128 + signal.SIGKILL)
        self.assertLess(out.wall_s, 25)


class CgroupTest(ProbeTest):
    def test_memory_bomb_is_killed_by_the_cgroup(self):
        need(self, cgroup_controller("memory"), "no memory cgroup controller")
        snapshot = Snapshot()
        out = run_probe("probe_cgroup", "membomb", "1024", with_report=True, timeout=120)
        self.assertEqual(snapshot.new_cgroups(), [], "cgroups left behind after the OOM kill")
        self.assertExit(out, EXIT_OOM)
        self.assertIsNone(out.result, "the job allocated 1 GiB under a 64 MiB limit\n" + out.describe())
        self.assertIsNotNone(out.report)
        self.assertEqual(out.report.get("reason"), "oom", out.report)
        peak = out.report.get("peak_memory_bytes")
        self.assertIsInstance(peak, int)
        self.assertLessEqual(peak, 64 << 20, out.report)
        self.assertGreater(peak, 16 << 20, out.report)

    def test_fork_bomb_stops_at_the_pids_limit(self):
        need(self, cgroup_controller("pids"), "no pids cgroup controller")
        snapshot = Snapshot()
        out = run_probe("probe_cgroup", "forkbomb", "10000", timeout=120)
        self.assertEqual(snapshot.new_cgroups(), [], "cgroups left behind")
        self.assertResult(out, "EAGAIN")
        forked = int(out.value("forked"))
        # 32 tasks in the sandbox: init, the job, and at most 30 children.
        self.assertLessEqual(forked, 30, out.describe())
        self.assertGreaterEqual(forked, 20, out.describe())

    def test_memory_under_the_limit_is_fine(self):
        # Positive control for the bomb: 16 MiB under a 64 MiB limit.
        need(self, cgroup_controller("memory"), "no memory cgroup controller")
        out = run_probe("probe_cgroup", "membomb", "16")
        self.assertResult(out, "ok")


class CpuBandwidthTest(ProbeTest):
    def test_cpu_share_throttles_a_spinning_job(self):
        need(self, cgroup_controller("cpu"), "no cpu cgroup controller")

        def cpu_per_wall(policy):
            out = run_probe(policy, "spin-ms", "500", timeout=60, with_report=True)
            self.assertResult(out, "ok")
            self.assertIsNotNone(out.report)
            cpu = out.report["user_ms"] + out.report["sys_ms"]
            self.assertGreaterEqual(cpu, 300, out.report)
            return cpu / max(out.report["wall_ms"], 1)
        free = cpu_per_wall("probe")
        throttled = cpu_per_wall("probe_cpu")
        print("\nmeasured: CPU/wall time of a 0.5 s spin: %.2f unthrottled, %.2f at 100 ms/s" % (free, throttled))
        # 100 ms of CPU per second of wall time, with slack for the first period.
        bound = 0.15
        if free <= bound:
            self.skipTest("machine too loaded to tell throttling apart: unthrottled CPU/wall %.2f "
                          "(the moment, not a feature: never forced)" % free)
        self.assertLessEqual(throttled, bound)


class WallTimeTest(ProbeTest):
    def test_time_limit_kills_the_sandbox_with_124(self):
        out = run_probe("probe_timeout", "sleep", "30", with_report=True, timeout=60)
        self.assertExit(out, EXIT_TIMEOUT)
        self.assertLess(out.wall_s, 5, "a 1 s limit ended a 30 s sleep after %.1f s" % out.wall_s)
        self.assertGreaterEqual(out.wall_s, 0.9)
        self.assertIsNotNone(out.report)
        self.assertEqual(out.report.get("reason"), "timeout", out.report)
        self.assertTrue(out.stderr.startswith("stockade: "), out.describe())

    def test_job_within_time_limit_exits_normally(self):
        self.assertExit(run_probe("probe_timeout", "exit", "7"), 7)


class ReportAfterKillTest(ProbeTest):
    """The report's CPU time after init was SIGKILLed with the job still
    running (the worker's second SIGTERM): init's rusage never saw the job,
    the cgroup did. On v1 (cpuacct) as root, and on v2 (cpu.stat, present in
    every cgroup2 directory, even one with no controllers) through --cgroup."""

    SPIN = ["-c", "trap '' TERM; while :; do :; done"]

    def spin_then_kill(self, extra_args=()):
        tmp = self.make_tempdir()
        report = os.path.join(tmp, "report.json")
        args = launcher_args("probe", self.SPIN, report=report, program="/bin/sh")
        args = args[:3] + list(extra_args) + args[3:]
        proc = start_launcher(args)
        self.addCleanup(stop, proc)
        time.sleep(1.5)
        proc.send_signal(signal.SIGTERM)   # forwarded; the job ignores it
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)   # the second one kills init
        proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 128 + signal.SIGKILL)
        with open(report) as f:
            data = json.load(f)
        self.assertEqual(data.get("reason"), "signaled", data)
        cpu = data["user_ms"] + data["sys_ms"]
        print("\nmeasured: %d ms CPU reported for a %d ms spin killed with init" % (cpu, data["wall_ms"]))
        # ~1800 ms on an idle core; before, the report said 0 or 1.
        self.assertGreater(cpu, 200, data)
        self.assertLessEqual(cpu, data["wall_ms"] + 100, data)

    def test_cpu_time_after_init_was_killed_v1(self):
        need(self, cgroup_controller("cpuacct"), "no cpuacct cgroup controller")
        need(self, not os.path.exists("/sys/fs/cgroup/cgroup.controllers"), "cgroup v2 machine (test below)")
        self.spin_then_kill()

    def test_cpu_time_after_init_was_killed_v2(self):
        root = cgroup2_mount()
        need(self, root is not None, "no cgroup2 hierarchy mounted")
        parent = os.path.join(root, unique("stockade-test"))
        os.mkdir(parent)
        self.addCleanup(os.rmdir, parent)
        self.spin_then_kill(["--cgroup", parent])
        self.assertEqual([d for d in os.listdir(parent) if d.startswith("stockade-")], [])
