# SPDX-License-Identifier: Apache-2.0
"""The job sees and touches only the sandbox's processes, inherits nothing the
policy does not give it (environment, descriptors, keyrings, terminal,
privileges), and its end is reported faithfully."""

import fcntl
import json
import os
import pty
import shutil
import signal
import subprocess
import termios
import time

from harness import (EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, OUTSIDE_ID, ProbeTest, launcher_args, need,
                     pids_with_marker, probe_host_path, run_launcher, run_probe, run_probe_on_host,
                     run_with_fds, start_launcher, stop, unique, wait_for)


def status_fields(text):
    out = {}
    for ln in text.splitlines():
        if ":\t" in ln:
            key, value = ln.split(":\t", 1)
            out[key] = value.strip()
    return out


class PidNamespaceTest(ProbeTest):
    def test_proc_shows_only_the_sandbox(self):
        out = run_probe("probe", "pids")
        self.assertResult(out, "ok")
        pids = {int(p.split()[0]) for p in out.values("pid")}
        self_pid = int(out.value("self"))
        # Stockade's init is pid 1 and the job its child: nothing else.
        self.assertEqual(pids, {1, self_pid}, out.describe())
        self.assertNotEqual(self_pid, 1, "the job must not be pid 1 (init reaps and forwards)")

    def test_ps_shows_only_the_sandbox(self):
        # The real tool, dynamically linked from the bound /usr.
        if not os.path.exists("/usr/bin/ps"):
            self.skipTest("no /usr/bin/ps on this host (a tool, not a kernel feature: never forced)")
        out = run_probe("probe", "-e", "-o", "pid=,comm=", program="/usr/bin/ps")
        self.assertExit(out, 0)
        rows = [ln.split(None, 1) for ln in out.stdout.splitlines() if ln.strip()]
        self.assertEqual(len(rows), 2, out.describe())
        self.assertEqual(rows[0][0], "1", out.describe())
        self.assertEqual(rows[1][1].strip(), "ps", out.describe())

    def test_concurrent_sandbox_is_invisible(self):
        marker = unique("sibling")
        sibling = start_launcher(launcher_args("probe", ["sleep", "30", marker]))
        self.addCleanup(stop, sibling)

        def sibling_job():
            return [pid for pid, argv in pids_with_marker(marker).items() if argv[0].startswith("/probe/")]
        jobs = wait_for(sibling_job, timeout=10)
        self.assertTrue(jobs, "the sibling job never started")
        out = run_probe("probe", "pids")
        self.assertEqual({int(p.split()[0]) for p in out.values("pid")}, {1, int(out.value("self"))},
                         out.describe())
        for pid in jobs + [sibling.pid]:
            self.assertResult(run_probe("probe", "kill", str(pid), "9"), "ESRCH", "pid %d" % pid)
        self.assertTrue(sibling_job(), "the sibling died")

    def test_host_pids_cannot_be_signalled(self):
        sleeper = subprocess.Popen(["sleep", "30"])
        self.addCleanup(sleeper.wait)
        self.addCleanup(sleeper.kill)
        for pid in (sleeper.pid, os.getpid()):
            self.assertResult(run_probe("probe", "kill", str(pid), "0"), "ESRCH", "pid %d" % pid)
        self.assertIsNone(sleeper.poll())

    def test_init_cannot_be_traced_or_read(self):
        self.assertResult(run_probe("probe", "ptrace", "1"), "EPERM")
        self.assertResult(run_probe("probe", "vmread", "1"), "EPERM")
        # Init holds capabilities and may hold descriptors of the host: its
        # fds, root, cwd and memory must stay closed to the job.
        for path in ("/proc/1/fd", "/proc/1/root", "/proc/1/cwd"):
            self.assertResult(run_probe("probe", "ls", path), "EACCES", path)
        self.assertResult(run_probe("probe", "read", "/proc/1/mem"), "EACCES")

    def test_orphans_are_reaped(self):
        out = run_probe("probe", "orphans", "5")
        self.assertResult(out, "ok")
        self.assertEqual(out.value("zombies"), "0", out.describe())


class OtherNamespacesTest(ProbeTest):
    def test_cgroup_namespace_hides_host_cgroup_paths(self):
        with open("/proc/self/cgroup") as f:
            host = f.read()
        out = run_probe("probe", "cat", "/proc/self/cgroup")
        self.assertResult(out, "ok")
        lines = [ln for ln in out.stdout.splitlines() if ln.count(":") >= 2]
        self.assertTrue(lines, out.describe())
        for ln in lines:
            self.assertEqual(ln.split(":", 2)[2], "/", "host cgroup path visible: %s\nhost: %s" % (ln, host))

    def test_ipc_namespace_hides_host_shared_memory(self):
        key = str(0x5700000 + os.getpid() % 0x10000)
        made = run_probe_on_host("shm-make", key)
        self.assertResult(made, "ok")
        self.addCleanup(run_probe_on_host, "shm-rm", made.value("id"))
        self.assertResult(run_probe_on_host("shm-find", key), "ok")  # positive control
        self.assertResult(run_probe("probe", "shm-find", key), "ENOENT")

    def test_cwd_is_the_policys(self):
        out = run_probe("probe", "cwd")
        self.assertResult(out, "ok")
        self.assertEqual(out.value("cwd"), "/tmp")


class OutsideIdentityTest(ProbeTest):
    def test_job_uid_outside_is_not_root(self):
        marker = unique("uid")
        args = launcher_args("probe", ["sleep", "30", marker])
        proc = start_launcher(args)
        self.addCleanup(stop, proc)

        def job_pids():
            return [pid for pid, argv in pids_with_marker(marker).items()
                    if argv and argv[0].endswith("/stockade-probe") and argv[0].startswith("/probe/")]
        jobs = wait_for(job_pids, timeout=10)
        self.assertTrue(jobs, "the job never appeared")
        with open("/proc/%d/status" % jobs[0]) as f:
            fields = status_fields(f.read())
        uids = [int(x) for x in fields["Uid"].split()]
        gids = [int(x) for x in fields["Gid"].split()]
        self.assertEqual(uids, [OUTSIDE_ID] * 4, fields["Uid"])
        self.assertEqual(gids, [OUTSIDE_ID] * 4, fields["Gid"])
        self.assertEqual(fields["CapEff"], "0000000000000000")


class PrivilegeTest(ProbeTest):
    def test_no_capabilities_and_no_new_privs(self):
        out = run_probe("probe", "cat", "/proc/self/status")
        self.assertResult(out, "ok")
        fields = status_fields(out.stdout)
        for cap in ("CapInh", "CapPrm", "CapEff", "CapAmb"):
            self.assertEqual(fields[cap], "0000000000000000", cap)
        self.assertEqual(fields["NoNewPrivs"], "1")

    def test_setuid_binary_gains_nothing(self):
        # A setuid-root copy of the probe on the host, bound in read-only.
        top = self.make_tempdir()
        os.chmod(top, 0o755)
        suid = os.path.join(top, "stockade-probe")
        shutil.copy(probe_host_path(), suid)
        os.chown(suid, 0, 0)
        os.chmod(suid, 0o4755)
        out = run_probe("probe", "cat", "/proc/self/status", params={"DATA_DIR": top},
                        program="/data/stockade-probe")
        self.assertResult(out, "ok")
        fields = status_fields(out.stdout)
        self.assertEqual(fields["CapEff"], "0000000000000000")
        self.assertEqual(fields["CapPrm"], "0000000000000000")
        plain = status_fields(run_probe("probe", "cat", "/proc/self/status").stdout)
        self.assertEqual(fields["Uid"], plain["Uid"], "setuid changed the uid")

    def test_hostname_is_the_policys_and_fixed(self):
        out = run_probe("probe", "uname")
        self.assertResult(out, "ok")
        self.assertEqual(out.value("nodename"), "stockade-probe")
        self.assertResult(run_probe("probe", "sethostname", "evil"), "EPERM")

    def test_kernel_modules_cannot_be_loaded(self):
        host = run_probe_on_host("module").result
        out = run_probe("probe", "module")
        # ENOSYS: this kernel has no module support at all.
        self.assertResult(out, "ENOSYS" if host == "ENOSYS" else "EPERM")


class EnvironmentTest(ProbeTest):
    def test_env_is_what_the_policy_says(self):
        out = run_probe("probe", "env", env={"STOCKADE_TEST_PASSED": "yes", "STOCKADE_TEST_OTHER": "no"})
        self.assertResult(out, "ok")
        self.assertEqual(sorted(out.values("env")),
                         ["HOME=/tmp", "PATH=/usr/bin:/bin", "STOCKADE_TEST_PASSED=yes"])

    def test_worker_secret_is_nowhere(self):
        secret = unique("worker-secret")
        env = {"STOCKADE_TEST_SECRET": secret}
        out = run_probe("probe", "findstr", secret[::-1], env=env)
        self.assertResult(out, "ok")
        self.assertEqual(out.values("found"), [], out.describe())
        # Positive control: a policy that keeps the environment exposes it.
        leaky = run_probe("probe_keepenv", "findstr", secret[::-1], env=env)
        self.assertResult(leaky, "ok")
        self.assertIn("environ", leaky.values("found"), leaky.describe())

    def test_init_environ_holds_no_worker_env(self):
        secret = unique("init-secret")
        out = run_probe("probe", "read", "/proc/1/environ", env={"STOCKADE_TEST_SECRET": secret})
        if out.result == "ok":
            self.assertNotIn("STOCKADE_TEST_SECRET", out.stdout)
        else:
            self.assertEqual(out.result, "EACCES", out.describe())


class FileDescriptorTest(ProbeTest):
    def test_leaked_directory_fd_is_closed(self):
        # A directory of the host left open and inheritable at fd 3 and a
        # high number, as a careless worker might.
        fd = os.open("/", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self.addCleanup(os.close, fd)
        leaks = {3: fd, 200: fd}
        out = run_with_fds(launcher_args("probe", ["fds"]), leaks)
        self.assertResult(out, "ok")
        numbers = sorted(int(x.split()[0]) for x in out.values("fd"))
        self.assertEqual(numbers, [0, 1, 2], out.describe())
        for number in leaks:
            walk = run_with_fds(launcher_args("probe", ["fd-walk", str(number), "root"]), leaks)
            self.assertResult(walk, "EBADF")

    def test_pass_fd_keeps_only_that_fd(self):
        read_end, write_end = os.pipe()
        self.addCleanup(os.close, read_end)
        extra = os.open("/", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self.addCleanup(os.close, extra)
        # The pipe's write end at fd 3 (passed by the policy), a stray at 4.
        fds = {3: write_end, 4: extra}
        out = run_with_fds(launcher_args("probe_passfd", ["write-fd", "3", "through-fd-3"]), fds)
        os.close(write_end)
        self.assertResult(out, "ok")
        self.assertEqual(os.read(read_end, 100), b"through-fd-3")
        out = run_with_fds(launcher_args("probe_passfd", ["fds"]), {3: extra, 4: extra})
        self.assertResult(out, "ok")
        numbers = sorted(int(x.split()[0]) for x in out.values("fd"))
        self.assertEqual(numbers, [0, 1, 2, 3], out.describe())


class ReportFdTest(ProbeTest):
    def run_with_report_fd(self, probe_args):
        read_end, write_end = os.pipe()
        self.addCleanup(os.close, read_end)
        args = launcher_args("probe", probe_args)
        args[args.index("--"):args.index("--")] = ["--report-fd", "3"]
        out = run_with_fds(args, {3: write_end})
        os.close(write_end)
        chunks = []
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return out, b"".join(chunks).decode(errors="replace")

    def test_report_fd_gets_the_report_and_the_job_cannot_forge_it(self):
        out, report = self.run_with_report_fd(["fds"])
        self.assertResult(out, "ok")
        numbers = sorted(int(x.split()[0]) for x in out.values("fd"))
        self.assertEqual(numbers, [0, 1, 2], "the report fd reached the job\n" + out.describe())
        data = json.loads(report)
        self.assertEqual((data.get("status"), data.get("reason")), (0, "exited"), report)
        # The job writes a forged report into fd 3: EBADF, and the real
        # report says what really happened.
        out, report = self.run_with_report_fd(["write-fd", "3", '{"status": 0, "reason": "exited"}'])
        self.assertResult(out, "EBADF")
        self.assertEqual(json.loads(report).get("status"), 0, report)
        out, report = self.run_with_report_fd(["exit", "9"])
        self.assertExit(out, 9)
        self.assertEqual(json.loads(report).get("status"), 9, report)


class KeyringTest(ProbeTest):
    def test_worker_keyring_is_unreachable(self):
        desc = unique("stockade-key")
        host = run_probe_on_host("host-key", desc, "secret", probe_host_path(),
                                 "keyring", desc)
        need(self, host.returncode == 0 and host.value("session") == "found",
             "kernel keyrings unavailable: " + host.stdout.strip() + host.stderr.strip())
        args = launcher_args("probe", ["keyring", desc])
        out = run_launcher([probe_host_path(), "host-key", desc, "secret"] + args)
        self.assertResult(out, "ENOKEY")
        for ring in ("session", "user", "user-session", "process"):
            self.assertNotEqual(out.value(ring), "found", ring)


class TerminalTest(ProbeTest):
    def test_tiocsti_cannot_inject_into_the_workers_terminal(self):
        master, slave = pty.openpty()
        self.addCleanup(os.close, master)

        def controlling_tty():
            # The worker's situation: the launcher's stdin is its terminal.
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        out = run_probe("probe", "tiocsti", stdin=slave, preexec_fn=controlling_tty)
        os.close(slave)
        # The job is in its own session, so the terminal is not its
        # controlling tty: EPERM. Kernels with dev.tty.legacy_tiocsti=0
        # refuse TIOCSTI to everyone without CAP_SYS_ADMIN with EIO first.
        legacy = "1"
        if os.path.exists("/proc/sys/dev/tty/legacy_tiocsti"):
            with open("/proc/sys/dev/tty/legacy_tiocsti") as f:
                legacy = f.read().strip()
        self.assertResult(out, "EPERM" if legacy == "1" else "EIO")

    def test_kept_session_without_a_filter_can_inject(self):
        # Positive control for the test above and for the shipped python3
        # policy (session keep, protected only by its seccomp denylist).
        master, slave = pty.openpty()
        self.addCleanup(os.close, master)

        def controlling_tty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        out = run_probe("probe_keepsession", "tiocsti", stdin=slave, preexec_fn=controlling_tty)
        os.close(slave)
        legacy = "1"
        if os.path.exists("/proc/sys/dev/tty/legacy_tiocsti"):
            with open("/proc/sys/dev/tty/legacy_tiocsti") as f:
                legacy = f.read().strip()
        self.assertResult(out, "ok" if legacy == "1" else "EIO")


class ExitStatusTest(ProbeTest):
    def test_exit_codes_pass_through(self):
        for code in (0, 1, 42, 119):
            self.assertExit(run_probe("probe", "exit", str(code)), code)

    def test_signal_death_is_128_plus_n(self):
        for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGUSR1):
            self.assertExit(run_probe("probe", "raise", str(int(sig))), 128 + int(sig), sig.name)

    def test_reports_exit_and_signal(self):
        out = run_probe("probe", "exit", "42", with_report=True)
        self.assertExit(out, 42)
        self.assertIsNotNone(out.report, "no report written")
        self.assertEqual(out.report.get("status"), 42, out.report)
        self.assertEqual(out.report.get("reason"), "exited", out.report)
        for key in ("wall_ms", "user_ms", "sys_ms", "peak_memory_bytes"):
            self.assertIsInstance(out.report.get(key), int, key)
            self.assertGreaterEqual(out.report[key], 0, key)
        self.assertLessEqual(out.report["wall_ms"], out.wall_s * 1000 + 50)
        out = run_probe("probe", "raise", "15", with_report=True)
        self.assertExit(out, 143)
        self.assertEqual(out.report.get("reason"), "signaled", out.report)
        self.assertEqual(out.report.get("signal"), 15, out.report)

    def test_not_executable_and_not_found(self):
        top = self.make_tempdir()
        os.chmod(top, 0o755)
        with open(os.path.join(top, "data.txt"), "w") as f:
            f.write("not a program\n")
        os.chmod(os.path.join(top, "data.txt"), 0o644)
        params = {"DATA_DIR": top}
        self.assertExit(run_probe("probe", program="/data/data.txt", params=params), EXIT_NOT_EXECUTABLE)
        self.assertExit(run_probe("probe", program="/data", params=params), EXIT_NOT_EXECUTABLE)
        self.assertExit(run_probe("probe", program="/data/missing", params=params), EXIT_NOT_FOUND)
        self.assertExit(run_probe("probe", program="/etc/passwd", params=params), EXIT_NOT_FOUND)


class SignalForwardingTest(ProbeTest):
    def test_sigterm_to_launcher_reaches_job(self):
        marker = unique("term")
        args = launcher_args("probe", ["sleep", "30", marker])
        proc = start_launcher(args)
        self.addCleanup(stop, proc)
        self.assertTrue(wait_for(lambda: len(pids_with_marker(marker)) >= 2, timeout=10))
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("launcher did not end after SIGTERM")
        self.assertEqual(proc.returncode, 128 + signal.SIGTERM)
        self.assertTrue(wait_for(lambda: not pids_with_marker(marker), timeout=5),
                        "sandbox processes outlived the launcher: %s" % pids_with_marker(marker))
