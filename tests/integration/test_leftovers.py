# SPDX-License-Identifier: Apache-2.0
"""Nothing of a sandbox outlives it on the host: no mount, no cgroup, no
process, whether the job exits, set-up fails, time runs out, or the
launcher itself is killed with SIGKILL."""

import os
import signal
import subprocess

from harness import (EXIT_SETUP, EXIT_TIMEOUT, ProbeTest, Snapshot, launcher_args, pids_with_marker,
                     run_probe, start_launcher, stop, unique, wait_for)


class LeftoverTest(ProbeTest):
    def assertNothingLeft(self, snapshot, marker):
        self.assertEqual(pids_with_marker(marker), {}, "processes left behind")
        self.assertEqual(snapshot.new_mounts(), [], "mounts left behind")
        self.assertEqual(snapshot.new_cgroups(), [], "cgroups left behind")

    def test_after_normal_exit(self):
        snapshot = Snapshot()
        marker = unique("exit")
        out = run_probe("probe", "sleep", "0", marker)
        self.assertResult(out, "ok")
        self.assertNothingLeft(snapshot, marker)

    def test_after_normal_exit_with_cgroup(self):
        snapshot = Snapshot()
        marker = unique("cg")
        out = run_probe("probe_cgroup", "sleep", "0", marker)
        self.assertResult(out, "ok")
        self.assertNothingLeft(snapshot, marker)

    def test_after_setup_failure(self):
        # A mandatory bind whose source is missing; in probe_cgroup the
        # cgroup exists by the time the mounts fail, so it must be removed.
        missing = os.path.join(self.make_tempdir(), "missing")
        for policy in ("probe", "probe_cgroup"):
            snapshot = Snapshot()
            marker = unique("setup")
            out = run_probe(policy, "sleep", "0", marker, params={"DATA_DIR": missing})
            self.assertExit(out, EXIT_SETUP, policy)
            self.assertOneLineError(out, missing)
            self.assertEqual(out.stdout, "", "the job ran")
            self.assertNothingLeft(snapshot, marker)

    def test_setup_failure_report(self):
        missing = os.path.join(self.make_tempdir(), "missing")
        out = run_probe("probe", "exit", "0", params={"DATA_DIR": missing}, with_report=True)
        self.assertExit(out, EXIT_SETUP)
        self.assertIsNotNone(out.report)
        self.assertEqual(out.report.get("reason"), "setup-failed", out.report)

    def test_after_timeout(self):
        snapshot = Snapshot()
        marker = unique("timeout")
        out = run_probe("probe_timeout", "sleep", "30", marker, timeout=60)
        self.assertExit(out, EXIT_TIMEOUT)
        self.assertNothingLeft(snapshot, marker)

    def test_after_launcher_sigkill(self):
        snapshot = Snapshot()
        marker = unique("kill9")
        proc = start_launcher(launcher_args("probe_cgroup", ["sleep", "60", marker]))
        self.addCleanup(stop, proc)

        def job_running():
            return any(argv and argv[0].startswith("/probe/") for argv in pids_with_marker(marker).values())
        self.assertTrue(wait_for(job_running, timeout=10), "the job never started")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone = wait_for(lambda: not pids_with_marker(marker), timeout=5)
        self.assertTrue(gone, "sandbox processes outlived the launcher: %s" % pids_with_marker(marker))
        self.assertEqual(snapshot.new_mounts(), [], "mounts left behind")
        # The launcher's cgroup keeper removes the cgroup it could not.
        left = wait_for(lambda: snapshot.new_cgroups() == [], timeout=5) or snapshot.new_cgroups()
        if left is not True:
            for path in reversed(left):
                try:
                    os.rmdir(path)
                except OSError:
                    pass
            self.fail("cgroups left after SIGKILL of the launcher: %s" % left)
