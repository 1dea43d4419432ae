# SPDX-License-Identifier: Apache-2.0
"""The launcher started by an ordinary user: a user namespace that maps only
that user's ids, no cgroup, one note on stderr saying what was skipped; the
job is root inside and still reaches nothing the user could not."""

import os

from harness import ProbeTest, launcher_args, run_launcher
from test_limits import limits_table

NOBODY = 65534
NOTE = "stockade: not root: running with a user namespace only; idmapped binds skipped"
# probe_cgroup's memory 64 MiB and pids 32, without a cgroup (rlimits.h).
CGROUP_NOTE = (NOTE + "; processes: RLIMIT_NPROC 32 in the job's user namespace; memory: RLIMIT_DATA 67108864 bytes"
               " a process, the job killed when its processes' resident memory and tmpfs files pass 67108864;"
               " memfd_create, shmget refused")


def as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class RootlessTest(ProbeTest):
    def run_as_nobody(self, policy, probe_args, params=None, program=None):
        args = launcher_args(policy, probe_args, params, program=program, tools=self.tools_for_everyone())
        return run_launcher(args, preexec_fn=as_nobody)

    def test_only_the_callers_ids_are_mapped(self):
        out = self.run_as_nobody("probe", ["-c", "id -u; cat /proc/self/uid_map /proc/self/gid_map"],
                                 program="/bin/sh")
        self.assertEqual(out.returncode, 0, out.describe())
        fields = out.stdout.split()
        self.assertEqual(fields, ["0", "0", str(NOBODY), "1", "0", str(NOBODY), "1"], out.describe())
        self.assertEqual(out.stderr.strip().splitlines(), [NOTE], out.describe())

    def test_cgroup_limits_become_rlimits_and_said_so(self):
        # probe_cgroup limits memory and pids; without root and without a
        # delegated cgroup (--cgroup) there is none to put them in: the
        # job gets RLIMIT_NPROC and RLIMIT_DATA instead (on Linux 5.14+,
        # where RLIMIT_NPROC is counted per user namespace), and the note
        # says so. The leftover check after every test also sees no cgroup
        # made.
        release = os.uname().release.split(".")
        if (int(release[0]), int(release[1].split("-")[0])) < (5, 14):
            self.skipTest("RLIMIT_NPROC is counted per user namespace only since Linux 5.14")
        out = self.run_as_nobody("probe_cgroup", ["-c", "cat /proc/self/limits"], program="/bin/sh")
        self.assertEqual(out.returncode, 0, out.describe())
        self.assertEqual(out.stderr.strip().splitlines(), [CGROUP_NOTE], out.describe())
        limits = limits_table(out.stdout)
        self.assertEqual(limits["Max processes"], ("32", "32"), out.describe())
        self.assertEqual(limits["Max data size"], ("67108864", "67108864"), out.describe())

    def test_the_watchdog_counts_no_disk_under_a_covered_tmpfs(self):
        # probe_covered_tmpfs: a tmpfs at /cover/t, then a bind of a host
        # directory over /cover. Init's open of /cover/t lands on the host
        # disk (its used blocks: always more than the 64 MiB limit); the
        # watchdog must count only a tmpfs, so the job runs to its end.
        cover = self.make_tempdir()
        os.chmod(cover, 0o755)
        os.mkdir(os.path.join(cover, "t"))
        out = self.run_as_nobody("probe_covered_tmpfs", ["-c", "sleep 0.3; stat -f -c %T /cover/t"],
                                 params={"COVER": cover}, program="/bin/sh")
        self.assertEqual(out.returncode, 0, out.describe())
        self.assertNotEqual(out.stdout.strip(), "tmpfs", out.describe())

    def test_more_tmpfs_mounts_than_the_watchdog_counts_stop_set_up(self):
        # probe_many_tmpfs: 17 tmpfs mounts and a memory limit, no cgroup.
        # The watchdog counts at most 16 (tmpfs_roots.h); set-up stops
        # with one line naming the step, exit 122, nothing left behind.
        out = self.run_as_nobody("probe_many_tmpfs", ["-c", "true"], program="/bin/sh")
        self.assertEqual(out.returncode, 122, out.describe())
        lines = out.stderr.strip().splitlines()
        self.assertEqual(len(lines), 2, out.describe())
        self.assertRegex(lines[1], r"^stockade: mounts: memory watchdog /t/\d+: more than 16 tmpfs mounts to count$")

    def test_root_inside_cannot_read_what_the_user_cannot(self):
        data = self.make_tempdir()
        os.chmod(data, 0o755)
        secret = os.path.join(data, "secret")
        with open(secret, "w") as f:
            f.write("root only\n")
        os.chmod(secret, 0o600)
        out = self.run_as_nobody("probe", ["cat", "/data/secret"], params={"DATA_DIR": data})
        self.assertNotIn("root only", out.stdout, out.describe())
        self.assertEqual(out.returncode, 0, out.describe())
        self.assertEqual(out.result, "EACCES", out.describe())

    def test_a_kill_is_named_through_the_pushed_listener(self):
        # An ordinary user's launcher may not pull the job's listener
        # (pidfd_getfd: no ptrace access to a job not yet dumpable); the job
        # pushes it where its filter lets sendmsg and close through.
        out = self.run_as_nobody("probe_notify", ["uname"])
        self.assertEqual(out.returncode, 128 + 31, out.describe())
        self.assertIn("stockade: seccomp: job killed by the filter: uname (63) args: ", out.stderr)
        logged = self.run_as_nobody("probe_log", ["uname"])
        self.assertEqual(logged.returncode, 0, logged.describe())
        self.assertIn("stockade: seccomp: logged: uname (63) args: ", logged.stderr)

    def test_default_log_without_root_says_it_cannot_report(self):
        out = self.run_as_nobody("probe_default_log", ["uname"])
        self.assertEqual(out.returncode, 0, out.describe())
        self.assertEqual(out.stderr.strip().splitlines(),
                         [NOTE, "stockade: seccomp: the job's listener cannot be handed over here (no ptrace access "
                                "to pull it); LOG and kills go to the kernel's audit log only"], out.describe())
