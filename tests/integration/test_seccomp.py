# SPDX-License-Identifier: Apache-2.0
"""A seccomp kill ends the job with 159 and names the syscall; the filter
cannot be walked around through the i386 or x32 syscall entry points."""

import signal

from harness import EXIT_SECCOMP, ProbeTest, need, run_probe, run_probe_on_host


class SeccompTest(ProbeTest):
    def test_killed_syscall_exits_159_and_names_it(self):
        self.assertResult(run_probe("probe", "uname-raw"), "ok")  # allowed without the filter
        out = run_probe("probe_seccomp", "uname-raw", with_report=True)
        self.assertExit(out, EXIT_SECCOMP)
        self.assertIsNone(out.result)
        self.assertIn("uname", out.stderr, out.describe())
        self.assertIsNotNone(out.report)
        self.assertEqual(out.report.get("reason"), "seccomp", out.report)
        self.assertEqual(out.report.get("signal"), int(signal.SIGSYS), out.report)

    def test_errno_action(self):
        self.assertResult(run_probe("probe_seccomp", "ptrace", "1"), "EPERM")

    def test_other_syscalls_still_work(self):
        self.assertResult(run_probe("probe_seccomp", "read", "/proc/self/status"), "ok")

    def test_i386_entry_point_does_not_bypass(self):
        host = run_probe_on_host("i386-uname")
        need(self, host.result == "ok", "no i386 syscall emulation: " + host.stdout.strip())
        # Unfiltered, the i386 call works inside the sandbox too.
        self.assertResult(run_probe("probe", "i386-uname"), "ok")
        out = run_probe("probe_seccomp", "i386-uname")
        self.assertEqual(out.returncode, EXIT_SECCOMP, "i386 uname got past the filter\n" + out.describe())

    def test_x32_entry_point_does_not_bypass(self):
        out = run_probe("probe_seccomp", "x32-uname")
        # Whatever the kernel's x32 support, the filter must stop the call
        # before it runs: the x32 bit is checked first.
        self.assertEqual(out.returncode, EXIT_SECCOMP, "x32 uname got past the filter\n" + out.describe())
