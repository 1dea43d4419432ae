# SPDX-License-Identifier: Apache-2.0
"""The shipped `bash` policy (policies/bash.policy, in the real `stockade`
launcher) against the same break-out attempts: the probe stands in for the
user's main.sh. The policy shares the worker's network and environment on
purpose (Windmill's configs do), so those are not attempted here; its
seccomp denylist answers many calls with EPERM before the kernel would. Like
Windmill's run.bash it binds the host's /etc read-only and mounts /proc, and
sets no rlimits; the nofile check uses lock_ruby, whose config keeps them."""

import fcntl
import os
import pty
import shutil
import termios

from harness import EXIT_SECCOMP, ProbeTest, need, probe_host_path, run_launcher


class ShippedBashPolicyTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, self.launcher and os.path.exists(self.launcher), "the shipped launcher was not given")
        self.job = self.make_tempdir()
        os.chmod(self.job, 0o755)
        shutil.copy(probe_host_path(), os.path.join(self.job, "main.sh"))
        os.chmod(os.path.join(self.job, "main.sh"), 0o755)
        for name in ("result.json", "result.out", "result2.out"):   # the worker makes all three
            with open(os.path.join(self.job, name), "w"):
                pass

    def run_main(self, *args, policy="bash"):
        return run_launcher([self.launcher, "run", policy, "--param", "JOB_DIR=" + self.job, "--",
                             "/tmp/main.sh"] + list(args))

    def test_hostname_and_mount_table(self):
        out = self.run_main("uname")
        self.assertResult(out, "ok")
        self.assertEqual(out.value("nodename"), "bash")
        for path in ("/root", "/home", self.job + "/main.sh", "/opt/stockade-it"):
            self.assertResult(self.run_main("stat", path), "ENOENT", path)
        for path in ("/usr/stockade-it", "/etc/stockade-it", "/etc/ssl/stockade-it", "/bin/stockade-it",
                     "/tmp/main.sh", "/proc/sys/kernel/hostname"):
            self.assertResult(self.run_main("write", path), "EROFS", path)

    def test_denylist_refuses_mounts_and_namespaces(self):
        for args in (("mount-tmpfs", "/tmp"), ("umount", "/usr"), ("remount-rw", "/usr"), ("fsopen",),
                     ("open-tree", "/usr"), ("move-mount", "/usr", "/tmp"), ("chroot", "/tmp"),
                     ("pivot-root", "/tmp", "/tmp")):
            self.assertResult(self.run_main(*args), "EPERM", " ".join(args))
        out = self.run_main("userns", "/usr", "/etc/passwd")
        self.assertEqual(out.value("unshare"), "EPERM", out.describe())

    def test_denylist_refuses_tracing_keys_tty_modules(self):
        self.assertResult(self.run_main("ptrace", "1"), "EPERM")
        self.assertResult(self.run_main("vmread", "1"), "EPERM")
        self.assertResult(self.run_main("keyring", "anything"), "EPERM")
        self.assertResult(self.run_main("tiocsti"), "EPERM")
        self.assertResult(self.run_main("module"), "EPERM")
        self.assertResult(self.run_main("syslog"), "EPERM")

    def test_other_abis_are_killed(self):
        for op in ("i386-uname", "x32-uname"):
            out = self.run_main(op)
            self.assertExit(out, EXIT_SECCOMP, op)

    def test_limits_hold(self):
        # lock_ruby: the job directory is /tmp, so main.sh is at /tmp/main.sh.
        out = self.run_main("nofile", policy="lock_ruby")
        self.assertResult(out, "EMFILE")
        self.assertEqual(out.value("highest_fd"), "63")  # nofile 64


class ShippedPython3PolicyTest(ProbeTest):
    """policies/python3.policy keeps the worker's session (nsjail's
    skip_setsid) and binds the host's /etc read-only: the two places where
    it is closer to the host than `bash`."""

    def setUp(self):
        super().setUp()
        self.launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, self.launcher and os.path.exists(self.launcher), "the shipped launcher was not given")
        self.job = self.make_tempdir()
        os.chmod(self.job, 0o755)
        shutil.copy(probe_host_path(), os.path.join(self.job, "main.py"))
        os.chmod(os.path.join(self.job, "main.py"), 0o755)
        for name in ("wrapper.py", "args.json", "result.json"):
            with open(os.path.join(self.job, name), "w") as f:
                f.write("{}\n")

    def run_main(self, *args, **kwargs):
        return run_launcher([self.launcher, "run", "python3", "--param", "JOB_DIR=" + self.job,
                             "--param", "PY_INSTALL_DIR=/usr/lib", "--", "/tmp/main.py"] + list(args), **kwargs)

    def test_tiocsti_into_the_kept_session_is_refused(self):
        master, slave = pty.openpty()
        self.addCleanup(os.close, master)

        def controlling_tty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        out = self.run_main("tiocsti", stdin=slave, preexec_fn=controlling_tty)
        os.close(slave)
        # The session is the worker's, so only the seccomp denylist stands
        # between the job and the worker's terminal.
        self.assertResult(out, "EPERM")

    def test_host_etc_is_read_only_and_shadow_unreadable(self):
        self.assertResult(self.run_main("read", "/etc/hostname" if os.path.exists("/etc/hostname")
                                        else "/etc/passwd"), "ok")
        self.assertResult(self.run_main("write", "/etc/stockade-it"), "EROFS")
        if os.path.exists("/etc/shadow"):
            self.assertResult(self.run_main("read", "/etc/shadow"), "EACCES")
