"""A call the seccomp filter kills is reported with its arguments: the
launcher holds the filter's USER_NOTIF listener, kills the sandbox on the
notification, and names the call (name, number, arguments) on stderr and in
--report. The call never runs, and the job never holds the listener."""

import os
import re
import signal

from harness import EXIT_SECCOMP, ProbeTest, need, run_probe, run_probe_on_host

MKDIR_MODE = 0o755  # what the probe's mkdir op passes
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
